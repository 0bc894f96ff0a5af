// XML encoding (decoding is tested in test_xml.cpp).

#include "ordergate/codec/xml.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <memory_resource>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ordergate::codec;

namespace {

struct xml_writer_fixture {
  std::pmr::monotonic_buffer_resource arena;
  xml_encode_options options;

  xml_writer_fixture() { options.declaration = false; }

  node json(std::string_view text) {
    auto r = decode_json_copy(text, arena);
    BOOST_REQUIRE_MESSAGE(r, "bad test JSON: " << (r ? "" : r.error().message));
    return *r;
  }
  std::string xml(std::string_view json_text) {
    std::string out;
    xml_writer w(out, options);
    write(w, json(json_text));
    BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
    return out;
  }
  /// The document {"a": value} written through the writer's events (the value may hold
  /// bytes JSON text could not): the output and the writer's error, if any.
  std::pair<std::string, std::optional<std::string>> write_value(std::string_view value) {
    std::string out;
    xml_writer w(out, options);
    w.begin_object();
    w.key("a");
    w.string(value);
    w.end_object();
    return {out, w.error()};
  }
  std::string xml_of_value(std::string_view value) {
    auto [out, error] = write_value(value);
    BOOST_REQUIRE_MESSAGE(!error, *error);
    return out;
  }
  std::string error_of_value(std::string_view value) {
    auto [out, error] = write_value(value);
    BOOST_REQUIRE_MESSAGE(error, "encode unexpectedly succeeded: " << out);
    return *error;
  }
  std::string error_of_key(std::string_view key) {
    std::string out;
    xml_writer w(out, options);
    w.begin_object();
    w.key(key);
    BOOST_REQUIRE_MESSAGE(w.failed(), "key unexpectedly accepted: " << out);
    return *w.error();
  }
  std::string error(std::string_view json_text, std::size_t max_bytes = SIZE_MAX) {
    std::string out;
    xml_writer w(out, options, max_bytes);
    write(w, json(json_text));
    BOOST_REQUIRE_MESSAGE(w.failed(), "encode unexpectedly succeeded: " << out);
    return *w.error();
  }
};

/// Escaping as the writer documents it, one byte at a time: what the fast path must match.
std::string escaped_slowly(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string refusal(std::size_t byte, std::string_view code_point) {
  return "XML output: the value at a contains " + std::string(code_point) + " at byte " +
         std::to_string(byte) + ", which XML 1.0 does not allow";
}

constexpr std::string_view forty_plain_bytes = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";

/// Calls `check(value, at)` for every plain value of 1 to 40 bytes with each of `bytes`
/// put at each of its places. Plain runs are skipped sixteen bytes at a time, and runs of
/// 4 to 15 bytes as their first and last 8 (or 4) bytes: a byte must be found wherever it
/// falls, inside a block, on its edges, in the overlap and in the tail.
template <class Check>
void each_byte_at_each_place(std::initializer_list<char> bytes, Check check) {
  for (std::size_t size = 1; size <= forty_plain_bytes.size(); ++size) {
    for (const char c : bytes) {
      for (std::size_t at = 0; at < size; ++at) {
        std::string value(forty_plain_bytes.substr(0, size));
        value[at] = c;
        check(value, at);
      }
    }
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(xml_encode, xml_writer_fixture)

BOOST_AUTO_TEST_CASE(writes_the_market_import_body_byte_for_byte) {
  options = {};
  options.root = "xml";
  options.arrays = xml_array_style::repeat;
  options.element_names = {{"data", "row"}};
  const std::string expected =
      R"(<?xml version="1.0" encoding="UTF-8"?><xml><row><external_id>a</external_id>)"
      R"(<tags>giftcard</tags><custom_fields><number>3048</number></custom_fields>)"
      R"(<lines><external_id>a</external_id><count>1</count></lines></row></xml>)";
  BOOST_TEST(
      xml(R"({"data":[{"external_id":"a","tags":["giftcard"],"custom_fields":{"number":3048},)"
          R"("lines":[{"external_id":"a","count":1}]}]})") == expected);
}

BOOST_AUTO_TEST_CASE(writes_the_declaration_when_asked) {
  options.declaration = true;
  BOOST_TEST(xml(R"({"a":1})") == R"(<?xml version="1.0" encoding="UTF-8"?><xml><a>1</a></xml>)");
}

BOOST_AUTO_TEST_CASE(writes_members_in_event_order_inside_the_root) {
  options.root = "response";
  BOOST_TEST(xml(R"({"z":"1","a":{"y":"2","b":"3"}})") ==
             "<response><z>1</z><a><y>2</y><b>3</b></a></response>");
}

BOOST_AUTO_TEST_CASE(repeat_style_names_items_after_the_key_by_default) {
  BOOST_TEST(xml(R"({"tags":["a","b"]})") == "<xml><tags>a</tags><tags>b</tags></xml>");
}

BOOST_AUTO_TEST_CASE(repeat_style_uses_the_element_name_of_the_key) {
  options.element_names = {{"data", "row"}};
  BOOST_TEST(xml(R"({"data":[{"id":1},{"id":2}]})") ==
             "<xml><row><id>1</id></row><row><id>2</id></row></xml>");
}

BOOST_AUTO_TEST_CASE(wrap_style_writes_a_wrapper_with_named_items) {
  options.arrays = xml_array_style::wrap;
  options.element_names = {{"orders", "order"}};
  BOOST_TEST(xml(R"({"orders":[{"id":1},{"id":2}],"tags":["a"]})") ==
             "<xml><orders><order><id>1</id></order><order><id>2</id></order></orders>"
             "<tags><item>a</item></tags></xml>");
}

BOOST_AUTO_TEST_CASE(wrap_style_uses_the_default_item_name) {
  options.arrays = xml_array_style::wrap;
  options.default_item = "entry";
  BOOST_TEST(xml(R"({"tags":["a","b"]})") ==
             "<xml><tags><entry>a</entry><entry>b</entry></tags></xml>");
}

BOOST_AUTO_TEST_CASE(repeat_style_flattens_an_array_inside_an_array) {
  BOOST_TEST(xml(R"({"k":[["a","b"],"c"]})") == "<xml><k>a</k><k>b</k><k>c</k></xml>");
}

BOOST_AUTO_TEST_CASE(wrap_style_nests_an_array_inside_an_array_under_the_item_name) {
  options.arrays = xml_array_style::wrap;
  BOOST_TEST(xml(R"({"k":[["a","b"],"c"]})") ==
             "<xml><k><item><item>a</item><item>b</item></item><item>c</item></k></xml>");
}

BOOST_AUTO_TEST_CASE(null_and_empty_string_are_self_closing_elements) {
  BOOST_TEST(xml(R"({"a":null,"b":""})") == "<xml><a/><b/></xml>");
}

BOOST_AUTO_TEST_CASE(empty_object_is_a_self_closing_element) {
  BOOST_TEST(xml(R"({"a":{}})") == "<xml><a/></xml>");
  BOOST_TEST(xml("{}") == "<xml/>");
}

BOOST_AUTO_TEST_CASE(empty_array_writes_nothing_with_repeat) {
  BOOST_TEST(xml(R"({"a":[],"b":1})") == "<xml><b>1</b></xml>");
}

BOOST_AUTO_TEST_CASE(empty_array_is_a_self_closing_wrapper_with_wrap) {
  options.arrays = xml_array_style::wrap;
  BOOST_TEST(xml(R"({"a":[]})") == "<xml><a/></xml>");
}

BOOST_AUTO_TEST_CASE(booleans_are_true_and_false_and_numbers_their_literal) {
  BOOST_TEST(xml(R"({"t":true,"f":false,"n":-1.50e3})") ==
             "<xml><t>true</t><f>false</f><n>-1.50e3</n></xml>");
}

BOOST_AUTO_TEST_CASE(escapes_markup_characters_in_text) {
  BOOST_TEST(xml(R"({"a":"<b>x & y</b> \"q\" 'a'"})") ==
             "<xml><a>&lt;b&gt;x &amp; y&lt;/b&gt; \"q\" 'a'</a></xml>");
}

BOOST_AUTO_TEST_CASE(keeps_tabs_newlines_and_escapes_carriage_returns) {
  BOOST_TEST(xml(R"({"a":"1\t2\n3\r4"})") == "<xml><a>1\t2\n3&#13;4</a></xml>");
}

BOOST_AUTO_TEST_CASE(writes_utf8_text_and_names_as_they_are) {
  BOOST_TEST(xml(R"({"город":"Москва «центр»"})") == "<xml><город>Москва «центр»</город></xml>");
}

BOOST_AUTO_TEST_CASE(escapes_markup_at_every_position_of_values_up_to_forty_bytes) {
  each_byte_at_each_place({'&', '<', '>', '\r'}, [&](const std::string& value, std::size_t) {
    BOOST_TEST(xml_of_value(value) == "<xml><a>" + escaped_slowly(value) + "</a></xml>");
  });
}

BOOST_AUTO_TEST_CASE(keeps_tabs_line_feeds_and_del_anywhere_in_values_up_to_forty_bytes) {
  each_byte_at_each_place({'\t', '\n', '\x7F'}, [&](const std::string& value, std::size_t) {
    BOOST_TEST(xml_of_value(value) == "<xml><a>" + value + "</a></xml>");
  });
}

BOOST_AUTO_TEST_CASE(writes_non_ascii_text_of_every_sequence_length_with_markup_around_it) {
  // Two-byte (é, Cyrillic), three-byte (€, U+FFFD) and four-byte (emoji) sequences, at the
  // start, inside and at the end of plain runs longer and shorter than sixteen bytes.
  const std::string value =
      "é<Москва & Питер>€\r" + std::string(forty_plain_bytes) + "\xEF\xBF\xBD😀a>b😀";
  BOOST_TEST(xml_of_value(value) == "<xml><a>" + escaped_slowly(value) + "</a></xml>");
  BOOST_TEST(xml_of_value("ж") == "<xml><a>ж</a></xml>");
  BOOST_TEST(xml_of_value(std::string(forty_plain_bytes) + "ж") ==
             "<xml><a>" + std::string(forty_plain_bytes) + "ж</a></xml>");
}

BOOST_AUTO_TEST_CASE(refuses_a_control_character_at_every_position_of_values_up_to_forty_bytes) {
  each_byte_at_each_place(
      {'\x01', '\x0B', '\x0C', '\x1F'}, [&](const std::string& value, std::size_t at) {
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(value[at]));
        BOOST_TEST(error_of_value(value) == refusal(at, code));
      });
}

BOOST_AUTO_TEST_CASE(refuses_the_first_fault_after_markup_and_non_ascii_text) {
  BOOST_TEST(error_of_value("a&b<ж>\r\x02\x01") == refusal(8, "U+0002"));
  BOOST_TEST(error_of_value(std::string(forty_plain_bytes) + "&\xEF\xBF\xBE") ==
             refusal(41, "U+FFFE"));
  BOOST_TEST(error_of_value("ж\xEF\xBF\xBF") == refusal(2, "U+FFFF"));
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8_wherever_it_is) {
  const std::string prefix = std::string(forty_plain_bytes) + "&ж";
  for (const std::string_view bad : {"\x80", "\xC0\x80", "\xC3", "\xC3x", "\xE2\x82",
                                     "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8"}) {
    BOOST_TEST(error_of_value(std::string(bad) + "x") ==
               "XML output: the value at a is not valid UTF-8 at byte 0");
    BOOST_TEST(error_of_value(prefix + std::string(bad)) ==
               "XML output: the value at a is not valid UTF-8 at byte 43");
  }
}

BOOST_AUTO_TEST_CASE(a_refused_value_leaves_the_output_as_it_was) {
  std::string out;
  {
    xml_writer w(out, options);
    w.begin_object();
    w.key("a");
    w.string("ok");
    w.key("b");
    w.string(std::string(forty_plain_bytes) + "&<ж>\x01");
    BOOST_REQUIRE(w.failed());
  }  // a writer hands over what it wrote when it ends, even after failing
  BOOST_TEST(out == "<xml><a>ok</a>");
}

BOOST_AUTO_TEST_CASE(refuses_a_control_character_and_names_where) {
  BOOST_TEST(error(R"({"data":[{"note":"a\u0001"}]})") ==
             "XML output: the value at data[0].note contains U+0001 at byte 1, which XML 1.0 "
             "does not allow");
}

BOOST_AUTO_TEST_CASE(refuses_a_nul_character) {
  BOOST_TEST(error(R"({"a":"\u0000"})").find("contains U+0000") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_noncharacters_fffe_and_ffff) {
  BOOST_TEST(error(R"({"a":"\uFFFE"})").find("contains U+FFFE") != std::string::npos);
  BOOST_TEST(error(R"({"tags":["ok","\uFFFF"]})") ==
             "XML output: the value at tags[1] contains U+FFFF at byte 0, which XML 1.0 does not "
             "allow");
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8_in_a_value) {
  std::string out;
  xml_writer w(out, options);
  w.begin_object();
  w.key("a");
  w.string("x\xC3");
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == "XML output: the value at a is not valid UTF-8 at byte 1");
}

BOOST_AUTO_TEST_CASE(refuses_keys_that_are_not_xml_names) {
  BOOST_TEST(error(R"({"1st":1})") ==
             R"(XML output: key "1st" is not a valid XML element name (in the root object))");
  BOOST_TEST(error(R"({"a":{"b c":1}})") ==
             R"(XML output: key "b c" is not a valid XML element name (in a))");
  BOOST_TEST(error(R"({"":1})").find("key \"\" is not") != std::string::npos);
  BOOST_TEST(error(R"({"@id":1})").find("key \"@id\" is not") != std::string::npos);
  BOOST_TEST(error(R"({"a\nb":1})").find(R"(key "a\x0Ab" is not)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(accepts_names_that_are_valid_only_through_non_ascii_characters) {
  BOOST_TEST(xml(R"({"éa":1,"_é":2,"a·b":3,"ф1":4,"a\u0301":5})") ==
             "<xml><éa>1</éa><_é>2</_é><a·b>3</a·b><ф1>4</ф1><a\u0301>5</a\u0301></xml>");
}

BOOST_AUTO_TEST_CASE(refuses_names_whose_non_ascii_characters_are_not_name_characters) {
  BOOST_TEST(error(R"({"·a":1})") ==
             R"(XML output: key "·a" is not a valid XML element name (in the root object))");
  BOOST_TEST(error(R"({"a×b":1})") ==
             R"(XML output: key "a×b" is not a valid XML element name (in the root object))");
  BOOST_TEST(error_of_key("a\xC3") ==
             R"(XML output: key "a\xC3" is not a valid XML element name (in the root object))");
  BOOST_TEST(error_of_key("\xD1\x84 x") ==
             R"(XML output: key "ф x" is not a valid XML element name (in the root object))");
}

BOOST_AUTO_TEST_CASE(a_key_seen_valid_does_not_admit_an_invalid_key_of_the_same_shape) {
  // Same length, same first and last eight bytes: the remembered names must be compared
  // in full, not by what locates them.
  BOOST_TEST(error(R"({"list":[{"abcdefgh_ijklmnop":1},{"abcdefgh_ijklmnop":2},)"
                   R"({"abcdefgh ijklmnop":3}]})") ==
             R"(XML output: key "abcdefgh ijklmnop" is not a valid XML element name (in list[2]))");
}

BOOST_AUTO_TEST_CASE(many_distinct_keys_are_all_written_and_still_checked) {
  // More names than the writer remembers (32, 1 KiB): the rest are checked every time.
  std::string json = "{";
  std::string expected = "<xml>";
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 60; ++i) {
      const std::string name = "key_" + std::string(static_cast<std::size_t>(i), 'x') + "_" +
                               std::to_string(i) + "_" + std::to_string(round);
      json += "\"" + name + "\":" + std::to_string(i) + ",";
      expected += "<" + name + ">" + std::to_string(i) + "</" + name + ">";
    }
  }
  BOOST_TEST(xml(json + R"("z":0})") == expected + "<z>0</z></xml>");
  BOOST_TEST(error(json + R"("z z":0})") ==
             R"(XML output: key "z z" is not a valid XML element name (in the root object))");
}

BOOST_AUTO_TEST_CASE(refuses_an_invalid_root_name) {
  options.root = "<x>";
  BOOST_TEST(error(R"({"a":1})") ==
             R"(XML output: root element name "<x>" is not a valid XML element name)");
}

BOOST_AUTO_TEST_CASE(refuses_an_invalid_element_name_option) {
  options.element_names = {{"data", "a row"}};
  BOOST_TEST(error(R"({"a":1})") ==
             R"(XML output: element name for key "data" "a row" is not a valid XML element name)");
}

BOOST_AUTO_TEST_CASE(refuses_an_invalid_default_item_with_wrap) {
  options.arrays = xml_array_style::wrap;
  options.default_item = "";
  BOOST_TEST(error(R"({"a":1})") ==
             R"(XML output: default item name "" is not a valid XML element name)");
}

BOOST_AUTO_TEST_CASE(refuses_a_top_level_array_or_scalar) {
  BOOST_TEST(error("[1]") == "XML output: the top-level value must be an object");
  BOOST_TEST(error(R"("x")") == "XML output: the top-level value must be an object");
}

BOOST_AUTO_TEST_CASE(refuses_a_second_top_level_value) {
  std::string out;
  xml_writer w(out, options);
  write(w, json(R"({"a":1})"));
  write(w, json(R"({"b":2})"));
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == "XML output: more than one top-level value");
}

BOOST_AUTO_TEST_CASE(refuses_a_value_without_a_key) {
  std::string out;
  xml_writer w(out, options);
  w.begin_object();
  w.string("x");
  BOOST_TEST(*w.error() == "XML output: a value without a key inside the root object");
}

BOOST_AUTO_TEST_CASE(refuses_a_key_without_a_value) {
  std::string out;
  xml_writer w(out, options);
  w.begin_object();
  w.key("a");
  w.key("b");
  BOOST_TEST(*w.error() == R"(XML output: key "a" has no value)");
  xml_writer v(out, options);
  v.begin_object();
  v.key("a");
  v.end_object();
  BOOST_TEST(*v.error() == R"(XML output: key "a" has no value)");
}

BOOST_AUTO_TEST_CASE(refuses_a_key_outside_an_object) {
  std::string out;
  xml_writer w(out, options);
  w.key("a");
  BOOST_TEST(*w.error() == R"(XML output: key "a" outside an object)");
}

BOOST_AUTO_TEST_CASE(refuses_unbalanced_ends) {
  std::string out;
  xml_writer objects(out, options);
  objects.begin_object();
  objects.key("a");
  objects.begin_array();
  objects.end_object();
  BOOST_TEST(*objects.error() == "XML output: end of an object that was not begun");
  xml_writer arrays(out, options);
  arrays.begin_object();
  arrays.end_array();
  BOOST_TEST(*arrays.error() == "XML output: end of an array that was not begun");
}

BOOST_AUTO_TEST_CASE(fails_once_output_exceeds_max_bytes) {
  BOOST_TEST(error(R"({"a":"0123456789"})", 16) == "XML output exceeds the limit of 16 bytes");
}

BOOST_AUTO_TEST_CASE(ignores_events_after_failure) {
  std::string out;
  {
    xml_writer w(out, options);
    w.begin_object();
    w.key("1st");
    BOOST_REQUIRE(w.failed());
    w.key("b");
    w.string("x");
    w.end_object();
  }
  BOOST_TEST(out == "<xml");  // what came before the failure, and nothing after it
}

BOOST_AUTO_TEST_CASE(prepared_keys_write_what_keys_by_name_do) {
  for (const std::string_view name : {"a", "external_id", "a_name_longer_than_the_small_string"}) {
    const auto document = [&](auto&& key) {
      std::string out;
      xml_writer w(out, options);
      w.begin_object();
      key(w);
      w.begin_object();
      key(w);
      w.string("v");
      w.end_object();
      key(w);
      w.begin_array();
      w.number("1");
      w.begin_object();
      key(w);
      w.null();
      w.end_object();
      w.end_array();
      w.end_object();
      BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
      return out;
    };
    const member_key prepared(name);
    const std::string by_name = document([&](xml_writer& w) { w.key(name); });
    BOOST_TEST(document([&](xml_writer& w) { w.key(prepared); }) == by_name);
    const std::string n(name);
    BOOST_TEST(by_name == "<xml><" + n + "><" + n + ">v</" + n + "></" + n + "><" + n + ">1</" + n +
                              "><" + n + "><" + n + "/></" + n + "></xml>");
  }
  // A prepared name that is not an XML name is refused as the same name by name is.
  const member_key bad("1st");
  std::string out;
  xml_writer w(out, options);
  w.begin_object();
  w.key(bad);
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == error_of_key("1st"));
}

