/* jansson_bench: a JSON round trip with Debian's jansson 2.14 (a C parser and serializer): builds a
 * document of generated records (objects, arrays, strings with escapes, integers, reals), dumps it
 * compact and indented, parses both back (json_loads), checks them equal to the original
 * (json_equal), queries them (json_unpack, iteration) and prints sizes and CRC-32s. jansson's hash
 * seed is fixed (json_object_seed(1)), so key order and output are deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jansson.h"
#include "bench_data.h"

static json_t *record(int id) {
  static const char *names[] = {"alpha", "beta", "gamma", "delta \"quoted\"", "epsilon\\slash", "zeta\ttab", "eta", "theta\u00e9"};
  json_t *tags = json_array();
  for (unsigned t = 0; t < bench_rnd() % 5; t++) json_array_append_new(tags, json_sprintf("tag%u", bench_rnd() % 32));
  json_t *pos = json_pack("[fff]", (bench_rnd() % 100000) / 100.0, (bench_rnd() % 100000) / 100.0, (bench_rnd() % 100000) / 100.0);
  return json_pack("{s:i, s:s, s:o, s:o, s:b, s:{s:I, s:f}}", "id", id, "name", names[bench_rnd() % 8], "tags", tags, "pos", pos,
                   "active", (int)(bench_rnd() % 2), "stats", "count", (json_int_t)(bench_rnd() % 1000000), "mean", (bench_rnd() % 1000000) / 1000.0);
}

int main(void) {
  json_object_seed(1);
  uint32_t crc = 0;
  for (int round = 0; round < 2; round++) {
    json_t *doc = json_object(), *items = json_array();
    for (int i = 0; i < 8000; i++) {
      json_t *r = record(i);
      if (!r) {
        printf("json_pack failed\n");
        return 1;
      }
      json_array_append_new(items, r);
    }
    json_object_set_new(doc, "round", json_integer(round));
    json_object_set_new(doc, "items", items);
    const size_t flags[] = {JSON_COMPACT | JSON_SORT_KEYS, JSON_INDENT(2) | JSON_SORT_KEYS};
    for (int f = 0; f < 2; f++) {
      char *text = json_dumps(doc, flags[f]);
      json_error_t err;
      json_t *back = json_loads(text, 0, &err);
      if (!back || !json_equal(doc, back)) {
        printf("round trip FAILED: %s at line %d\n", back ? "not equal" : err.text, err.line);
        return 1;
      }
      json_int_t count = 0;
      double mean = 0;
      size_t i, tags = 0, active = 0;
      json_t *it;
      json_array_foreach(json_object_get(back, "items"), i, it) {
        json_int_t c;
        double m;
        int a;
        if (json_unpack(it, "{s:b, s:{s:I, s:f}}", "active", &a, "stats", "count", &c, "mean", &m)) return 1;
        count += c;
        mean += m;
        active += a;
        tags += json_array_size(json_object_get(it, "tags"));
      }
      size_t len = strlen(text);
      printf("round %d %s: %zu bytes, crc %08x, %zu active, %zu tags, count %lld, mean %.3f\n", round, f ? "indented" : "compact", len,
             bench_crc32(0, (const unsigned char *)text, len), active, tags, (long long)count, mean);
      crc = bench_crc32(crc, (const unsigned char *)text, len);
      free(text);
      json_decref(back);
    }
    json_decref(doc);
  }
  printf("checksum: %08x\n", crc);
  return 0;
}
