// xml_bench: a C++17 program built on pugixml 1.13 (Debian's source package: DOM parser, XPath
// engine, serializer), of the kind users bring: it generates a product catalog as XML text,
// parses it, runs XPath queries (compiled once, evaluated per round), walks the tree with a
// virtual visitor (pugi::xml_tree_walker), edits the DOM through rules in a class hierarchy and
// lambdas, matches names with std::regex, formats with string streams, aggregates into STL
// containers and serializes through a custom pugi::xml_writer.
// Built with PUGIXML_NO_EXCEPTIONS (wasm32-wasi has no C++ exceptions here). Deterministic;
// prints a checksum line.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pugixml.hpp"

#include "bench_data.h"

namespace {

uint32_t rnd() { return bench_rnd(); } // the generator of real/common/bench_data.h

// The checksum: CRC-32 (real/common/bench_data.h) of everything added, numbers as decimal text.
class Checksum {
public:
  void add(const std::string& s) { crc = bench_crc32(crc, reinterpret_cast<const unsigned char*>(s.data()), s.size()); }
  void add(const char* s) { add(std::string(s)); }
  void add(uint64_t v) { add(std::to_string(v)); }
  uint32_t value() const { return crc; }

private:
  uint32_t crc = 0;
};

const char* const kCategories[] = {"books", "music", "garden", "tools", "toys", "food", "sports", "office"};
const char* const kWords[] = {"red", "blue", "quick", "solid", "light", "classic", "smart", "mini", "pro", "eco",
                              "ultra", "soft", "prime", "basic", "deluxe", "compact"};
const char* const kTags[] = {"sale", "new", "gift", "limited", "bulk", "refurbished", "imported", "local"};
const char* const kWarehouses[] = {"north", "south", "east", "west", "central"};

// ---- the input: a catalog as XML text ---------------------------------------------------------
std::string makeCatalog(int items) {
  std::string xml = "<?xml version=\"1.0\"?>\n<catalog version=\"3\">\n";
  char buf[160];
  for (int i = 0; i < items; i++) {
    const char* category = kCategories[rnd() % 8];
    unsigned cents = 100 + rnd() % 20000;
    std::snprintf(buf, sizeof buf, "  <item id=\"p%05d\" category=\"%s\" price=\"%u.%02u\">\n", i, category, cents / 100,
                  cents % 100);
    xml += buf;
    xml += "    <name>";
    for (int w = 0, n = 2 + rnd() % 3; w < n; w++) {
      if (w) xml += ' ';
      xml += kWords[rnd() % 16];
    }
    xml += "</name>\n    <tags>";
    for (int t = 0, n = rnd() % 4; t < n; t++) {
      xml += "<tag>";
      xml += kTags[rnd() % 8];
      xml += "</tag>";
    }
    xml += "</tags>\n";
    for (int s = 0, n = 1 + rnd() % 3; s < n; s++) {
      std::snprintf(buf, sizeof buf, "    <stock warehouse=\"%s\" qty=\"%u\"/>\n", kWarehouses[rnd() % 5], rnd() % 500);
      xml += buf;
    }
    if (rnd() % 5 == 0) xml += "    <note><![CDATA[fragile & <handle> with care]]></note>\n";
    xml += "  </item>\n";
  }
  xml += "</catalog>\n";
  return xml;
}

// ---- a visitor: pugi's tree walker, called through its virtual interface ----------------------
class Census : public pugi::xml_tree_walker {
public:
  std::map<std::string, unsigned> elements;
  unsigned textNodes = 0, maxDepth = 0;
  bool for_each(pugi::xml_node& node) override {
    if (node.type() == pugi::node_element) elements[node.name()]++;
    else if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) textNodes++;
    maxDepth = std::max(maxDepth, unsigned(depth()));
    return true;
  }
};

// ---- output through pugi's writer interface: hashed, not stored -------------------------------
class HashingWriter : public pugi::xml_writer {
public:
  uint32_t crc = 0;
  size_t bytes = 0;
  void write(const void* data, size_t size) override {
    crc = bench_crc32(crc, static_cast<const unsigned char*>(data), size);
    bytes += size;
  }
};

