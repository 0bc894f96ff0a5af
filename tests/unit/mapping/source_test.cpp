// Mapping file text to positioned source nodes (mapping/source): syntax errors carry
// line:col, and truncated input is refused without reading past it.
#include "mapping/source.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ordergate::mapping;

namespace {

/// The text in a string of exactly its own size: nothing readable follows its NUL.
std::string exact(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  s.assign(text);
  s.shrink_to_fit();
  return s;
}

std::string errors_of(const source_file& file) {
  diagnostics out;
  const auto root = parse_source(file, out);
  BOOST_TEST(!root);
  std::string all;
  for (const auto& d : out.items())
    all += d.to_string() + "\n";
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mapping_source)

BOOST_AUTO_TEST_CASE(values_remember_where_they_start) {
  const source_file file("m.jsonc", "{\n  // c\n  \"a\": [1, \"x\"],\n}\n");
  diagnostics out;
  const auto root = parse_source(file, out);
  BOOST_REQUIRE(root);
  const source_node* a = root->find("a");
  BOOST_REQUIRE(a);
  BOOST_TEST(file.locate(a->offset).to_string() == "m.jsonc:3:8");
  BOOST_TEST(file.locate(a->items[1].offset).to_string() == "m.jsonc:3:12");
}

BOOST_AUTO_TEST_CASE(file_ending_inside_a_utf8_sequence_is_a_syntax_error) {
  // Found by fuzzing: RapidJSON's validating reader took the three continuation bytes
  // of F3 without looking for the end, reading two bytes past the terminating NUL.
  for (const char* lead : {"\xF3", "\xE2", "\xC3", "\xF3\x80"}) {
    BOOST_TEST_INFO("lead bytes: " << std::string(lead).size());
    const source_file file("m.jsonc", exact(std::string(R"({"description":")") + lead));
    BOOST_TEST(errors_of(file).find("m.jsonc:1:") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(escape_of_an_unpaired_surrogate_is_a_syntax_error) {
  const source_file file("m.jsonc", R"({"output": {"x": "a\udc00"}})");
  BOOST_TEST(errors_of(file).find("unpaired surrogate") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_nul_byte_ends_nothing_silently) {
  const source_file file("m.jsonc", exact(std::string("{\"a\": 1}\0garbage", 16)));
  BOOST_TEST(errors_of(file).find("syntax error") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
