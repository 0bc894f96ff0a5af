// XML decoding (the writer is tested in test_xml_writer.cpp).

#include "ordergate/codec/xml.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <memory_resource>
#include <sstream>
#include <string>

using namespace ordergate::codec;

namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(ORDERGATE_TEST_DATA) + "/codec/" + name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open test data " << name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

struct xml_fixture {
  std::pmr::monotonic_buffer_resource arena;
  xml_decode_options options;
  decode_limits limits;

  node decode(std::string_view text) {
    auto r = decode_xml(text, arena, limits, options);
    BOOST_REQUIRE_MESSAGE(r, "decode failed: " << (r ? "" : r.error().message));
    return *r;
  }
  std::string json(std::string_view text) { return to_json(decode(text)); }
  std::string error(std::string_view text) {
    auto r = decode_xml(text, arena, limits, options);
    BOOST_REQUIRE_MESSAGE(!r, "decode unexpectedly succeeded: " << (r ? to_json(*r) : ""));
    return r.error().message;
  }
};

const char* const billion_laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>)";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(xml_decode, xml_fixture)

BOOST_AUTO_TEST_CASE(keeps_the_root_element_as_the_single_member) {
  BOOST_TEST(json("<response><id>1</id></response>") == R"({"response":{"id":"1"}})");
}

BOOST_AUTO_TEST_CASE(element_with_only_text_is_a_string) {
  BOOST_TEST(json("<r>3490.0000</r>") == R"({"r":"3490.0000"})");
}

BOOST_AUTO_TEST_CASE(empty_elements_are_empty_strings) {
  BOOST_TEST(json("<r><a/><b></b></r>") == R"({"r":{"a":"","b":""}})");
}

BOOST_AUTO_TEST_CASE(text_keeps_its_surrounding_whitespace) {
  BOOST_TEST(json("<r><a> x </a><b>  </b></r>") == R"({"r":{"a":" x ","b":"  "}})");
}

BOOST_AUTO_TEST_CASE(indentation_between_elements_is_ignored) {
  BOOST_TEST(json("<r>\n  <a>1</a>\n  <b>2</b>\n</r>\n") == R"({"r":{"a":"1","b":"2"}})");
}

BOOST_AUTO_TEST_CASE(attributes_become_at_members_before_children) {
  BOOST_TEST(json(R"(<r id="7" kind='x'><a>1</a></r>)") ==
             R"({"r":{"@id":"7","@kind":"x","a":"1"}})");
}

