#include "ordergate/codec/form.hpp"

#include <boost/test/unit_test.hpp>

#include <memory_resource>
#include <string>

using namespace ordergate::codec;

namespace {

struct form_fixture {
  std::pmr::monotonic_buffer_resource arena;

  std::string decoded(std::string_view text, const decode_limits& limits = {}) {
    auto r = decode_form(text, arena, limits);
    BOOST_REQUIRE_MESSAGE(r, "decode failed: " << (r ? "" : r.error().message));
    return to_json(*r);
  }
  std::string error(std::string_view text, const decode_limits& limits = {}) {
    auto r = decode_form(text, arena, limits);
    BOOST_REQUIRE_MESSAGE(!r, "decode unexpectedly succeeded: " << (r ? to_json(*r) : ""));
    return r.error().message;
  }
  node json(std::string_view text) {
    auto r = decode_json_copy(text, arena);
    BOOST_REQUIRE(r);
    return *r;
  }
  std::string encoded(std::string_view json_text) {
    std::string out;
    form_writer w(out);
    write(w, json(json_text));
    BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
    return out;
  }
  std::string encode_error(std::string_view json_text) {
    std::string out;
    form_writer w(out);
    write(w, json(json_text));
    BOOST_REQUIRE(w.failed());
    return *w.error();
  }
};

std::string percent(std::string_view s) {
  std::string out = "prefix:";
  percent_encode(out, s);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(form_decode, form_fixture)

BOOST_AUTO_TEST_CASE(decodes_fields_in_order) {
  BOOST_TEST(decoded("b=2&a=1&c=3") == R"({"b":"2","a":"1","c":"3"})");
}

BOOST_AUTO_TEST_CASE(plus_decodes_to_a_space) {
  BOOST_TEST(decoded("q=a+b") == R"({"q":"a b"})");
}

BOOST_AUTO_TEST_CASE(percent_twenty_decodes_to_a_space) {
  BOOST_TEST(decoded("q=a%20b") == R"({"q":"a b"})");
}

BOOST_AUTO_TEST_CASE(encoded_plus_stays_a_plus) {
  BOOST_TEST(decoded("phone=%2B79161234567") == R"({"phone":"+79161234567"})");
}

BOOST_AUTO_TEST_CASE(keys_are_decoded_too) {
  BOOST_TEST(decoded("a%5Bb%5D+c=1") == R"({"a[b] c":"1"})");
}

BOOST_AUTO_TEST_CASE(key_without_equals_sign_has_an_empty_value) {
  BOOST_TEST(decoded("flag&a=1") == R"({"flag":"","a":"1"})");
}

BOOST_AUTO_TEST_CASE(key_with_empty_value_is_an_empty_string) {
  BOOST_TEST(decoded("a=") == R"({"a":""})");
}

BOOST_AUTO_TEST_CASE(equals_signs_after_the_first_belong_to_the_value) {
  BOOST_TEST(decoded("hash=search/contact_id=2") == R"({"hash":"search/contact_id=2"})");
}

BOOST_AUTO_TEST_CASE(repeated_keys_become_an_array_where_the_first_appeared) {
  BOOST_TEST(decoded("id=1&x=a&id=2&id=3") == R"({"id":["1","2","3"],"x":"a"})");
}

BOOST_AUTO_TEST_CASE(many_distinct_keys_are_grouped_correctly) {
  std::string text;
  std::string expected = "{";
  for (int i = 0; i < 20; ++i) {
    text += "k" + std::to_string(i) + "=a&";
    expected += "\"k" + std::to_string(i) + "\":[\"a\",\"b\"],";
  }
  for (int i = 0; i < 20; ++i)
    text += "k" + std::to_string(i) + "=b&";
  expected.back() = '}';
  BOOST_TEST(decoded(text) == expected);
}

BOOST_AUTO_TEST_CASE(each_decoding_stands_alone_after_large_and_failed_ones) {
  // The decoder reuses its working storage from one call to the next (and drops it after
  // a large form): a document decoded before stays as it was, and a large form, a
  // refused one and a small one after them each decode as they would alone.
  auto first = decode_form("id=1&x=a&id=2", arena);
  BOOST_REQUIRE(first);
  std::string large;
  std::string large_expected = "{";
  for (int i = 0; i < 300; ++i) {
    large += "f" + std::to_string(i) + "=" + std::to_string(i) + "&";
    large_expected += "\"f" + std::to_string(i) + "\":\"" + std::to_string(i) + "\",";
  }
  large_expected.back() = '}';
  BOOST_TEST(decoded(large) == large_expected);
  BOOST_TEST(error("a=1&b=%zz&c=3").find("%zz") != std::string::npos);
  BOOST_TEST(decoded("c=3&a=2&c=4") == R"({"c":["3","4"],"a":"2"})");
  BOOST_TEST(decoded(large) == large_expected);
  BOOST_TEST(to_json(*first) == R"({"id":["1","2"],"x":"a"})");
}

BOOST_AUTO_TEST_CASE(empty_body_is_an_empty_object) {
  BOOST_TEST(decoded("") == "{}");
}

BOOST_AUTO_TEST_CASE(empty_fields_are_skipped) {
  BOOST_TEST(decoded("&a=1&&b=2&") == R"({"a":"1","b":"2"})");
}

BOOST_AUTO_TEST_CASE(cyrillic_values_decode_to_utf8) {
  BOOST_TEST(decoded("city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0") == R"({"city":"Москва"})");
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_percent_escape_and_says_where) {
  BOOST_TEST(error("a=1&b=%zz") ==
             R"(malformed form body at byte 6: the value "%zz" has an invalid percent-encoding)");
}

BOOST_AUTO_TEST_CASE(refuses_a_truncated_percent_escape) {
  BOOST_TEST(error("a=%4").find("invalid percent-encoding") != std::string::npos);
  BOOST_TEST(error("a=%").find("invalid percent-encoding") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_percent_escape_in_a_key) {
  BOOST_TEST(error("%g1=2") ==
             R"(malformed form body at byte 0: the name "%g1" has an invalid percent-encoding)");
}

BOOST_AUTO_TEST_CASE(refuses_values_that_are_not_utf8_once_decoded) {
  BOOST_TEST(error("a=%FF") ==
             R"(malformed form body at byte 2: the value "%FF" is not valid UTF-8 once decoded)");
}

BOOST_AUTO_TEST_CASE(refuses_keys_that_are_not_utf8_once_decoded) {
  BOOST_TEST(error("%C3=1").find("the name \"%C3\" is not valid UTF-8") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_a_body_over_the_size_limit) {
  BOOST_TEST(error("a=123456", {.max_bytes = 4, .max_depth = 64}) ==
             "form body of 8 bytes exceeds the limit of 4");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(form_encode, form_fixture)

BOOST_AUTO_TEST_CASE(percent_encode_writes_a_space_as_percent_twenty) {
  BOOST_TEST(percent("a b") == "prefix:a%20b");
}

BOOST_AUTO_TEST_CASE(percent_encode_keeps_only_unreserved_characters) {
  BOOST_TEST(percent("AZaz09-._~") == "prefix:AZaz09-._~");
  BOOST_TEST(percent("&=+/?#%") == "prefix:%26%3D%2B%2F%3F%23%25");
}

BOOST_AUTO_TEST_CASE(percent_encode_escapes_utf8_bytes_in_upper_case) {
  BOOST_TEST(percent("Ж") == "prefix:%D0%96");
}

BOOST_AUTO_TEST_CASE(writes_a_flat_object_in_order) {
  BOOST_TEST(encoded(R"({"id":"12","action":"ship","note":"a b&c"})") ==
             "id=12&action=ship&note=a%20b%26c");
}

BOOST_AUTO_TEST_CASE(writes_scalars_as_their_text) {
  BOOST_TEST(encoded(R"({"n":1.50,"t":true,"f":false,"z":null})") == "n=1.50&t=true&f=false&z=");
}

BOOST_AUTO_TEST_CASE(writes_an_array_key_once_per_element) {
  BOOST_TEST(encoded(R"({"id":[1,2],"x":"y","e":[]})") == "id=1&id=2&x=y");
}

BOOST_AUTO_TEST_CASE(percent_encodes_keys) {
  BOOST_TEST(encoded(R"({"a b[]":"1"})") == "a%20b%5B%5D=1");
}

BOOST_AUTO_TEST_CASE(empty_object_writes_nothing) {
  BOOST_TEST(encoded("{}") == "");
}

BOOST_AUTO_TEST_CASE(cyrillic_round_trips) {
  const std::string form = encoded(R"({"name":"Олег О'Нил","city":"Москва"})");
  BOOST_TEST(decoded(form) == R"({"name":"Олег О'Нил","city":"Москва"})");
}

BOOST_AUTO_TEST_CASE(refuses_a_nested_object) {
  BOOST_TEST(encode_error(R"({"a":{"b":1}})") ==
             R"(form output: the value of "a" is an object; forms are flat)");
}

BOOST_AUTO_TEST_CASE(refuses_an_object_inside_an_array) {
  BOOST_TEST(encode_error(R"({"a":[{"b":1}]})").find("is an object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_an_array_inside_an_array) {
  BOOST_TEST(encode_error(R"({"a":[[1]]})") ==
             R"(form output: the value of "a" holds an array in an array)");
}

BOOST_AUTO_TEST_CASE(refuses_a_top_level_array) {
  BOOST_TEST(encode_error("[1]") ==
             "form output: the top-level value must be an object, not an array");
}

BOOST_AUTO_TEST_CASE(refuses_a_top_level_scalar) {
  BOOST_TEST(encode_error(R"("x")") == "form output: the top-level value must be an object");
}

BOOST_AUTO_TEST_CASE(refuses_a_key_outside_an_object) {
  std::string out;
  form_writer w(out);
  w.key("a");
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == R"(form output: key "a" outside the top-level object)");
}

BOOST_AUTO_TEST_CASE(refuses_unbalanced_ends) {
  std::string out;
  form_writer objects(out);
  objects.end_object();
  BOOST_TEST(*objects.error() == "form output: end of an object that was not begun");
  form_writer arrays(out);
  arrays.begin_object();
  arrays.end_array();
  BOOST_TEST(*arrays.error() == "form output: end of an array that was not begun");
}

BOOST_AUTO_TEST_CASE(fails_once_output_exceeds_max_bytes) {
  std::string out;
  form_writer w(out, 8);
  write(w, json(R"({"a":"1","b":"22","c":"3"})"));
  BOOST_REQUIRE(w.failed());
  BOOST_TEST(*w.error() == "output exceeds the limit of 8 bytes");
}

BOOST_AUTO_TEST_CASE(ignores_events_after_failure) {
  std::string out;
  form_writer w(out);
  w.begin_array();
  BOOST_REQUIRE(w.failed());
  w.begin_object();
  w.key("a");
  w.string("1");
  w.end_object();
  BOOST_TEST(out == "");
}

BOOST_AUTO_TEST_SUITE_END()