BOOST_AUTO_TEST_CASE(a_member_in_one_event_is_written_and_refused_as_its_two_events_would_be) {
  const auto document = [&](auto members) {
    std::string out;
    xml_writer w(out, options);
    w.begin_object();
    members(w);
    w.end_object();
    return std::pair{out, w.error()};
  };
  const member_key id("id");
  const member_key bad("1st");
  // Written: text to escape, an empty string, a number.
  const auto by_events = document([&](xml_writer& w) {
    w.key(id);
    w.string("a<b & c");
    w.key(id);
    w.string("");
    w.key(id);
    w.number("-1.5");
  });
  const auto in_one = document([&](xml_writer& w) {
    w.string_member(id, "a<b & c");
    w.string_member(id, "");
    w.number_member(id, "-1.5");
  });
  BOOST_TEST(!in_one.second.has_value());
  BOOST_TEST(in_one.first == by_events.first);
  BOOST_TEST(in_one.first == "<xml><id>a&lt;b &amp; c</id><id/><id>-1.5</id></xml>");
  // Refused: a name XML cannot have, a value XML cannot carry; nothing after a failure.
  for (const std::string_view value : {std::string_view("ok"), std::string_view("\x01")}) {
    for (const member_key* key : {&id, &bad}) {
      if (key == &id && value == "ok") continue;
      const auto events = document([&](xml_writer& w) {
        w.key(*key);
        w.string(value);
        w.key(id);
        w.number("1");
      });
      const auto one = document([&](xml_writer& w) {
        w.string_member(*key, value);
        w.number_member(id, "1");
      });
      BOOST_REQUIRE(one.second.has_value());
      BOOST_TEST(*one.second == *events.second);
    }
  }
  const auto bad_number = document([&](xml_writer& w) { w.number_member(bad, "1"); });
  BOOST_REQUIRE(bad_number.second.has_value());
  BOOST_TEST(*bad_number.second == error_of_key("1st"));
}