BOOST_AUTO_TEST_CASE(element_with_attributes_and_text_puts_the_text_in_hash_text) {
  BOOST_TEST(json(R"(<r><p cur="RUB">10</p></r>)") == R"({"r":{"p":{"@cur":"RUB","#text":"10"}}})");
}

BOOST_AUTO_TEST_CASE(element_with_only_attributes_has_no_hash_text) {
  BOOST_TEST(json(R"(<r><p cur="RUB"/></r>)") == R"({"r":{"p":{"@cur":"RUB"}}})");
}

BOOST_AUTO_TEST_CASE(text_beside_child_elements_becomes_hash_text_where_it_appeared) {
  BOOST_TEST(json("<r>head<a>1</a></r>") == R"({"r":{"#text":"head","a":"1"}})");
  BOOST_TEST(json("<r><a>1</a>tail</r>") == R"({"r":{"a":"1","#text":"tail"}})");
}

BOOST_AUTO_TEST_CASE(text_pieces_around_child_elements_are_joined) {
  BOOST_TEST(json("<r>x<a/>y<![CDATA[z]]></r>") == R"({"r":{"#text":"xyz","a":""}})");
}

BOOST_AUTO_TEST_CASE(repeated_siblings_become_an_array_where_the_first_appeared) {
  BOOST_TEST(json("<r><x>1</x><y>2</y><x>3</x><x>4</x></r>") ==
             R"({"r":{"x":["1","3","4"],"y":"2"}})");
}

BOOST_AUTO_TEST_CASE(many_distinct_repeated_siblings_are_grouped_correctly) {
  std::string text = "<r>";
  std::string expected = R"({"r":{)";
  for (int i = 0; i < 20; ++i) {
    text += "<k" + std::to_string(i) + ">a</k" + std::to_string(i) + ">";
    expected += "\"k" + std::to_string(i) + "\":[\"a\",\"b\"],";
  }
  for (int i = 0; i < 20; ++i)
    text += "<k" + std::to_string(i) + ">b</k" + std::to_string(i) + ">";
  text += "</r>";
  expected.back() = '}';
  BOOST_TEST(json(text) == expected + "}");
}

BOOST_AUTO_TEST_CASE(lone_element_is_not_an_array_by_default) {
  BOOST_TEST(json("<r><orders><order><id>1</id></order></orders></r>") ==
             R"({"r":{"orders":{"order":{"id":"1"}}}})");
}

BOOST_AUTO_TEST_CASE(always_array_makes_a_lone_element_an_array) {
  options.always_array = {"r.orders.order"};
  BOOST_TEST(json("<r><orders><order><id>1</id></order></orders></r>") ==
             R"({"r":{"orders":{"order":[{"id":"1"}]}}})");
}

BOOST_AUTO_TEST_CASE(always_array_makes_a_lone_text_element_an_array) {
  options.always_array = {"r.tag"};
  BOOST_TEST(json("<r><tag>a</tag><tag2/></r>") == R"({"r":{"tag":["a"],"tag2":""}})");
}

BOOST_AUTO_TEST_CASE(always_array_leaves_an_absent_element_absent) {
  options.always_array = {"r.orders.order"};
  BOOST_TEST(json("<r><count>0</count></r>") == R"({"r":{"count":"0"}})");
}

BOOST_AUTO_TEST_CASE(always_array_paths_start_at_the_root_element) {
  options.always_array = {"orders.order", "x.r.orders.order", "r.order"};
  BOOST_TEST(json("<r><orders><order>1</order></orders></r>") ==
             R"({"r":{"orders":{"order":"1"}}})");
}

BOOST_AUTO_TEST_CASE(always_array_can_name_the_root_element) {
  options.always_array = {"r"};
  BOOST_TEST(json("<r><a>1</a></r>") == R"({"r":[{"a":"1"}]})");
}

BOOST_AUTO_TEST_CASE(element_names_with_dots_are_kept) {
  options.always_array = {"r.params.shipping_address.city"};
  BOOST_TEST(json("<r><params><shipping_address.city>M</shipping_address.city></params></r>") ==
             R"({"r":{"params":{"shipping_address.city":["M"]}}})");
}

BOOST_AUTO_TEST_CASE(predefined_entities_and_character_references_are_decoded) {
  BOOST_TEST(decode("<r>&lt;&gt;&amp;&apos;&quot;&#65;&#x416;&#x1F600;</r>").find("r")->text() ==
             "<>&'\"AЖ😀");
}

BOOST_AUTO_TEST_CASE(references_in_attributes_are_decoded) {
  BOOST_TEST(json(R"(<r a="x&amp;y&#10;"/>)") == R"({"r":{"@a":"x&y\n"}})");
}

BOOST_AUTO_TEST_CASE(cdata_is_kept_verbatim) {
  BOOST_TEST(json("<r><![CDATA[<b>&amp;</b>]]></r>") == R"({"r":"<b>&amp;</b>"})");
}

BOOST_AUTO_TEST_CASE(line_endings_are_normalised) {
  BOOST_TEST(json("<r>a\r\nb</r>") == R"({"r":"a\nb"})");
}

BOOST_AUTO_TEST_CASE(declaration_bom_comments_and_processing_instructions_are_skipped) {
  BOOST_TEST(
      json("\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><r><?pi x?><a>1<!-- c --></a></r>") ==
      R"({"r":{"a":"1"}})");
}

BOOST_AUTO_TEST_CASE(accepts_nesting_at_the_depth_limit) {
  limits.max_depth = 3;
  BOOST_TEST(json("<a><b><c>1</c></b></a>") == R"({"a":{"b":{"c":"1"}}})");
}

BOOST_AUTO_TEST_CASE(refuses_nesting_one_level_deeper_than_the_limit) {
  limits.max_depth = 3;
  BOOST_TEST(error("<a><b><c><d/></c></b></a>") == "XML nesting deeper than 3 elements at byte 10");
}

BOOST_AUTO_TEST_CASE(refuses_hundred_thousand_nested_elements_without_overflowing_the_stack) {
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += "<a>";
  for (int i = 0; i < 100000; ++i)
    text += "</a>";
  limits.max_depth = 1000000;  // the converter itself must not recurse
  BOOST_TEST(decode(text).is_object());
  limits.max_depth = 64;
  BOOST_TEST(contains(error(text), "XML nesting deeper than 64 elements"));
}

BOOST_AUTO_TEST_CASE(refuses_input_over_the_size_limit) {
  limits.max_bytes = 8;
  BOOST_TEST(error("<r>12345</r>") == "XML document of 12 bytes exceeds the limit of 8");
}

BOOST_AUTO_TEST_CASE(refuses_a_doctype_and_says_where) {
  BOOST_TEST(
      contains(error("<!DOCTYPE r><r/>"), "XML document type declaration (DOCTYPE) at byte"));
}

BOOST_AUTO_TEST_CASE(refuses_a_doctype_inside_an_element) {
  BOOST_TEST(contains(error("<r><!DOCTYPE r></r>"), "malformed XML at byte"));
}

BOOST_AUTO_TEST_CASE(refuses_billion_laughs) {
  BOOST_TEST(contains(error(billion_laughs), "DOCTYPE"));
}

BOOST_AUTO_TEST_CASE(refuses_an_external_entity) {
  BOOST_TEST(contains(error(R"(<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>)"),
                      "DOCTYPE"));
}

BOOST_AUTO_TEST_CASE(refuses_an_entity_that_is_not_predefined) {
  BOOST_TEST(error("<r>a&lol;</r>") ==
             "malformed XML at byte 4: entity &lol; is not one of the five predefined ones "
             "(no DTD is read)");
}

BOOST_AUTO_TEST_CASE(refuses_an_ampersand_that_starts_no_reference) {
  BOOST_TEST(error("<r>a & b</r>") ==
             "malformed XML at byte 5: '&' starts no entity or character reference");
}

BOOST_AUTO_TEST_CASE(refuses_a_character_reference_to_nul) {
  BOOST_TEST(error("<r>x&#0;y</r>") ==
             "malformed XML at byte 4: character reference &#0; names a character XML 1.0 does "
             "not allow");
}

BOOST_AUTO_TEST_CASE(refuses_character_references_to_forbidden_characters) {
  BOOST_TEST(contains(error("<r>&#1;</r>"), "names a character XML 1.0 does not allow"));
  BOOST_TEST(contains(error("<r>&#xD800;</r>"), "names a character XML 1.0 does not allow"));
  BOOST_TEST(contains(error("<r>&#xFFFE;</r>"), "names a character XML 1.0 does not allow"));
  BOOST_TEST(contains(error("<r>&#x110000;</r>"), "names a character XML 1.0 does not allow"));
  BOOST_TEST(contains(error("<r>&#4294967296;</r>"), "names a character XML 1.0 does not allow"));
}

BOOST_AUTO_TEST_CASE(refuses_malformed_character_references) {
  BOOST_TEST(error("<r>&#xZZ;</r>") == "malformed XML at byte 3: bad character reference &#xZZ;");
  BOOST_TEST(contains(error("<r>&#;</r>"), "bad character reference &#;"));
  BOOST_TEST(contains(error("<r>&#X41;</r>"), "bad character reference &#X41;"));
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_reference_in_an_attribute) {
  BOOST_TEST(error(R"(<r a="&#0;"/>)") ==
             "malformed XML at byte 6: character reference &#0; names a character XML 1.0 does "
             "not allow");
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8) {
  BOOST_TEST(error("<r>\xD0</r>") == "XML document is not valid UTF-8 at byte 3");
}

BOOST_AUTO_TEST_CASE(refuses_control_characters) {
  BOOST_TEST(error("<r>a\x01</r>") ==
             "XML document contains U+0001 at byte 4, which XML 1.0 does not allow");
}

BOOST_AUTO_TEST_CASE(refuses_a_nul_byte) {
  BOOST_TEST(error(std::string_view("<r>\0</r>", 8)) ==
             "XML document contains U+0000 at byte 3, which XML 1.0 does not allow");
}

BOOST_AUTO_TEST_CASE(refuses_mismatched_tags_and_says_where) {
  BOOST_TEST(error("<r><a></r>") == "malformed XML at byte 8: Start-end tags mismatch");
}

BOOST_AUTO_TEST_CASE(refuses_empty_input) {
  BOOST_TEST(error("") == "malformed XML: no root element");
  BOOST_TEST(error(" \n<!-- only a comment -->\n") == "malformed XML: no root element");
}

BOOST_AUTO_TEST_CASE(refuses_a_second_root_element) {
  BOOST_TEST(error("<a/><b/>") == "malformed XML at byte 5: second root element <b>");
}

BOOST_AUTO_TEST_CASE(refuses_text_outside_the_root_element) {
  BOOST_TEST(contains(error("junk<r/>"), "text outside the root element"));
  BOOST_TEST(contains(error("<r/>x"), "text outside the root element"));
}

BOOST_AUTO_TEST_CASE(refuses_an_attribute_given_twice) {
  BOOST_TEST(error(R"(<r a="1" a="2"/>)") ==
             R"(malformed XML at byte 1: attribute "a" given twice in <r>)");
}

BOOST_AUTO_TEST_CASE(decodes_the_webasyst_order_search_answer) {
  options.always_array = {"response.orders.order", "response.orders.order.items.item"};
  const node doc = decode(read_data("order_search_c2_xml.xml"));
  const node& response = *doc.find("response");
  BOOST_TEST(response.find("count")->text() == "8");
  const node& orders = *response.find("orders")->find("order");
  BOOST_REQUIRE(orders.size() == 8u);
  const node& first = orders.items()[0];
  BOOST_TEST(first.find("comment")->text() == "Позвоните заранее, <b>срочно</b> & «быстро»!");
  BOOST_TEST(first.find("update_datetime")->text() == "");
  const node& items = *first.find("items")->find("item");
  BOOST_TEST(items.items()[0].find("name")->text() == "Чайник «Ретро» &amp; заварник &lt;1 л&gt;");
}

BOOST_AUTO_TEST_CASE(decodes_the_webasyst_order_getinfo_answer) {
  options.always_array = {"response.items.item"};
  const node doc = decode(read_data("order_getinfo_5_four_items_discount_tracking_xml.xml"));
  const node& response = *doc.find("response");
  BOOST_TEST(response.find("id")->text() == "5");
  BOOST_TEST(response.find("params")->find("shipping_address.city")->text() == "Москва");
  BOOST_TEST(response.find("params")->find("tracking_number")->text() == "CDEK-1098765432");
  BOOST_TEST(response.find("items")->find("item")->size() == 4u);
}

BOOST_AUTO_TEST_CASE(webasyst_search_without_orders_has_no_orders_member) {
  options.always_array = {"response.orders.order"};
  BOOST_TEST(json(read_data("order_search_c5_no_orders_xml.xml")) ==
             R"({"response":{"offset":"0","limit":"100","count":"0"}})");
}

BOOST_AUTO_TEST_SUITE_END()
