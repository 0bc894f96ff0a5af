// Declared input checks: patterns, custom messages and field aliases, both as
// compiled from a route file and as run on decoded documents.

#include "ordergate/mapping/validation.hpp"
#include "mapping_harness.hpp"

using namespace ordergate;
using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

/// The check failure of `rule` on the JSON `input`, as "path: message", or "ok".
std::string checked(const check& rule, std::string_view input) {
  std::pmr::monotonic_buffer_resource arena;
  const auto doc = codec::decode_json_copy(input, arena);
  BOOST_REQUIRE_MESSAGE(doc, "test bug: input is not JSON: " << input);
  const auto failure = validate(rule, *doc);
  return failure ? failure->path + ": " + failure->message : "ok";
}

check pattern_check(std::string_view pattern) {
  check c;
  c.types = {check_type::string, check_type::integer};
  std::string error;
  c.pattern = compile_pattern(pattern, error);
  BOOST_REQUIRE_MESSAGE(c.pattern, "test bug: " << error);
  c.pattern_text = std::string(pattern);
  return c;
}

/// The body check of the route file whose input body is `body` (JSON text).
struct route_with_body {
  load_result loaded;

  explicit route_with_body(std::string_view body, std::string_view config = "{}",
                           const env_map& env = {}) {
    const std::string text = R"({"route": {"method": "POST", "path": "/x"}, "auth": "none",
      "config": )" + std::string(config) +
                             R"(, "input": {"body": )" + std::string(body) +
                             R"(}, "response": {"body": 1}})";
    loaded = load_texts({{"r.jsonc", text}}, env);
  }
  const check& body() const {
    BOOST_REQUIRE_MESSAGE(loaded.mappings, "load failed:\n" << all_errors(loaded));
    return *loaded.mappings->routes.at(0)->body_check;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(a_pattern_must_match_the_whole_string) {
  const check c = pattern_check("[+]?[0-9]{10,15}");
  BOOST_TEST(checked(c, R"("+79161234567")") == "ok");
  BOOST_TEST(checked(c, R"("79161234567")") == "ok");
  BOOST_TEST(checked(c, R"("x79161234567")") ==
             ": must match [+]?[0-9]{10,15}, got \"x79161234567\"");
  BOOST_TEST(checked(c, R"("7916123456789012")") != "ok");
  BOOST_TEST(checked(c, R"("+7 916 123 45 67")") != "ok");
}

BOOST_AUTO_TEST_CASE(a_pattern_matches_a_number_by_its_text_as_written) {
  const check c = pattern_check("[0-9]+");
  BOOST_TEST(checked(c, "42") == "ok");
  BOOST_TEST(checked(c, "4.2e1") == ": must match [0-9]+, got 4.2e1");
  BOOST_TEST(checked(c, "-42") != "ok");
}

BOOST_AUTO_TEST_CASE(a_pathological_pattern_on_a_long_input_is_refused_not_run_away) {
  // Catastrophic backtracking: Boost.Regex gives up instead of running for ever.
  const check c = pattern_check("(a+)+b");
  const std::string input = "\"" + std::string(5000, 'a') + "\"";
  BOOST_TEST(checked(c, input) != "ok");
}

BOOST_AUTO_TEST_CASE(a_message_replaces_the_generic_text) {
  check c = pattern_check("[0-9]+");
  c.message = "must be a contact id";
  BOOST_TEST(checked(c, R"("+2")") == ": must be a contact id, got \"+2\"");
  BOOST_TEST(checked(c, "true") == ": must be a contact id, got true");
}

BOOST_AUTO_TEST_CASE(pattern_and_message_may_depend_on_configuration) {
  const std::string body = R"({"user": {"type": "string|integer",
    "pattern": "= config.mode == 'phone' ? '[+]?[0-9]{10,15}' : '[0-9]+'",
    "message": "= config.mode == 'phone' ? 'must be a phone' : 'must be digits'"}})";
  const std::string config = R"({"mode": {"env": "MODE", "default": "id"}})";
  const route_with_body by_id(body, config);
  BOOST_TEST(checked(by_id.body(), R"({"user": "+79161234567"})") ==
             "user: must be digits, got \"+79161234567\"");
  const route_with_body by_phone(body, config, {{"MODE", "phone"}});
  BOOST_TEST(checked(by_phone.body(), R"({"user": "+79161234567"})") == "ok");
  BOOST_TEST(checked(by_phone.body(), R"({"user": "123"})") ==
             "user: must be a phone, got \"123\"");
}

