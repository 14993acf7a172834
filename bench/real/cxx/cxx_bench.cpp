// cxx_bench: a C++17 program of the kind users bring — a class hierarchy with virtual calls,
// STL containers (vector, map, unordered_map, set, priority_queue, deque, string), lambdas and
// std::function, algorithms, and JSON through nlohmann-json (Debian's nlohmann-json3-dev, built
// with JSON_NOEXCEPTION: wasm32-wasi has no C++ exceptions here). Deterministic; prints a
// checksum line.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_data.h"

namespace {

uint32_t rnd() { return bench_rnd(); }  // the generator of real/common/bench_data.h

struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const void *p, size_t n) {
    auto *b = static_cast<const unsigned char *>(p);
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  }
  void add(const std::string &s) { add(s.data(), s.size()); }
  void add(double d) {
    auto q = static_cast<int64_t>(std::llround(d * 1000.0));
    add(&q, sizeof q);
  }
};

// ---- a class hierarchy: virtual calls through base pointers -------------------------------------
struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual double perimeter() const = 0;
  virtual std::string kind() const = 0;
  virtual nlohmann::json toJson() const {
    return {{"kind", kind()}, {"area", area()}, {"perimeter", perimeter()}};
  }
};
struct Circle : Shape {
  double r;
  explicit Circle(double r) : r(r) {}
  double area() const override { return M_PI * r * r; }
  double perimeter() const override { return 2 * M_PI * r; }
  std::string kind() const override { return "circle"; }
};
struct Rect : Shape {
  double w, h;
  Rect(double w, double h) : w(w), h(h) {}
  double area() const override { return w * h; }
  double perimeter() const override { return 2 * (w + h); }
  std::string kind() const override { return "rect"; }
};
struct Square : Rect {
  explicit Square(double s) : Rect(s, s) {}
  std::string kind() const override { return "square"; }
};
struct Polygon : Shape {
  std::vector<std::pair<double, double>> pts;
  double area() const override {
    double a = 0;
    for (size_t i = 0; i < pts.size(); i++) {
      auto [x0, y0] = pts[i];
      auto [x1, y1] = pts[(i + 1) % pts.size()];
      a += x0 * y1 - x1 * y0;
    }
    return std::fabs(a) / 2;
  }
  double perimeter() const override {
    double p = 0;
    for (size_t i = 0; i < pts.size(); i++) {
      auto [x0, y0] = pts[i];
      auto [x1, y1] = pts[(i + 1) % pts.size()];
      p += std::hypot(x1 - x0, y1 - y0);
    }
    return p;
  }
  std::string kind() const override { return "polygon"; }
  nlohmann::json toJson() const override {
    auto j = Shape::toJson();
    j["vertices"] = pts.size();
    return j;
  }
};

std::unique_ptr<Shape> makeShape() {
  switch (rnd() % 4) {
    case 0: return std::make_unique<Circle>(1 + rnd() % 100 / 10.0);
    case 1: return std::make_unique<Rect>(1 + rnd() % 50, 1 + rnd() % 70);
    case 2: return std::make_unique<Square>(1 + rnd() % 40);
    default: {
      auto p = std::make_unique<Polygon>();
      int n = 3 + rnd() % 9;
      for (int i = 0; i < n; i++) {
        double t = 2 * M_PI * i / n, rr = 5 + rnd() % 20;
        p->pts.emplace_back(rr * std::cos(t), rr * std::sin(t));
      }
      return p;
    }
  }
}

// ---- shapes: virtual calls, sort with lambdas, group into maps ----------------------------------
void shapes(Fnv &f) {
  std::vector<std::unique_ptr<Shape>> all;
  for (int i = 0; i < 60000; i++) all.push_back(makeShape());
  std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
    return a->area() != b->area() ? a->area() < b->area() : a->kind() < b->kind();
  });
  std::map<std::string, std::vector<double>> byKind;
  for (const auto &s : all) byKind[s->kind()].push_back(s->perimeter());
  for (auto &[k, v] : byKind) {
    double sum = std::accumulate(v.begin(), v.end(), 0.0);
    auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    std::printf("shapes %-8s %6zu  perimeter sum %.1f min %.2f max %.2f\n", k.c_str(), v.size(), sum, *mn, *mx);
    f.add(k);
    f.add(sum);
  }
}

