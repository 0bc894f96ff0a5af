// Load-time errors of expressions: each names the file, line and column of the
// offending character inside the expression, and says what to do.

#include "mapping_harness.hpp"

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

/// The load errors of doc.jsonc whose output is `output` (JSON text).
struct broken_document {
  std::string text;
  std::string errors;

  explicit broken_document(std::string_view output, std::string_view extra = {})
      : text(document_file(output, extra)), errors(load_errors("doc.jsonc", text)) {}

  /// Checks that one error is `message` at the first character of `needle`.
  void expect(std::string_view needle, std::string_view message, int nth = 0) const {
    const std::string line = where("doc.jsonc", text, needle, nth) + ": " + std::string(message);
    BOOST_TEST_INFO("file:\n" << text);
    BOOST_CHECK_MESSAGE(contains(errors, line + "\n"), "expected the error\n  " << line << "\ngot\n"
                                                                                << errors);
  }
  std::size_t count() const {
    return static_cast<std::size_t>(std::count(errors.begin(), errors.end(), '\n'));
  }
};

constexpr std::string_view config_section =
    R"~("config": { "market_url": { "env": "MARKET_URL", "type": "url" } },)~";
constexpr std::string_view table_section =
    R"~("tables": { "market_status": { "Created": "new" } },)~";

}  // namespace

BOOST_AUTO_TEST_SUITE(compiler_diagnostics)

BOOST_AUTO_TEST_CASE(json_syntax_error_names_the_position) {
  const std::string text = "{\n  \"document\": {\"input\": \"input\"}\n  \"output\": 1\n}\n";
  const std::string errors = load_errors("doc.jsonc", text);
  BOOST_TEST(errors == where("doc.jsonc", text, "\"output\"") +
                           ": syntax error: Missing a comma or '}' after an object member.\n");
}

BOOST_AUTO_TEST_CASE(json_comments_and_trailing_commas_are_allowed) {
  const document_fixture doc(
      "// a comment\n{\n  \"document\": {\"input\": \"input\",}, /* block */\n  \"output\": [1, "
      "2,],\n}\n");
  BOOST_TEST(doc.output() == "[1,2]");
}

BOOST_AUTO_TEST_CASE(unknown_function_suggests_the_closest) {
  const broken_document d(R"~("= rond(input.total, 2)")~");
  d.expect("rond", "unknown function 'rond' (did you mean 'round'?)");
}

BOOST_AUTO_TEST_CASE(unknown_function_without_a_close_match_has_no_suggestion) {
  const broken_document d(R"~("= frobnicate(input)")~");
  d.expect("frobnicate", "unknown function 'frobnicate'");
}

BOOST_AUTO_TEST_CASE(wrong_argument_count_names_the_range) {
  const broken_document d(
      R"~(["= round(input, 2, 3)", "= html_unescape()", "= lookup(market_status)"])~",
      table_section);
  d.expect("round", "round() takes 1 to 2 arguments, got 3");
  d.expect("html_unescape", "html_unescape() takes 1 argument, got 0");
  d.expect("lookup", "lookup() takes 2 to 3 arguments, got 1");
  BOOST_TEST(d.count() == 3u);
}

BOOST_AUTO_TEST_CASE(unknown_name_suggests_a_visible_one) {
  const broken_document d(R"~("= inptu.total")~");
  d.expect("inptu", "unknown name 'inptu' (did you mean 'input'?)");
}

BOOST_AUTO_TEST_CASE(table_used_as_a_name_says_how_to_look_it_up) {
  const broken_document d(R"~("= market_status.Created")~", table_section);
  d.expect("market_status.",
           "unknown name 'market_status' (a table: use lookup(market_status, key))");
}

BOOST_AUTO_TEST_CASE(unknown_config_value_points_at_its_name) {
  const broken_document d(R"~("= config.market_urll ++ '/x'")~", config_section);
  d.expect("market_urll", "unknown config value 'market_urll' (did you mean 'market_url'?)");
}

