#include "ordergate/codec/format.hpp"

#include <boost/test/unit_test.hpp>

#include <memory_resource>
#include <string>

using namespace ordergate::codec;

namespace {

struct format_fixture {
  std::pmr::monotonic_buffer_resource arena;
};

std::string encode(format f, std::string_view json, const encode_options& options = {}) {
  std::pmr::monotonic_buffer_resource arena;
  auto doc = decode_json_copy(json, arena);
  BOOST_REQUIRE(doc);
  std::string out;
  auto w = make_writer(f, out, options);
  write(*w, *doc);
  BOOST_REQUIRE_MESSAGE(!w->failed(), *w->error());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(format_suite, format_fixture)

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (format f : {format::json, format::xml, format::form, format::text}) {
    BOOST_TEST((format_from_name(format_name(f)) == f));
  }
}

BOOST_AUTO_TEST_CASE(unknown_name_is_nullopt) {
  BOOST_TEST(!format_from_name("yaml").has_value());
  BOOST_TEST(!format_from_name("JSON").has_value());
}

BOOST_AUTO_TEST_CASE(media_types_are_the_registered_ones) {
  BOOST_TEST(media_type(format::json) == "application/json");
  BOOST_TEST(media_type(format::xml) == "application/xml");
  BOOST_TEST(media_type(format::form) == "application/x-www-form-urlencoded");
  BOOST_TEST(media_type(format::text) == "text/plain; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(json_content_type_with_charset_is_json) {
  BOOST_TEST((format_from_content_type("application/json; charset=utf-8") == format::json));
}

BOOST_AUTO_TEST_CASE(content_type_case_and_spaces_are_ignored) {
  BOOST_TEST((format_from_content_type("  Application/JSON ;charset=UTF-8") == format::json));
}

BOOST_AUTO_TEST_CASE(webasyst_text_xml_content_type_is_xml) {
  BOOST_TEST((format_from_content_type("text/xml; charset=utf-8") == format::xml));
  BOOST_TEST((format_from_content_type("application/xml") == format::xml));
}

BOOST_AUTO_TEST_CASE(structured_syntax_suffixes_are_recognised) {
  BOOST_TEST((format_from_content_type("application/vnd.api+json") == format::json));
  BOOST_TEST((format_from_content_type("application/problem+json; charset=utf-8") == format::json));
  BOOST_TEST((format_from_content_type("application/atom+xml") == format::xml));
}

BOOST_AUTO_TEST_CASE(form_and_text_content_types_are_recognised) {
  BOOST_TEST((format_from_content_type("application/x-www-form-urlencoded") == format::form));
  BOOST_TEST((format_from_content_type("text/plain; charset=utf-8") == format::text));
}

BOOST_AUTO_TEST_CASE(unknown_content_types_are_nullopt) {
  BOOST_TEST(!format_from_content_type("text/html").has_value());
  BOOST_TEST(!format_from_content_type("multipart/form-data; boundary=x").has_value());
  BOOST_TEST(!format_from_content_type("").has_value());
  BOOST_TEST(!format_from_content_type("application/jsonx").has_value());
}

BOOST_AUTO_TEST_CASE(decode_dispatches_to_the_xml_codec_with_its_options) {
  std::string text = "<r><o>1</o></r>";
  decode_options options;
  options.xml.always_array = {"r.o"};
  auto r = decode(format::xml, text, arena, options);
  BOOST_REQUIRE(r);
  BOOST_TEST(to_json(*r) == R"({"r":{"o":["1"]}})");
}

BOOST_AUTO_TEST_CASE(decode_dispatches_to_the_json_and_form_codecs) {
  std::string json = R"({"a":1})";
  std::string form = "a=1";
  auto j = decode(format::json, json, arena);
  auto f = decode(format::form, form, arena);
  BOOST_REQUIRE((j && f));
  BOOST_TEST(to_json(*j) == R"({"a":1})");
  BOOST_TEST(to_json(*f) == R"({"a":"1"})");
}

BOOST_AUTO_TEST_CASE(decode_applies_limits_of_each_codec) {
  std::string text = "<r>123456</r>";
  decode_options options;
  options.limits.max_bytes = 4;
  BOOST_TEST(!decode(format::xml, text, arena, options));
}

BOOST_AUTO_TEST_CASE(text_decodes_to_one_string) {
  std::string text = "plain <text>";
  auto r = decode(format::text, text, arena);
  BOOST_REQUIRE(r);
  BOOST_TEST(r->text() == "plain <text>");
}

BOOST_AUTO_TEST_CASE(text_over_the_size_limit_is_refused) {
  std::string text = "123456";
  decode_options options;
  options.limits.max_bytes = 5;
  auto r = decode(format::text, text, arena, options);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error().message == "text of 6 bytes exceeds the limit of 5");
}

BOOST_AUTO_TEST_CASE(make_writer_encodes_with_each_codec) {
  BOOST_TEST(encode(format::json, R"({"a":[1]})") == R"({"a":[1]})");
  BOOST_TEST(encode(format::form, R"({"a":[1,2]})") == "a=1&a=2");
  BOOST_TEST(encode(format::text, R"("raw <bytes>")") == "raw <bytes>");
  encode_options options;
  xml_encode_options xml;
  xml.declaration = false;
  options.xml = &xml;
  BOOST_TEST(encode(format::xml, R"({"a":[1]})", options) == "<xml><a>1</a></xml>");
}

BOOST_AUTO_TEST_CASE(make_writer_passes_max_bytes) {
  std::string out;
  encode_options options;
  options.max_bytes = 3;
  for (format f : {format::json, format::xml, format::form}) {
    out.clear();
    auto w = make_writer(f, out, options);
    w->begin_object();
    w->key("key");
    w->string("long value");
    w->end_object();
    BOOST_TEST(w->failed(), format_name(f));
  }
}

BOOST_AUTO_TEST_CASE(text_writer_refuses_an_object) {
  std::string out;
  auto w = make_writer(format::text, out);
  w->begin_object();
  BOOST_REQUIRE(w->failed());
  BOOST_TEST(*w->error() == "a text body must be a string, not an object");
}

BOOST_AUTO_TEST_CASE(text_writer_refuses_an_array) {
  std::string out;
  auto w = make_writer(format::text, out);
  w->begin_array();
  BOOST_REQUIRE(w->failed());
  BOOST_TEST(*w->error() == "a text body must be a string, not an array");
}

BOOST_AUTO_TEST_SUITE_END()