// ---- JSON: build, serialize, parse back, query ---------------------------------------------------
void json(Fnv &f) {
  for (int round = 0; round < 3; round++) {
    nlohmann::json doc;
    doc["round"] = round;
    auto &items = doc["items"];
    for (int i = 0; i < 6000; i++) {
      auto s = makeShape();
      auto j = s->toJson();
      j["id"] = i;
      j["tags"] = nlohmann::json::array();
      for (unsigned t = 0; t < rnd() % 4; t++) j["tags"].push_back("t" + std::to_string(rnd() % 16));
      items.push_back(std::move(j));
    }
    std::string text = doc.dump(round == 1 ? 2 : -1);
    auto back = nlohmann::json::parse(text, nullptr, false);
    if (back.is_discarded() || back != doc) {
      std::printf("json round trip FAILED\n");
      std::exit(1);
    }
    std::map<std::string, int> tagCount;
    double area = 0;
    for (const auto &it : back["items"]) {
      area += it["area"].get<double>();
      for (const auto &t : it["tags"]) tagCount[t.get<std::string>()]++;
    }
    auto top = std::max_element(tagCount.begin(), tagCount.end(), [](auto &a, auto &b) { return a.second < b.second; });
    std::printf("json round %d: %zu bytes, area %.1f, %zu tags, top %s x%d\n", round, text.size(), area, tagCount.size(),
                top == tagCount.end() ? "-" : top->first.c_str(), top == tagCount.end() ? 0 : top->second);
    f.add(text);
  }
}

// ---- words: strings, unordered_map, set, a std::function pipeline -------------------------------
void words(Fnv &f) {
  static const char *syll[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "ix"};
  std::unordered_map<std::string, int> count;
  std::string text;
  for (int i = 0; i < 200000; i++) {
    std::string w;
    for (unsigned k = 0; k < 1 + rnd() % 3; k++) w += syll[rnd() % 12];
    ++count[w];
    if (i < 20000) text += w + ' ';
  }
  std::vector<std::function<std::string(std::string)>> pipeline = {
      [](std::string s) { std::transform(s.begin(), s.end(), s.begin(), ::toupper); return s; },
      [](std::string s) { std::reverse(s.begin(), s.end()); return s; },
      [](std::string s) { s.erase(std::remove(s.begin(), s.end(), 'A'), s.end()); return s; },
  };
  for (auto &stage : pipeline) text = stage(text);
  std::vector<std::pair<std::string, int>> v(count.begin(), count.end());
  std::sort(v.begin(), v.end(), [](auto &a, auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::set<std::string> firstLetters;
  for (auto &[w, c] : v) firstLetters.insert(w.substr(0, 2));
  std::printf("words: %zu distinct, top %s x%d, %zu prefixes, text %zu bytes\n", v.size(), v[0].first.c_str(), v[0].second,
              firstLetters.size(), text.size());
  for (size_t i = 0; i < 20; i++) f.add(v[i].first);
  f.add(text);
}

// ---- a graph: adjacency lists, priority_queue Dijkstra, deque BFS --------------------------------
void graph(Fnv &f) {
  const int n = 40000;
  std::vector<std::vector<std::pair<int, int>>> adj(n);
  for (int i = 0; i < n * 5; i++) {
    int a = rnd() % n, b = rnd() % n, w = 1 + rnd() % 100;
    adj[a].emplace_back(b, w);
    adj[b].emplace_back(a, w);
  }
  std::vector<long> dist(n, -1);
  using Item = std::pair<long, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> pq;
  pq.emplace(0, 0);
  while (!pq.empty()) {
    auto [d, u] = pq.top();
    pq.pop();
    if (dist[u] >= 0) continue;
    dist[u] = d;
    for (auto [v, w] : adj[u]) if (dist[v] < 0) pq.emplace(d + w, v);
  }
  std::vector<int> hops(n, -1);
  std::deque<int> q{0};
  hops[0] = 0;
  while (!q.empty()) {
    int u = q.front();
    q.pop_front();
    for (auto [v, w] : adj[u]) if (hops[v] < 0) { hops[v] = hops[u] + 1; q.push_back(v); }
  }
  long sum = std::accumulate(dist.begin(), dist.end(), 0L);
  int far = *std::max_element(hops.begin(), hops.end());
  std::printf("graph: distance sum %ld, max hops %d\n", sum, far);
  f.add(&sum, sizeof sum);
  f.add(&far, sizeof far);
}

}  // namespace

int main() {
  Fnv f;
  shapes(f);
  json(f);
  words(f);
  graph(f);
  std::printf("checksum: %016llx\n", static_cast<unsigned long long>(f.h));
  return 0;
}
