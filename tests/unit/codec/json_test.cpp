#include "ordergate/codec/json.hpp"
#include "ordergate/codec/projection.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <memory_resource>
#include <sstream>
#include <string>
#include <vector>

using namespace ordergate::codec;

namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(ORDERGATE_TEST_DATA) + "/codec/" + name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open test data " << name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct json_fixture {
  std::pmr::monotonic_buffer_resource arena;

  node decode(std::string_view text, const decode_limits& limits = {}) {
    auto r = decode_json_copy(text, arena, limits);
    BOOST_REQUIRE_MESSAGE(r, "decode failed: " << (r ? "" : r.error().message));
    return *r;
  }
  std::string error(std::string_view text, const decode_limits& limits = {}) {
    auto r = decode_json_copy(text, arena, limits);
    BOOST_REQUIRE_MESSAGE(!r, "decode unexpectedly succeeded: " << (r ? to_json(*r) : ""));
    return r.error().message;
  }
};

/// The compact document `{text: text}`, with `text` as a key and as a string value.
std::string key_and_value(std::string_view text) {
  std::string out;
  {
    json_writer w(out);
    w.begin_object();
    w.key(text);
    w.string(text);
    w.end_object();
  }
  return out;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(json_decode, json_fixture)

BOOST_AUTO_TEST_CASE(decodes_a_real_webasyst_search_answer_in_place) {
  std::string text = read_data("order_search_c2_default.json");
  const char* begin = text.data();
  auto r = decode_json(text, arena);
  BOOST_REQUIRE(r);
  const node& orders = *r->find("orders");
  BOOST_TEST(orders.size() == 8u);
  BOOST_TEST(r->find("count")->text() == "8");
  const node& first = orders.items()[0];
  BOOST_TEST(first.find("total")->text() == "3490.0000");
  BOOST_TEST(first.find("update_datetime")->is_null());
  BOOST_TEST(first.find("items")->items()[0].find("sort")->is_number());
  // In place: strings point into the (modified) input buffer.
  const std::string_view state = first.find("state_id")->text();
  BOOST_TEST((state.data() >= begin && state.data() < begin + text.size()));
}

BOOST_AUTO_TEST_CASE(decodes_escaped_slashes) {
  std::string text = read_data("order_search_c2_default.json");
  auto r = decode_json(text, arena);
  BOOST_REQUIRE(r);
  const std::string_view comment = r->find("orders")->items()[0].find("comment")->text();
  BOOST_TEST(comment == "Позвоните заранее, <b>срочно</b> & «быстро»!");
}

BOOST_AUTO_TEST_CASE(keeps_number_literals_as_text) {
  const node n = decode(R"({"a":1.50,"b":-0,"c":1e300,"d":12345678901234567890,"e":3.0E-2})");
  BOOST_TEST(n.find("a")->text() == "1.50");
  BOOST_TEST(n.find("b")->text() == "-0");
  BOOST_TEST(n.find("c")->text() == "1e300");
  BOOST_TEST(n.find("d")->text() == "12345678901234567890");
  BOOST_TEST(n.find("e")->text() == "3.0E-2");
  BOOST_TEST(n.find("a")->is_number());
}

// RapidJSON checks the exponent range even when numbers are kept as strings.
BOOST_AUTO_TEST_CASE(refuses_a_number_beyond_the_range_of_double) {
  BOOST_TEST(error(R"([1e400])") ==
             "malformed JSON at byte 1: Number too big to be stored in double.");
}

BOOST_AUTO_TEST_CASE(keeps_object_members_in_document_order) {
  BOOST_TEST(to_json(decode(R"({"z":1,"a":2,"m":3})")) == R"({"z":1,"a":2,"m":3})");
}

// Kept containers are placed in blocks of the arena that grow from 512 bytes to 8 KB;
// one of more than 2 KB takes room of its own. Small and large containers, many blocks'
// worth, and containers that do not fit what is left of a block all come back intact.
BOOST_AUTO_TEST_CASE(many_and_large_containers_keep_their_contents) {
  std::string text = "[";
  for (int i = 0; i < 400; ++i) {
    if (i) text += ',';
    text += "{\"id\":" + std::to_string(i) + ",\"tags\":[" + std::to_string(i) + ",\"t\"]";
    if (i % 50 == 7) {  // an object of 100 members: 3,200 bytes of members
      text += ",\"big\":{";
      for (int k = 0; k < 100; ++k)
        text += (k ? ",\"k" : "\"k") + std::to_string(k) + "\":" + std::to_string(k);
      text += '}';
    }
    text += '}';
  }
  text += ']';
  const node doc = decode(text);
  BOOST_TEST(doc.size() == 400u);
  BOOST_TEST(to_json(doc) == text);
}

BOOST_AUTO_TEST_CASE(decodes_unicode_escapes_to_utf8) {
  BOOST_TEST(decode(R"(["\u0416\ud83d\ude00"])").items()[0].text() == "Ж😀");
}

BOOST_AUTO_TEST_CASE(copy_decoding_leaves_the_input_unchanged) {
  const std::string text = R"({"a":"x\ny"})";
  const std::string before = text;
  decode(text);
  BOOST_TEST(text == before);
}

BOOST_AUTO_TEST_CASE(accepts_nesting_at_the_depth_limit) {
  const std::string text = std::string(64, '[') + std::string(64, ']');
  BOOST_TEST(decode(text).is_array());
}

BOOST_AUTO_TEST_CASE(refuses_nesting_one_level_deeper_than_the_limit) {
  const std::string text = std::string(65, '[') + std::string(65, ']');
  BOOST_TEST(contains(error(text), "deeper than 64"));
}

BOOST_AUTO_TEST_CASE(refuses_hundred_thousand_open_brackets_without_overflowing_the_stack) {
  const std::string text(100000, '[');
  const std::string message = error(text, {.max_bytes = 1u << 20, .max_depth = 64});
  BOOST_TEST(contains(message, "deeper than 64"), message);
}

BOOST_AUTO_TEST_CASE(refuses_input_over_the_size_limit) {
  BOOST_TEST(contains(error(R"({"a":"12345"})", {.max_bytes = 5}), "exceeds the limit of 5"));
}

BOOST_AUTO_TEST_CASE(refuses_input_over_the_size_limit_in_place) {
  std::string text = R"({"a":"12345"})";
  auto r = decode_json(text, arena, {.max_bytes = 5});
  BOOST_REQUIRE(!r);
  BOOST_TEST(contains(r.error().message, "exceeds the limit of 5"));
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8) {
  BOOST_TEST(contains(error("[\"a\xff\"]"), "malformed JSON at byte"));
}

// Strings of ASCII and two-byte sequences are checked 16 bytes at a time: every
// alignment, every place of a bad byte, in a kept and in a skipped string.
BOOST_AUTO_TEST_CASE(mixed_text_is_checked_byte_for_byte_at_every_alignment) {
  const std::string content = "Чайник «Ретро» — №5 😀 x Кружка керамическая «Утро» ёЁ";
  projection keep_a;
  keep_a.member("a");
  keep_a.finish();
  auto read = [&](const std::string& text, const projection& keep) {
    std::string copy = text;
    auto r = decode_json(copy, arena, {}, keep);
    return r ? "ok " + to_json(*r) : r.error().message;
  };
  for (std::size_t pad = 0; pad <= 16; ++pad) {
    const std::string before(pad, ' ');
    // As it is: kept whole, and skipped.
    const std::string kept = "[\"" + before + content + "\"]";
    BOOST_TEST(read(kept, projection::everything()) == "ok " + kept, pad);
    BOOST_TEST(read("{\"z\":" + kept + ",\"a\":1}", keep_a) == R"(ok {"a":1})", pad);
    for (std::size_t i = 0; i < content.size(); ++i) {
      const auto c = static_cast<unsigned char>(content[i]);
      const bool continuation = (c & 0xC0) == 0x80;
      std::string bad = content;
      std::size_t at = i;  // where the invalid sequence starts
      if (c < 0x80) {
        bad[i] = static_cast<char>(0x80);  // a stray continuation byte
      } else if (continuation) {
        bad[i] = 'a';  // a sequence cut short
        while ((static_cast<unsigned char>(content[at]) & 0xC0) == 0x80)
          --at;
      } else {
        bad[i] = static_cast<char>(0xFF);
      }
      const std::string expected =
          "malformed JSON at byte " + std::to_string(2 + pad + at) + ": invalid UTF-8";
      BOOST_TEST(read("[\"" + before + bad + "\"]", projection::everything()) == expected,
                 "pad " << pad << ", byte " << i);
      const std::string expected_skipped =
          "malformed JSON at byte " + std::to_string(7 + pad + at) + ": invalid UTF-8";
      BOOST_TEST(read("{\"z\":[\"" + before + bad + "\"],\"a\":1}", keep_a) == expected_skipped,
                 "pad " << pad << ", byte " << i);
    }
  }
}

// Runs of whitespace of two bytes or more are skipped 16 bytes at a time: every length
// of a run up to 40, at every place of a document, kept and skipped; a byte that is not
// JSON whitespace (a vertical tab, a form feed) at every place of a run is refused there.
BOOST_AUTO_TEST_CASE(whitespace_runs_of_every_length_are_skipped_and_checked) {
  projection keep_a;
  keep_a.member("a");
  keep_a.finish();
  const std::string kinds = " \n\r\t";
  for (std::size_t size = 0; size <= 40; ++size) {
    std::string run;
    for (std::size_t i = 0; i < size; ++i)
      run += kinds[(i * 7 + size) % kinds.size()];
    // "Z" marks each place a run goes.
    const std::string shape = R"(Z{Z"a"Z:Z[Z1Z,Z"x"Z]Z,Z"b"Z:Z{Z"c"Z:ZtrueZ}Z}Z)";
    std::string text;
    for (const char c : shape)
      text += c == 'Z' ? run : std::string(1, c);
    BOOST_TEST(to_json(decode(text)) == R"({"a":[1,"x"],"b":{"c":true}})", size);
    std::string copy = text;
    const auto kept = decode_json(copy, arena, {}, keep_a);
    BOOST_TEST_REQUIRE(kept.has_value(), size);
    BOOST_TEST(to_json(*kept) == R"({"a":[1,"x"]})", size);
    // A bad byte at every place of the fifth run (inside the array, before its 1).
    const std::size_t fifth = text.find('[') + 1;
    for (std::size_t i = 0; i < size; ++i) {
      std::string bad = text;
      bad[fifth + i] = i % 2 ? '\v' : '\f';
      const std::string message = error(bad);
      BOOST_TEST(contains(message, "at byte " + std::to_string(fifth + i)),
                 "size " << size << ", byte " << i << ": " << message);
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_a_lone_surrogate_escape) {
  BOOST_TEST(contains(error(R"(["\ud800"])"), "malformed JSON"));
}

BOOST_AUTO_TEST_CASE(refuses_a_lone_low_surrogate_escape_in_a_string_or_a_key) {
  // Found by fuzzing: RapidJSON 1.1 decoded "\udc00" into the bytes ED B0 80, which are
  // not UTF-8; such a vendor answer made the gateway send invalid JSON.
  BOOST_TEST(contains(error(R"({"a":"10\uDC00:09"})"), "unpaired surrogate"));
  BOOST_TEST(contains(error(R"({"\ude00":1})"), "unpaired surrogate"));
  BOOST_TEST(contains(error(R"(["_\ude00"])"), "unpaired surrogate"));
}

BOOST_AUTO_TEST_CASE(decodes_a_surrogate_pair_escape) {
  BOOST_TEST(to_json(decode(R"(["\ud83d\ude00"])")) == "[\"\xF0\x9F\x98\x80\"]");
}

BOOST_AUTO_TEST_CASE(refuses_a_nul_byte_and_says_where) {
  const std::string text("[\"a\0\"]", 6);
  BOOST_TEST(error(text) == "malformed JSON at byte 3: NUL byte");
}

BOOST_AUTO_TEST_CASE(refuses_trailing_garbage) {
  BOOST_TEST(contains(error(R"({"a":1} x)"), "malformed JSON at byte 8"));
}

BOOST_AUTO_TEST_CASE(refuses_empty_input) {
  BOOST_TEST(contains(error(""), "malformed JSON at byte 0"));
}

BOOST_AUTO_TEST_CASE(refuses_a_truncated_document) {
  BOOST_TEST(contains(error(R"({"a":[1,2)"), "malformed JSON"));
}

BOOST_AUTO_TEST_CASE(reads_the_three_literals_and_refuses_anything_like_them) {
  BOOST_TEST(to_json(decode(R"([true,false,null,{"t":true,"f":false,"n":null}])")) ==
             R"([true,false,null,{"t":true,"f":false,"n":null}])");
  BOOST_TEST(to_json(decode("null")) == "null");
  BOOST_TEST(to_json(decode("false")) == "false");
  // Cut short at the end of the text, misspelt, or running on.
  for (const char* bad : {"nul", "tru", "fals", "n", "[nul", "[nul]", "[nulx]", "[tRue]", "[falsE]",
                          "[fals]", "nulll", "truefalse", "[null1]"}) {
    BOOST_TEST(contains(error(bad), "malformed JSON"), bad);
  }
}

BOOST_AUTO_TEST_CASE(a_member_nothing_keeps_is_checked_as_strictly) {
  // Skipped members go through their own reader; literals there are checked the same.
  projection p;
  p.member("a");
  p.finish();
  for (const char* bad :
       {R"({"z":nul,"a":1})", R"({"a":1,"z":tru})", R"({"z":[fals],"a":1})", R"({"a":1,"z":nul)"}) {
    std::string text = bad;
    BOOST_TEST(!decode_json(text, arena, {}, p), bad);
  }
  std::string good = R"({"z":[null,true,false],"a":1,"y":null})";
  const auto r = decode_json(good, arena, {}, p);
  BOOST_REQUIRE(r);
  BOOST_TEST(to_json(*r) == R"({"a":1})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(json_encode, json_fixture)

BOOST_AUTO_TEST_CASE(compact_writer_round_trips_a_document) {
  const std::string text = R"({"a":[1,"x",true,false,null,{}],"b":{"c":-1.5e3},"d":[]})";
  BOOST_TEST(to_json(decode(text)) == text);
}

BOOST_AUTO_TEST_CASE(compact_writer_escapes_strings_but_not_slashes_or_utf8) {
  BOOST_TEST(to_json(decode(R"(["a\"b\\c\n<\/b>Ж"])")) == R"(["a\"b\\c\n</b>Ж"])");
}

BOOST_AUTO_TEST_CASE(pretty_writer_indents_by_two_spaces) {
  const std::string expected = "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": {}\n}";
  BOOST_TEST(to_json(decode(R"({"a":[1,"x"],"b":{}})"), json_style::pretty) == expected);
}

BOOST_AUTO_TEST_CASE(writer_fails_once_output_exceeds_max_bytes) {
  std::string out;
  json_writer w(out, json_style::compact, 10);
  write(w, decode(R"({"a":"0123456789"})"));
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == "output exceeds the limit of 10 bytes");
}

BOOST_AUTO_TEST_CASE(writer_ignores_events_after_failure) {
  std::string out;
  json_writer w(out, json_style::compact, 4);
  w.begin_array();
  w.string("long enough");
  BOOST_REQUIRE(w.failed());
  const std::string after_failure = out;
  w.string("more");
  w.end_array();
  BOOST_TEST(out == after_failure);
}

BOOST_AUTO_TEST_CASE(a_prepared_key_is_written_as_the_same_key_would_be) {
  for (const std::string_view name : {"id", "", "a\"b", "back\\slash", "tab\there", "Ж", "\x01"}) {
    std::string by_name;
    std::string prepared;
    {
      json_writer w(by_name);
      w.begin_object();
      w.key(name);
      w.number("1");
      w.end_object();
    }
    {
      json_writer w(prepared);
      const member_key key(name);
      w.begin_object();
      w.key(key);
      w.number("1");
      w.end_object();
    }
    BOOST_TEST(prepared == by_name);
    BOOST_TEST(decode(prepared).members()[0].key == name);
  }
  // Pretty output takes the name.
  std::string pretty;
  json_writer w(pretty, json_style::pretty);
  const member_key key("k");
  w.begin_object();
  w.key(key);
  w.boolean(true);
  w.end_object();
  BOOST_TEST(pretty == "{\n  \"k\": true\n}");
}

BOOST_AUTO_TEST_CASE(a_member_in_one_event_is_written_as_its_key_and_value_events_would_be) {
  // First and later members, values to escape (and one long enough to grow the buffer
  // while escaping), numbers, in compact and pretty output.
  const std::string long_escaped(40000, '"');
  for (const json_style style : {json_style::compact, json_style::pretty}) {
    for (const std::string_view value :
         {std::string_view("x"), std::string_view(""), std::string_view("a\"b\n\x01Ж"),
          std::string_view(long_escaped)}) {
      std::string by_events;
      std::string in_one;
      const member_key first("first");
      const member_key second("sec\"ond");
      // Each kind first in an object and after another member (one document: the pretty
      // writer takes one root).
      {
        json_writer w(by_events, style);
        w.begin_object();
        w.key(first);
        w.string(value);
        w.key(second);
        w.string(value);
        w.key(first);
        w.number("-1.5");
        w.key("by name");
        w.string(value);
        w.key("inner");
        w.begin_object();
        w.key(second);
        w.number("7");
        w.end_object();
        w.end_object();
      }
      {
        json_writer w(in_one, style);
        w.begin_object();
        w.string_member(first, value);
        w.string_member(second, value);
        w.number_member(first, "-1.5");
        w.key("by name");
        w.string(value);
        w.key("inner");
        w.begin_object();
        w.number_member(second, "7");
        w.end_object();
        w.end_object();
      }
      BOOST_TEST(in_one == by_events);
    }
  }
}

BOOST_AUTO_TEST_CASE(
    a_member_in_one_event_counts_toward_the_size_limit_and_is_ignored_after_a_failure) {
  std::string out;
  json_writer w(out, json_style::compact, 12);
  const member_key key("k");
  w.begin_object();
  w.string_member(key, "0123456789");
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == "output exceeds the limit of 12 bytes");
  const std::string after_failure = out;
  w.number_member(key, "1");
  w.string_member(key, "x");
  w.end_object();
  BOOST_TEST(out == after_failure);

  std::string numbers;
  json_writer n(numbers, json_style::compact, 12);
  n.begin_object();
  n.number_member(key, "12345678901");
  BOOST_TEST(n.failed());
}

BOOST_AUTO_TEST_CASE(a_writer_inside_another_writes_its_own_document) {
  // The thread's reused buffer goes to one writer at a time: a second one, opened
  // while the first is still writing, must neither share nor lose it.
  std::string outer;
  std::string inner;
  {
    json_writer a(outer);
    a.begin_array();
    a.string("before");
    {
      json_writer b(inner);
      b.begin_object();
      b.key("x");
      b.string(std::string(40'000, 'y'));  // grows b's own buffer
      b.end_object();
    }
    a.string("after");
    a.end_array();
  }
  BOOST_TEST(outer == R"(["before","after"])");
  BOOST_TEST(inner == R"({"x":")" + std::string(40'000, 'y') + R"("})");
  // And the next writer on this thread starts clean.
  BOOST_TEST(to_json(decode(R"([1,2])")) == "[1,2]");
}

BOOST_AUTO_TEST_CASE(every_escape_is_written_even_when_it_grows_the_text_sixfold) {
  // Control bytes become \u00XX (six bytes for one), past the first buffer's 16 KiB,
  // in a value and in a key, between plain runs of every length up to 17.
  std::string text;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    const std::string plain(static_cast<std::size_t>(i % 18), 'p');
    text += plain;
    expected += plain;
    const char c = static_cast<char>(i % 0x20);
    text += c;
    // JSON's short escapes where there is one (\b \t \n \f \r), \u00XX otherwise.
    static constexpr std::string_view short_escape = "btn?fr";
    if (c >= '\b' && c <= '\r' && c != '\v') {
      expected += '\\';
      expected += short_escape[static_cast<std::size_t>(c - '\b')];
    } else {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04X", static_cast<unsigned>(c));
      expected += u;
    }
    text += i % 2 ? '"' : '\\';
    expected += i % 2 ? "\\\"" : "\\\\";
  }
  BOOST_TEST((key_and_value(text) == "{\"" + expected + "\":\"" + expected + "\"}"));
}

namespace {

/// The JSON text of `s` as a string literal, escaped byte by byte (the writer's rules).
std::string escaped_slowly(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    static constexpr std::string_view short_escape = "btn?fr";
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c >= '\b' && c <= '\r' && c != '\v') {
      out += '\\';
      out += short_escape[static_cast<std::size_t>(c - '\b')];
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04X", static_cast<unsigned>(c));
      out += u;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_byte_to_escape_is_found_at_every_place_of_strings_up_to_40_bytes) {
  // The writer checks short strings a word at a time (two overlapping words of 4 or 8
  // bytes) and longer ones 16 bytes at a time with an overlapping last block. Every byte
  // to escape, at every place of every length, after bytes that are nearly such a byte
  // (a space, '!', '#', '[', ']', DEL, non-ASCII), alone and followed by a second one.
  const std::string near = " !#[]\x7f\xd0\x96\xc2\xa0\x01";
  for (std::size_t size = 0; size <= 40; ++size) {
    std::string plain;
    for (std::size_t i = 0; i < size; ++i)
      plain += near[i % (near.size() - 1)];  // no \x01
    std::vector<std::string> texts{plain};
    for (std::size_t at = 0; at < size; ++at) {
      for (const char stop : {'"', '\\', '\0', '\x1f', '\n'}) {
        std::string one = plain;
        one[at] = stop;
        texts.push_back(one);
        one[size - 1 - (at % size)] = '\x01';
        texts.push_back(one);
      }
    }
    for (const std::string& text : texts) {
      const std::string literal = escaped_slowly(text);
      BOOST_TEST_REQUIRE((key_and_value(text) == "{" + literal + ":" + literal + "}"),
                         "size " << size);
    }
  }
}

BOOST_AUTO_TEST_CASE(documents_larger_than_the_kept_buffer_are_written_whole) {
  std::string big(3 * 1024 * 1024, 'z');
  big[1000] = '"';  // one byte that needs escaping, far into the text
  std::string out;
  {
    json_writer w(out);
    w.begin_array();
    w.string(big);
    w.number("7");
    w.end_array();
  }
  std::string escaped = big;
  escaped.replace(1000, 1, "\\\"");
  BOOST_TEST((out == "[\"" + escaped + "\",7]"));
  BOOST_TEST(to_json(decode(R"({"a":1})")) == R"({"a":1})");
}

BOOST_AUTO_TEST_CASE(output_is_appended_to_what_the_string_already_holds) {
  std::string out = "prefix:";
  {
    json_writer w(out);
    w.begin_array();
    w.null();
    w.end_array();
  }
  BOOST_TEST(out == "prefix:[null]");
  // The limit counts what was there before.
  std::string full = "0123456789";
  json_writer w(full, json_style::compact, 12);
  w.string("abc");
  BOOST_TEST(w.failed());
}

BOOST_AUTO_TEST_CASE(webasyst_answer_survives_encode_and_decode) {
  std::string text = read_data("order_search_c2_default.json");
  auto first = decode_json(text, arena);
  BOOST_REQUIRE(first);
  const node again = decode(to_json(*first));
  BOOST_TEST(equal(*first, again));
}

BOOST_AUTO_TEST_SUITE_END()