BOOST_AUTO_TEST_CASE(a_pattern_that_is_not_a_regular_expression_is_a_load_error) {
  const route_with_body r(R"({"user": {"pattern": "[0-9"}})");
  BOOST_TEST(!r.loaded.mappings);
  BOOST_TEST(contains(all_errors(r.loaded), "pattern is not a regular expression"));
}

BOOST_AUTO_TEST_CASE(a_pattern_that_is_not_known_at_load_is_a_load_error) {
  const route_with_body r(R"~({"user": {"pattern": "= string(now())"}})~");
  BOOST_TEST(!r.loaded.mappings);
  BOOST_TEST(contains(all_errors(r.loaded), "pattern must be known at load"));
}

BOOST_AUTO_TEST_CASE(a_field_may_come_under_an_alias_and_is_reported_by_that_name) {
  const route_with_body r(R"({"data": {"type": "array", "aliases": ["orders"],
                                      "items": {"type": "object", "fields": {"id": "string"}}}})");
  BOOST_TEST(checked(r.body(), R"({"data": [{"id": "a"}]})") == "ok");
  BOOST_TEST(checked(r.body(), R"({"orders": [{"id": "a"}]})") == "ok");
  BOOST_TEST(checked(r.body(), R"({"orders": [{"id": 1}]})") ==
             "orders[0].id: must be a string, got 1");
  BOOST_TEST(checked(r.body(), R"({"data": [{"id": "a"}], "orders": 5})") == "ok");
  BOOST_TEST(checked(r.body(), R"({"list": []})") == "data: is required");
}

BOOST_AUTO_TEST_CASE(a_field_checked_for_its_type_alone_still_meets_every_other_rule) {
  // A field whose check is one type and nothing else passes on its type alone; a field
  // with one type and any other rule of the same type's value must meet that rule too.
  const route_with_body r(R"({
      "plain": "integer", "nullable": {"type": "string", "nullable": true},
      "min": {"type": "integer", "min": 5}, "max": {"type": "string", "max": 2},
      "one_of": {"type": "string", "one_of": ["a"]},
      "pattern": {"type": "string", "pattern": "[0-9]+"},
      "message": {"type": "string", "pattern": "x", "message": "not x"},
      "fields": {"type": "object", "fields": {"f": "string"}},
      "items": {"type": "array", "items": "integer"}})");
  const std::string good = R"({"plain": 1, "nullable": null, "min": 5, "max": "ab", "one_of": "a",
      "pattern": "12", "message": "x", "fields": {"f": "s"}, "items": [1]})";
  BOOST_TEST(checked(r.body(), good) == "ok");
  const auto with = [&](std::string_view field, std::string_view value) {
    std::string text = good;
    const std::size_t at = text.find("\"" + std::string(field) + "\": ") + field.size() + 4;
    const std::size_t end = text.find_first_of(",}", text[at] == '{' ? text.find('}', at) : at);
    return text.replace(at, end + (text[at] == '{') - at, value);
  };
  BOOST_TEST(checked(r.body(), with("plain", "\"1\"")) == "plain: must be an integer, got \"1\"");
  BOOST_TEST(checked(r.body(), with("plain", "null")) == "plain: must be an integer, not null");
  BOOST_TEST(checked(r.body(), with("nullable", "1")) == "nullable: must be a string, got 1");
  BOOST_TEST(checked(r.body(), with("min", "4")) == "min: must be at least 5");
  BOOST_TEST(checked(r.body(), with("max", "\"abc\"")) == "max: must be at most 2 characters");
  BOOST_TEST(checked(r.body(), with("one_of", "\"b\"")) == "one_of: must be one of a, got \"b\"");
  BOOST_TEST(checked(r.body(), with("pattern", "\"1a\"")) ==
             "pattern: must match [0-9]+, got \"1a\"");
  BOOST_TEST(checked(r.body(), with("message", "\"y\"")) == "message: not x, got \"y\"");
  BOOST_TEST(checked(r.body(), with("fields", "{\"f\": 1}")) ==
             "fields.f: must be a string, got 1");
  BOOST_TEST(checked(r.body(), with("items", "[\"1\"]")) ==
             "items[0]: must be an integer, got \"1\"");
}

BOOST_AUTO_TEST_CASE(aliases_are_only_for_fields) {
  const route_with_body r(R"({"data": {"type": "array", "items": {"aliases": ["x"]}}})");
  BOOST_TEST(!r.loaded.mappings);
  BOOST_TEST(contains(all_errors(r.loaded), "unknown key 'aliases'"));
}

BOOST_AUTO_TEST_CASE(string_length_counts_characters_not_bytes) {
  // Lengths on both sides of the 8-byte steps the count takes: Cyrillic (2 bytes a
  // character), the euro sign (3) and an emoji (4), mixed with ASCII, as UTF-8.
  for (int n : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31}) {
    check c;
    c.types = {check_type::string};
    c.max = decimal::from_int(n);
    std::string text;
    for (int i = 0; i < n; ++i)
      text += i % 5 == 4   ? "\xE2\x82\xAC"
              : i % 7 == 6 ? "\xF0\x9F\x98\x80"
              : i % 2      ? "a"
                           : "\xD0\x96";
    BOOST_TEST(checked(c, "\"" + text + "\"") == "ok", n);
    BOOST_TEST(
        checked(c, "\"" + text + "b\"") == ": must be at most " + std::to_string(n) + " characters",
        n);
    c.max.reset();
    c.min = decimal::from_int(n + 1);
    BOOST_TEST(checked(c, "\"" + text + "\"") ==
                   ": must be at least " + std::to_string(n + 1) + " characters",
               n);
  }
}

BOOST_AUTO_TEST_SUITE_END()