// ---- edits: rules in a class hierarchy ----------------------------------------------------------
struct Rule {
  virtual ~Rule() = default;
  virtual const char* name() const = 0;
  virtual bool applies(pugi::xml_node item) const = 0;
  virtual void apply(pugi::xml_node item) const = 0;
};

struct Discount : Rule {
  std::string category;
  double factor;
  Discount(std::string c, double f) : category(std::move(c)), factor(f) {}
  const char* name() const override { return "discount"; }
  bool applies(pugi::xml_node item) const override { return category == item.attribute("category").value(); }
  void apply(pugi::xml_node item) const override {
    auto price = item.attribute("price");
    double cents = double(llround(price.as_double() * 100 * factor));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", cents / 100);
    price.set_value(buf);
  }
};

struct TagWhen : Rule {
  std::string tag;
  std::function<bool(pugi::xml_node)> when;
  TagWhen(std::string t, std::function<bool(pugi::xml_node)> w) : tag(std::move(t)), when(std::move(w)) {}
  const char* name() const override { return "tag"; }
  bool applies(pugi::xml_node item) const override { return when(item); }
  void apply(pugi::xml_node item) const override {
    auto tags = item.child("tags");
    for (auto t : tags.children("tag"))
      if (tag == t.text().get()) return;
    tags.append_child("tag").text().set(tag.c_str());
  }
};

struct DropEmptyStock : Rule {
  const char* name() const override { return "drop"; }
  bool applies(pugi::xml_node item) const override {
    for (auto s : item.children("stock"))
      if (s.attribute("qty").as_uint() == 0) return true;
    return false;
  }
  void apply(pugi::xml_node item) const override {
    std::vector<pugi::xml_node> empty;
    for (auto s : item.children("stock"))
      if (s.attribute("qty").as_uint() == 0) empty.push_back(s);
    for (auto s : empty) item.remove_child(s);
  }
};

// Names like "smart pro", "Mini eco basic": the model line and its qualifier, by a regex.
struct ModelLine : Rule {
  std::regex pattern{R"(^(\w+) (pro|mini|ultra|deluxe)(?: (\w+))?)", std::regex::icase};
  const char* name() const override { return "model"; }
  bool applies(pugi::xml_node item) const override { return std::regex_search(item.child_value("name"), pattern); }
  void apply(pugi::xml_node item) const override {
    std::cmatch m;
    std::regex_search(item.child_value("name"), m, pattern);
    std::ostringstream line;
    line << m[2].str() << '/' << m[1].str();
    if (m[3].matched) line << '+' << m[3].str();
    auto attribute = item.attribute("line");
    if (!attribute) attribute = item.append_attribute("line");
    attribute.set_value(line.str().c_str());
  }
};

unsigned totalStock(pugi::xml_node item) {
  unsigned total = 0;
  for (auto s : item.children("stock")) total += s.attribute("qty").as_uint();
  return total;
}

struct CategoryStats {
  unsigned items = 0;
  double value = 0;
  std::set<std::string> tags;
};

} // namespace

