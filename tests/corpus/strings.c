/* strings.c - string handling: sprintf/snprintf formatting, strcat/strcpy
 * building, strcmp sorting, strstr/strchr/strtok scanning, memmove. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static const char *const syll[] = {"ka", "lo", "mi", "nu", "re", "sa", "to", "vi",
                                   "xe", "zu", "an", "el", "or", "ub", "ix", "qu"};
static uint32_t seed = 31337u;
static uint32_t lcg(void) {
  seed = seed * 1103515245u + 12345u;
  return (seed >> 16) & 0x7fff;
}
static uint32_t str_hash(const char *s, uint32_t h) {
  while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}

#define NWORDS 600
static char words[NWORDS][16];

static int cmp_str(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; }
}

int main(void) {
  uint32_t check = 2166136261u;
  /* build words with strcpy/strcat */
  for (int i = 0; i < NWORDS; i++) {
    int n = 1 + (int)(lcg() % 5);
    strcpy(words[i], syll[lcg() % 16]);
    for (int k = 1; k < n; k++) strcat(words[i], syll[lcg() % 16]);
  }
  printf("built %d words, first %s, last %s\n", NWORDS, words[0], words[NWORDS - 1]);

  qsort(words, NWORDS, sizeof words[0], cmp_str);
  int dups = 0;
  for (int i = 1; i < NWORDS; i++) if (strcmp(words[i - 1], words[i]) == 0) dups++;
  printf("sorted: first %s, middle %s, last %s, duplicates %d\n", words[0],
         words[NWORDS / 2], words[NWORDS - 1], dups);
  for (int i = 0; i < NWORDS; i++) check = str_hash(words[i], check);

  /* sentences with snprintf into a growing buffer */
  char *text = malloc(1);
  size_t tlen = 0;
  text[0] = 0;
  for (int line = 0; line < 600; line++) {
    char tmp[160];
    int n = snprintf(tmp, sizeof tmp, "%03d|%-10s|%8.3f|%+d|%x|%c%c|%s.", line,
                     words[lcg() % NWORDS], (double)lcg() / 7.0, (int)lcg() - 16384,
                     lcg(), 'A' + line % 26, 'a' + (line * 7) % 26, words[line]);
    char *nt = realloc(text, tlen + (size_t)n + 2);
    if (!nt) return 1;
    text = nt;
    memcpy(text + tlen, tmp, (size_t)n);
    tlen += (size_t)n;
    text[tlen++] = '\n';
    text[tlen] = 0;
    if (line % 60 == 0) printf("line %d: %s\n", line, tmp);
  }
  check = str_hash(text, check);
  printf("text length %zu\n", tlen);

  /* scanning: strstr, strchr, strtok */
  int occurrences = 0;
  for (const char *p = text; (p = strstr(p, "ka")) != NULL; p++) occurrences++;
  int pipes = 0;
  for (const char *p = text; (p = strchr(p, '|')) != NULL; p++) pipes++;
  printf("'ka' occurs %d times, %d pipes\n", occurrences, pipes);
  int tokens = 0; size_t longest = 0; char longest_tok[160] = "";
  for (char *t = strtok(text, "|\n."); t; t = strtok(NULL, "|\n.")) {
    tokens++;
    if (strlen(t) > longest) { longest = strlen(t); strcpy(longest_tok, t); }
  }
  printf("%d tokens, longest '%s' (%zu)\n", tokens, longest_tok, longest);
  check = check * 31u + (uint32_t)(occurrences + pipes + tokens);
  free(text);

  /* sprintf of numbers and parsing them back */
  int64_t total = 0;   /* long is 32-bit on wasm32 */
  char num[64];
  for (int i = 0; i < 12000; i++) {
    sprintf(num, "%d:%05u:%x", i * 37 - 5000, lcg(), (unsigned)i * 2654435761u);
    char *colon = strchr(num, ':');
    total += strtol(num, NULL, 10) + strtol(colon + 1, NULL, 10);
    check = str_hash(num, check);
    if (i % 2000 == 0) printf("num %d: %s\n", i, num);
  }
  printf("parsed total %lld\n", (long long)total);

  /* palindromes / memmove */
  char buf[64];
  int pals = 0;
  for (int i = 0; i < NWORDS; i++) {
    strcpy(buf, words[i]);
    reverse(buf);
    if (strcmp(buf, words[i]) == 0) pals++;
    memmove(buf + 1, buf, strlen(buf) + 1);
    buf[0] = '<';
    strcat(buf, ">");
    check = str_hash(buf, check);
  }
  printf("palindromes %d, last decorated %s\n", pals, buf);
  printf("checksum: %08x\n", check);
  return 0;
}