BOOST_AUTO_TEST_CASE(config_alone_is_not_a_value) {
  const broken_document d(R"~("= config")~", config_section);
  d.expect("config\"", "'config' is a group of names: use one of config.market_url", 1);
}

BOOST_AUTO_TEST_CASE(arithmetic_on_a_string_literal_fails_at_load) {
  const broken_document d(R"~("= 'a' * 2")~");
  d.expect("*",
           "'*' needs numbers, got string (convert it with number(), or join strings with ++)");
}

BOOST_AUTO_TEST_CASE(arithmetic_on_a_boolean_result_fails_at_load) {
  const broken_document d(R"~("= (input.a == 1) + 1")~");
  d.expect("+", "'+' needs numbers, got boolean");
}

BOOST_AUTO_TEST_CASE(wrong_argument_type_fails_at_load) {
  const broken_document d(
      R"~(["= round('x')", "= unix('2020-01-11')", "= count('abc')", "= unix(input.t)"])~");
  d.expect("'x'", "argument 1 of round() must be a number, got string");
  d.expect("'2020-01-11'", "argument 1 of unix() must be a time, got string");
  d.expect("'abc'", "argument 1 of count() must be an array or an object, got string");
  // What is only known at run time is checked at run time.
  BOOST_TEST(d.count() == 3u);
}

BOOST_AUTO_TEST_CASE(function_result_types_are_checked_against_parameters) {
  const broken_document d(R"~("= round(string(input.total), 2)")~");
  d.expect("string", "argument 1 of round() must be a number, got string");
}

BOOST_AUTO_TEST_CASE(lambda_outside_a_lambda_argument_is_refused) {
  const broken_document d(
      R"~(["= count(x => x)", "= map(input.items, 1)", "= first(input.items, i => i, 2)"])~");
  d.expect("x =>", "argument 1 of count() cannot be a lambda");
  d.expect("1)", "argument 2 of map() must be a lambda such as item => item.price");
  d.expect("first", "first() takes 1 to 2 arguments, got 3");
}

BOOST_AUTO_TEST_CASE(lambda_parameter_is_visible_only_inside_it) {
  const broken_document d(R"~("= sum(input.items, i => number(i.price)) + i")~");
  d.expect("i\"", "unknown name 'i'");
}

BOOST_AUTO_TEST_CASE(unknown_table_suggests_a_declared_one) {
  const broken_document d(R"~("= lookup(market_statuses, input.status)")~", table_section);
  d.expect(
      "market_statuses",
      "argument 1 of lookup() must be the name of a table declared in \"tables\" (did you mean "
      "'market_status'?)");
}

BOOST_AUTO_TEST_CASE(lookup_needs_a_bare_table_name) {
  const broken_document d(R"~("= lookup('market_status', input.status)")~", table_section);
  d.expect("'market_status'",
           "argument 1 of lookup() must be the name of a table declared in \"tables\"");
}

BOOST_AUTO_TEST_CASE(unknown_use_document_is_an_error) {
  const broken_document d(R"~({"$use": "giftcard-order", "$with": "= input"})~");
  d.expect("\"giftcard-order\"",
           "$use names a document mapping (a file with \"document\"); 'giftcard-order' is not one");
}

BOOST_AUTO_TEST_CASE(constant_conversion_failures_are_load_errors) {
  const broken_document d(
      R"~(["= number('abc')", "= integer('2.5')", "= 1 / 0", "= string(null)"])~");
  d.expect("number", "number(): \"abc\" is not a number");
  d.expect("integer", "integer(): \"2.5\" is not an integer");
  d.expect("/", "division by zero");
  d.expect("string", "string(): expected a value, got null");
}

BOOST_AUTO_TEST_CASE(constant_lookup_miss_is_a_load_error) {
  const broken_document d(R"~("= lookup(market_status, 'Lost')")~", table_section);
  d.expect("lookup", "\"Lost\" has no entry in table market_status");
}