int main() {
  const int kItems = 3000, kRounds = 6;
  std::string text = makeCatalog(kItems);
  Checksum check;

  // Queries compiled once; their variables change per round.
  pugi::xpath_variable_set vars;
  vars.add("category", pugi::xpath_type_string);
  vars.add("limit", pugi::xpath_type_number);
  pugi::xpath_query expensive("/catalog/item[@category = $category and number(@price) > $limit]", &vars);
  pugi::xpath_query stockOf("sum(/catalog/item[@category = $category]/stock/@qty)", &vars);
  pugi::xpath_query onSale("count(//item[tags/tag = 'sale'])");
  pugi::xpath_query fragile("//item[note][starts-with(name, 'red') or contains(name, 'pro')]/@id");
  pugi::xpath_query lastNames("//item[position() mod 97 = 0]/name");
  if (!expensive || !stockOf || !onSale || !fragile || !lastNames) {
    std::printf("xpath error: %s\n", expensive.result().description());
    return 1;
  }

  for (int round = 0; round < kRounds; round++) {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
    if (!parsed) {
      std::printf("parse error: %s at %td\n", parsed.description(), parsed.offset);
      return 1;
    }
    auto catalog = doc.child("catalog");

    Census census;
    doc.traverse(census);
    for (auto& [name, count] : census.elements) {
      check.add(name);
      check.add(uint64_t(count));
    }
    check.add(uint64_t(census.textNodes * 131 + census.maxDepth));

    for (int c = 0; c < 8; c++) {
      vars.set("category", kCategories[(c + round) % 8]);
      vars.set("limit", 40.0 + 15 * round);
      pugi::xpath_node_set found = expensive.evaluate_node_set(doc);
      found.sort(true); // reverse document order
      check.add(uint64_t(found.size()));
      for (auto& n : found) check.add(n.node().attribute("id").value());
      check.add(uint64_t(stockOf.evaluate_number(doc)));
    }
    check.add(uint64_t(onSale.evaluate_number(doc)));
    for (auto& n : fragile.evaluate_node_set(doc)) check.add(n.attribute().value());
    for (auto& n : lastNames.evaluate_node_set(doc)) check.add(n.node().child_value());

    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::make_unique<Discount>(kCategories[round % 8], 0.9));
    rules.push_back(std::make_unique<TagWhen>("bulk", [](pugi::xml_node item) { return totalStock(item) > 700; }));
    rules.push_back(std::make_unique<TagWhen>("premium", [round](pugi::xml_node item) {
      return item.attribute("price").as_double() > 150 - 5 * round;
    }));
    rules.push_back(std::make_unique<DropEmptyStock>());
    rules.push_back(std::make_unique<ModelLine>());
    std::unordered_map<std::string, unsigned> applied;
    for (auto item : catalog.children("item")) {
      for (auto& rule : rules) {
        if (rule->applies(item)) {
          rule->apply(item);
          applied[rule->name()]++;
        }
      }
    }
    std::vector<std::pair<std::string, unsigned>> appliedSorted(applied.begin(), applied.end());
    std::sort(appliedSorted.begin(), appliedSorted.end());
    for (auto& [name, count] : appliedSorted) {
      check.add(name);
      check.add(uint64_t(count));
    }

    std::map<std::string, CategoryStats> stats;
    std::vector<std::pair<double, std::string>> ranking;
    for (auto item : catalog.children("item")) {
      auto& s = stats[item.attribute("category").value()];
      double price = item.attribute("price").as_double();
      s.items++;
      s.value += price * totalStock(item);
      for (auto t : item.child("tags").children("tag")) s.tags.insert(t.text().get());
      ranking.emplace_back(price, item.attribute("id").value());
    }
    std::partial_sort(ranking.begin(), ranking.begin() + 25, ranking.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (int i = 0; i < 25; i++) check.add(ranking[i].second);
    std::ostringstream report;
    report << std::fixed << std::setprecision(2);
    for (auto& [category, s] : stats) {
      report << std::left << std::setw(8) << category << std::right << std::setw(6) << s.items << std::setw(14)
             << s.value / 1000 << "k";
      for (auto& t : s.tags) report << ' ' << t;
      report << '\n';
    }
    static const std::regex sale(R"(\bsale\b)");
    std::string table = std::regex_replace(report.str(), sale, "SALE");
    check.add(table);

    HashingWriter writer;
    doc.save(writer, "  ", pugi::format_default, pugi::encoding_utf8);
    check.add(uint64_t(writer.crc));
    if (round == kRounds - 1) {
      std::cout << "elements: " << census.elements.size() << " kinds, " << census.textNodes << " text nodes, depth "
                << census.maxDepth << "\nrules:";
      for (auto& [name, count] : appliedSorted) std::cout << ' ' << name << '=' << count;
      std::cout << "\nserialized: " << writer.bytes << " bytes\n" << table;
    }
    // The next round starts from this round's output.
    std::string next;
    struct StringWriter : pugi::xml_writer {
      std::string* out;
      void write(const void* data, size_t size) override { out->append(static_cast<const char*>(data), size); }
    } sw;
    sw.out = &next;
    doc.save(sw, " ", pugi::format_raw);
    text.swap(next);
  }
  std::cout << "checksum: " << std::hex << std::setw(8) << std::setfill('0') << check.value() << std::endl;
  return 0;
}