BOOST_AUTO_TEST_CASE(a_key_given_only_for_its_event_names_what_comes_under_it) {
  // The caller's string is gone (here: overwritten) once key() returns; the writer keeps
  // its own copy, which stays in place however many frames open above it.
  std::string out;
  std::string expected = "<xml>";
  {
    xml_writer w(out, options);
    w.begin_object();
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i) {
      // Short names fit a string's own bytes, long ones are allocated: both kinds.
      names.push_back(i % 2 == 0 ? "k" + std::to_string(i)
                                 : "a_key_longer_than_a_small_string_" + std::to_string(i));
      std::string key = names.back();
      w.key(key);
      key.assign(key.size(), 'x');
      w.begin_object();
      expected += "<" + names.back() + ">";
    }
    std::string key = "leaf";
    w.key(key);
    key = "gone";
    w.string("v");
    expected += "<leaf>v</leaf>";
    for (int i = 39; i >= 0; --i) {
      w.end_object();
      expected += "</" + names[static_cast<std::size_t>(i)] + ">";
    }
    w.end_object();
    BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
  }
  BOOST_TEST(out == expected + "</xml>");
}

BOOST_AUTO_TEST_CASE(a_document_larger_than_the_writer_buffer) {
  // Past the writer's first buffer (16 KB), also in the middle of a value that is being
  // escaped, where each byte can become five.
  std::string plain(40000, 'p');
  std::string escaped;
  std::string expected_escaped;
  for (int i = 0; i < 20000; ++i) {
    escaped += i % 3 == 0 ? "&" : "ab";
    expected_escaped += i % 3 == 0 ? "&amp;" : "ab";
  }
  std::string out;
  xml_writer w(out, options);
  w.begin_object();
  w.key("a");
  w.string(plain);
  w.key("b");
  w.string(escaped);
  w.key("c");
  w.begin_array();
  for (int i = 0; i < 3000; ++i)
    w.string("<" + std::to_string(i) + ">");
  w.end_array();
  w.end_object();
  BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
  std::string expected = "<xml><a>" + plain + "</a><b>" + expected_escaped + "</b>";
  for (int i = 0; i < 3000; ++i)
    expected += "<c>&lt;" + std::to_string(i) + "&gt;</c>";
  BOOST_TEST(out == expected + "</xml>");
}

