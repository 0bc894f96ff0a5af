// Conversions and numbers: number, integer, string, boolean, round, floor, ceil,
// abs, min, max, parse_number, type, exists.

#include "mapping_harness.hpp"

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

/// The failure of `expression` applied to input.v, where input is {"v": <v>}.
std::string failure_on(std::string_view expr, std::string_view v) {
  const auto doc = expression(expr);
  const eval_failure f = doc.failure("{\"v\": " + std::string(v) + "}");
  return f.message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(functions_numbers)

BOOST_AUTO_TEST_CASE(number_reads_webasyst_strings) {
  BOOST_TEST(on("number(input.v)", R"("3490.0000")") == "3490");
  BOOST_TEST(on("number(input.v)", R"("1.500")") == "1.5");
  BOOST_TEST(on("number(input.v)", R"("-0.50")") == "-0.5");
  BOOST_TEST(on("number(input.v)", "12.30") == "12.3");
}

// A number made from text is written with the text's shortest form; made from a
// computed string, from text that is not plain, or computed, it is formatted.
BOOST_AUTO_TEST_CASE(numbers_from_text_are_written_in_shortest_form) {
  BOOST_TEST(on("number(input.v ++ '0')", R"("-0.5000")") == "-0.5");
  BOOST_TEST(on("number(input.v)", R"("-0.000")") == "0");
  BOOST_TEST(on("number(input.v)", R"("007.50")") == "7.5");
  BOOST_TEST(on("number(input.v)", "1.50e2") == "150");
  BOOST_TEST(on("[number(input.v), number(input.v) + 0]", R"("2490.0000")") == "[2490,2490]");
  BOOST_TEST(on("integer(input.v ++ '00')", R"("12.0")") == "12");
}

BOOST_AUTO_TEST_CASE(number_of_text_fails_clearly) {
  const auto doc = expression("number(input.v)");
  const eval_failure f = doc.failure(R"({"v": "abc"})");
  BOOST_TEST(f.message == "v: number(): \"abc\" is not a number (" + doc.at("number") + ")");
  BOOST_TEST(f.path == "v");
  BOOST_TEST(failure_on("number(input.v)", "null") ==
             "v: number(): expected a number, got null (" + doc.at("number") + ")");
  BOOST_TEST(failure_on("number(input.v)", R"("1 000")")
                 .starts_with("v: number(): \"1 000\" is not a number"));
}

BOOST_AUTO_TEST_CASE(integer_accepts_whole_numbers_only) {
  BOOST_TEST(on("integer(input.v)", R"("12")") == "12");
  BOOST_TEST(on("integer(input.v)", R"("2.000")") == "2");
  BOOST_TEST(on("integer(input.v)", "7") == "7");
  const auto doc = expression("integer(input.v)");
  BOOST_TEST(doc.failure(R"({"v": "2.5"})").message ==
             "v: integer(): \"2.5\" is not an integer (" + doc.at("integer") + ")");
  BOOST_TEST(doc.failure(R"({"v": 2.5})").message ==
             "v: integer(): 2.5 is not an integer (" + doc.at("integer") + ")");
  BOOST_TEST(doc.failure(R"({"v": "x"})").message ==
             "v: integer(): \"x\" is not an integer (" + doc.at("integer") + ")");
}

BOOST_AUTO_TEST_CASE(string_converts_scalars) {
  BOOST_TEST(on("string(input.v)", "5") == R"("5")");
  BOOST_TEST(on("string(input.v)", "1.50") == R"("1.5")");
  BOOST_TEST(on("string(input.v)", R"("x")") == R"("x")");
  BOOST_TEST(on("string(input.v)", "true") == R"("true")");
  BOOST_TEST(eval("string(from_unix(0))") == R"("1970-01-01T00:00:00.000Z")");
}

BOOST_AUTO_TEST_CASE(string_of_null_fails_clearly) {
  const auto doc = expression("string(input.v)");
  BOOST_TEST(doc.failure(R"({"v": null})").message ==
             "v: string(): expected a value, got null (" + doc.at("string") + ")");
  BOOST_TEST(doc.failure(R"({})").message ==
             "v: string(): expected a value, got null (" + doc.at("string") + ")");
  BOOST_TEST(doc.failure(R"({"v": [1]})").message ==
             "v: string(): cannot convert an array to a string (" + doc.at("string") + ")");
}

BOOST_AUTO_TEST_CASE(boolean_accepts_the_usual_spellings) {
  BOOST_TEST(on("boolean(input.v)", R"("1")") == "true");
  BOOST_TEST(on("boolean(input.v)", R"("false")") == "false");
  BOOST_TEST(on("boolean(input.v)", "0") == "false");
  BOOST_TEST(on("boolean(input.v)", "true") == "true");
  BOOST_TEST(
      failure_on("boolean(input.v)", R"("yes")")
          .starts_with(
              "v: boolean(): \"yes\" is not a boolean (true, false, \"true\", \"false\", 1 or 0)"));
}

BOOST_AUTO_TEST_CASE(round_keeps_money_exact) {
  BOOST_TEST(eval("round(1003.33, 2)") == "1003.33");
  BOOST_TEST(on("round(number(input.v), 2)", R"("1003.33")") == "1003.33");
  BOOST_TEST(on("round(input.v, 2)", "1.005") == "1.01");
  BOOST_TEST(on("round(input.v)", "-2.5") == "-3");
  BOOST_TEST(on("round(input.v)", "2.5") == "3");
  BOOST_TEST(on("round(input.v, 2)", "29336") == "29336");
  BOOST_TEST(on("round(input.v * 1.5 - 0.4, 2)", "199.99") == "299.59");
}

BOOST_AUTO_TEST_CASE(round_refuses_strings_and_bad_digits) {
  const auto doc = expression("round(input.v, 2)");
  BOOST_TEST(doc.failure(R"({"v": "1.5"})").message ==
             "v: round(): expected a number, got \"1.5\" (convert it with number()) (" +
                 doc.at("round") + ")");
  BOOST_TEST(failure_on("round(1, input.v)", "19")
                 .starts_with("v: round(): digits must be an integer from 0 to 18"));
  BOOST_TEST(failure_on("round(1, input.v)", "-1")
                 .starts_with("v: round(): digits must be an integer from 0 to 18"));
}

BOOST_AUTO_TEST_CASE(floor_ceil_abs_min_max) {
  BOOST_TEST(on("[floor(input.v), ceil(input.v), abs(input.v)]", "-1.5") == "[-2,-1,1.5]");
  BOOST_TEST(on("[min(input.v, 2), max(input.v, 2)]", "3.25") == "[2,3.25]");
  BOOST_TEST(failure_on("floor(input.v)", R"("1")").starts_with("v: floor(): expected a number"));
}

BOOST_AUTO_TEST_CASE(parse_number_reads_prices_with_currency) {
  BOOST_TEST(on("parse_number(input.v)", R"("100 ₽")") == "100");
  BOOST_TEST(on("parse_number(input.v)", R"("1 000,50 руб.")") == "1000.5");
  BOOST_TEST(on("parse_number(input.v)", R"("500 ₽")") == "500");
  BOOST_TEST(on("parse_number(input.v)", R"("-12.5%")") == "-12.5");
  BOOST_TEST(on("parse_number(input.v)", R"("$1,234.56")") == "1234.56");
  BOOST_TEST(on("parse_number(input.v)", R"("1.234.567")") == "1234567");
  BOOST_TEST(on("parse_number(input.v)", "\"12\u00a0345\"") == "12345");  // no-break space
  BOOST_TEST(on("parse_number(input.v)", "42") == "42");
}

BOOST_AUTO_TEST_CASE(parse_number_without_digits_fails) {
  const auto doc = expression("parse_number(input.v)");
  BOOST_TEST(doc.failure(R"({"v": "бесплатно"})").message ==
             "v: parse_number(): \"бесплатно\" holds no number (" + doc.at("parse_number") + ")");
  BOOST_TEST(doc.failure(R"({"v": null})").message ==
             "v: parse_number(): expected a string, got null (" + doc.at("parse_number") + ")");
}

BOOST_AUTO_TEST_CASE(type_and_exists) {
  BOOST_TEST(on("[type(input.v), type(input.missing), type(1), type([]), type({})]", R"("s")") ==
             R"(["string","null","number","array","object"])");
  BOOST_TEST(on("[exists(input.v), exists(input.missing), exists(omit)]", "false") ==
             "[true,false,false]");
}

BOOST_AUTO_TEST_SUITE_END()