BOOST_AUTO_TEST_CASE(constant_round_digits_out_of_range_are_a_load_error) {
  const broken_document d(
      R"~(["= round(input.total, 19)", "= round(input.total, 1.5)", "= round(input.total, -1)"])~");
  d.expect("round(input.total, 19)", "round(): digits must be an integer from 0 to 18");
  d.expect("round(input.total, 1.5)", "round(): digits must be an integer from 0 to 18");
  d.expect("round(input.total, -1)", "round(): digits must be an integer from 0 to 18");
  BOOST_TEST(d.count() == 3u);
}

BOOST_AUTO_TEST_CASE(unknown_time_zone_literal_is_a_load_error) {
  const broken_document d(R"~("= parse_time(input.created, 'Europe/Moskow')")~");
  d.expect(
      "parse_time",
      "parse_time(): unknown time zone 'Europe/Moskow' (use an IANA name such as 'Europe/Moscow')");
}

BOOST_AUTO_TEST_CASE(unknown_time_style_is_a_load_error) {
  const broken_document d(R"~("= format_time(now(), 'UTC', 'iso')")~");
  d.expect("format_time",
           "format_time(): the format must be one of 'rfc3339', 'rfc3339_ms', 'rfc3339_us', "
           "'datetime', 'date'");
}

BOOST_AUTO_TEST_CASE(syntax_error_inside_an_expression_points_at_the_character) {
  const broken_document d(R"~("= input.total +* 2")~");
  d.expect("* 2", "syntax error: expected a value, found symbol");
}

BOOST_AUTO_TEST_CASE(columns_skip_json_escapes_before_the_error) {
  // \"a\" is 3 characters of the expression but 5 of the file.
  const broken_document d(R"~("= \"a\" * 2")~");
  d.expect("*",
           "'*' needs numbers, got string (convert it with number(), or join strings with ++)");
}

BOOST_AUTO_TEST_CASE(columns_count_characters_not_bytes) {
  const broken_document d(R"~("= 'Удален' * 2")~");
  d.expect("*",
           "'*' needs numbers, got string (convert it with number(), or join strings with ++)");
}

BOOST_AUTO_TEST_CASE(columns_skip_unicode_escapes_of_multibyte_characters) {
  // \u0423 is one character (2 bytes in UTF-8) written with 6 characters.
  const broken_document d(R"~("= '\u0423\u0434' * 2 + rond(1)")~");
  d.expect("*",
           "'*' needs numbers, got string (convert it with number(), or join strings with ++)");
}

BOOST_AUTO_TEST_CASE(columns_skip_surrogate_pairs) {
  const broken_document d(R"~("= '\ud83d\ude00' ++ rond(1)")~");
  d.expect("rond", "unknown function 'rond' (did you mean 'round'?)");
}

BOOST_AUTO_TEST_CASE(every_error_of_a_file_is_reported) {
  const broken_document d(
      R"~({"a": "= rond(1)", "b": "= inptu", "c": "= 'x' * 2", "d": "= count(1, 2)"})~");
  d.expect("rond", "unknown function 'rond' (did you mean 'round'?)");
  d.expect("inptu", "unknown name 'inptu' (did you mean 'input'?)");
  d.expect("*",
           "'*' needs numbers, got string (convert it with number(), or join strings with ++)");
  d.expect("count", "count() takes 1 argument, got 2");
  BOOST_TEST(d.count() == 4u);
}

BOOST_AUTO_TEST_CASE(a_literal_string_starting_with_equals_is_written_doubled) {
  const document_fixture doc(document_file(R"~(["==x", "= '=' ++ 'y'", "=="])~"));
  BOOST_TEST(doc.output() == R"~(["=x","=y","="])~");
}

BOOST_AUTO_TEST_SUITE_END()