BOOST_AUTO_TEST_CASE(a_writer_inside_another_writes_its_own_document) {
  // The thread's spare buffer goes to one writer at a time, of either format.
  std::string outer_json;
  std::string inner_xml;
  std::string next_xml;
  {
    json_writer outer(outer_json);
    outer.begin_object();
    outer.key("a");
    {
      xml_writer inner(inner_xml, options);
      inner.begin_object();
      inner.key("b");
      inner.string("inner");
      inner.end_object();
    }
    outer.string("outer");
    outer.end_object();
  }
  {
    xml_writer next(next_xml, options);
    next.begin_object();
    next.key("c");
    next.number("1");
    next.end_object();
  }
  BOOST_TEST(outer_json == R"({"a":"outer"})");
  BOOST_TEST(inner_xml == "<xml><b>inner</b></xml>");
  BOOST_TEST(next_xml == "<xml><c>1</c></xml>");
  // And an XML writer inside another, each with its own open elements.
  std::string outer_xml;
  inner_xml.clear();
  {
    xml_writer outer(outer_xml, options);
    outer.begin_object();
    outer.key("a");
    outer.begin_object();
    outer.key("b");
    {
      xml_writer inner(inner_xml, options);
      inner.begin_object();
      inner.key("c");
      inner.begin_object();
      inner.key("d");
      inner.string("inner");
      inner.end_object();
      inner.end_object();
    }
    outer.string("outer");
    outer.end_object();
    outer.end_object();
  }
  BOOST_TEST(outer_xml == "<xml><a><b>outer</b></a></xml>");
  BOOST_TEST(inner_xml == "<xml><c><d>inner</d></c></xml>");
}

BOOST_AUTO_TEST_CASE(many_element_names_are_found_as_few_are) {
  // Up to eight names are scanned, more are looked up: both give each array its name.
  for (const int names : {1, 8, 9, 20}) {
    options.element_names.clear();
    for (int i = 0; i < names; ++i)
      options.element_names["list" + std::to_string(i)] = "item" + std::to_string(i);
    const std::string last = std::to_string(names - 1);
    BOOST_TEST(xml(R"({"list)" + last + R"(": [1, 2], "other": [3]})") ==
                   "<xml><item" + last + ">1</item" + last + "><item" + last + ">2</item" + last +
                       "><other>3</other></xml>",
               names);
  }
}

BOOST_AUTO_TEST_CASE(webasyst_answer_survives_decode_encode_decode) {
  std::ifstream in(std::string(ORDERGATE_TEST_DATA) + "/codec/order_search_c2_xml.xml");
  std::ostringstream text;
  text << in.rdbuf();
  xml_decode_options decoding;
  decoding.always_array = {"response.orders.order", "response.orders.order.items.item"};
  auto first = decode_xml(text.str(), arena, {}, decoding);
  BOOST_REQUIRE(first);
  options.root = "response";
  std::string out;
  xml_writer w(out, options);
  write(w, *first->find("response"));
  BOOST_REQUIRE(!w.failed());
  auto again = decode_xml(out, arena, {}, decoding);
  BOOST_REQUIRE(again);
  BOOST_TEST(equal(*first, *again));
}

BOOST_AUTO_TEST_SUITE_END()
