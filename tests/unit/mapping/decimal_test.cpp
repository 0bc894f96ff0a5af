#include "ordergate/mapping/decimal.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <string>

using ordergate::mapping::decimal;

namespace {

decimal d(const char* text) {
  const auto v = decimal::parse(text);
  BOOST_REQUIRE_MESSAGE(v, "cannot parse " << text);
  return *v;
}

std::string text(const std::optional<decimal>& v) {
  BOOST_REQUIRE(v.has_value());
  return v->to_string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decimal_numbers)

BOOST_AUTO_TEST_CASE(parse_keeps_the_exact_value) {
  BOOST_TEST(d("1003.33").to_string() == "1003.33");
  BOOST_TEST(d("0.1").to_string() == "0.1");
  BOOST_TEST(d("-12.50").to_string() == "-12.5");
  BOOST_TEST(d("0.000001").to_string() == "0.000001");
}

BOOST_AUTO_TEST_CASE(output_is_the_shortest_form) {
  BOOST_TEST(d("29336").to_string() == "29336");
  BOOST_TEST(d("29336.0").to_string() == "29336");
  BOOST_TEST(d("1500.0000").to_string() == "1500");
  BOOST_TEST(d("2.000").to_string() == "2");
  BOOST_TEST(d("0.0").to_string() == "0");
  BOOST_TEST(d("-0").to_string() == "0");
  BOOST_TEST(d("-0.5").to_string() == "-0.5");
}

BOOST_AUTO_TEST_CASE(exponents_are_expanded) {
  BOOST_TEST(d("1e3").to_string() == "1000");
  BOOST_TEST(d("1.5E-2").to_string() == "0.015");
  BOOST_TEST(d("25e+0").to_string() == "25");
}

BOOST_AUTO_TEST_CASE(parse_refuses_what_is_not_a_number) {
  for (const char* bad : {"", "-", "abc", "1.2.3", "12a", "1e", "1e+", "--1", "1 000"}) {
    BOOST_TEST_INFO("text: '" << bad << "'");
    BOOST_TEST(!decimal::parse(bad).has_value());
  }
}

BOOST_AUTO_TEST_CASE(parse_refuses_numbers_that_do_not_fit) {
  BOOST_TEST(!decimal::parse("123456789012345678901234567890123456789").has_value());  // 39 digits
  BOOST_TEST(decimal::parse("12345678901234567890123456789012345678").has_value());    // 38 digits
  BOOST_TEST(!decimal::parse("1e39").has_value());
  BOOST_TEST(!decimal::parse("1e-31").has_value());  // beyond max_scale
  BOOST_TEST(!decimal::parse("1e500").has_value());
}

BOOST_AUTO_TEST_CASE(point_one_plus_point_two_is_point_three) {
  const auto sum = decimal::add(d("0.1"), d("0.2"));
  BOOST_TEST(text(sum) == "0.3");
  BOOST_TEST(decimal::compare(*sum, d("0.3")) == 0);
}

BOOST_AUTO_TEST_CASE(arithmetic_is_exact) {
  BOOST_TEST(text(decimal::sub(d("1290.50"), d("0.5"))) == "1290");
  BOOST_TEST(text(decimal::mul(d("1290.50"), d("2"))) == "2581");
  BOOST_TEST(text(decimal::mul(d("199.99"), d("1.500"))) == "299.985");
  BOOST_TEST(text(decimal::div(d("10"), d("4"))) == "2.5");
  BOOST_TEST(text(decimal::mod(d("10.5"), d("3"))) == "1.5");
  BOOST_TEST(text(decimal::mod(d("-7"), d("3"))) == "-1");
}

BOOST_AUTO_TEST_CASE(division_truncates_after_twenty_extra_digits) {
  BOOST_TEST(text(decimal::div(d("1"), d("3"))) == "0.33333333333333333333");
  BOOST_TEST(text(decimal::div(d("2"), d("3"))) == "0.66666666666666666666");
}

BOOST_AUTO_TEST_CASE(divisor_with_more_than_eighteen_fraction_digits_divides_exactly) {
  // Found by fuzzing: 10^(20 + the divisor's scale) was computed past 38 digits (UB; the
  // release build answered -208471007628153903.90123822295304634368).
  BOOST_TEST(text(decimal::div(d("1"), d("0.0000000000000000001"))) == "10000000000000000000");
  BOOST_TEST(text(decimal::div(d("2"), d("0.000000000000000000000000000004"))) ==
             "500000000000000000000000000000");
  BOOST_TEST(text(decimal::div(d("-3"), d("0.000000000000000000003"))) ==
             "-1000000000000000000000");
}

BOOST_AUTO_TEST_CASE(division_by_zero_gives_nothing) {
  BOOST_TEST(!decimal::div(d("1"), d("0")).has_value());
  BOOST_TEST(!decimal::mod(d("1"), d("0.0")).has_value());
}

BOOST_AUTO_TEST_CASE(overflow_gives_nothing) {
  const decimal big = d("99999999999999999999999999999999999999");  // 38 nines
  // The coefficient is 128 bits: about 1.7e38 is the end.
  BOOST_TEST(!decimal::add(big, big).has_value());
  BOOST_TEST(!decimal::mul(big, d("10")).has_value());
  BOOST_TEST(!decimal::sub(big.negate(), big).has_value());
  // Bringing both sides to one scale overflows too.
  BOOST_TEST(!decimal::add(big, d("0.1")).has_value());
}

BOOST_AUTO_TEST_CASE(a_result_of_minus_two_to_the_127_is_an_overflow) {
  // -2^127 fits the 128-bit coefficient but its negation does not: refused, so that
  // negate, abs, sub and division by -1 stay defined.
  const decimal low = d("-18446744073709551616");  // -2^64
  const decimal high = d("9223372036854775808");   // 2^63
  BOOST_TEST(!decimal::mul(low, high).has_value());
  const auto almost = decimal::mul(low, d("9223372036854775807"));
  BOOST_REQUIRE(almost.has_value());
  BOOST_TEST(!decimal::sub(*almost, d("18446744073709551616")).has_value());
  BOOST_TEST(text(decimal::sub(*almost, d("18446744073709551615"))) ==
             "-170141183460469231731687303715884105727");
}

BOOST_AUTO_TEST_CASE(round_keeps_values_that_already_fit) {
  BOOST_TEST(d("1003.33").round(2).to_string() == "1003.33");
  BOOST_TEST(d("29336").round(2).to_string() == "29336");
}

BOOST_AUTO_TEST_CASE(round_goes_half_away_from_zero) {
  BOOST_TEST(d("1.005").round(2).to_string() == "1.01");
  BOOST_TEST(d("1.004999").round(2).to_string() == "1");
  BOOST_TEST(d("2.5").round(0).to_string() == "3");
  BOOST_TEST(d("-2.5").round(0).to_string() == "-3");
  BOOST_TEST(d("-1.005").round(2).to_string() == "-1.01");
  BOOST_TEST(d("299.985").round(2).to_string() == "299.99");
}

BOOST_AUTO_TEST_CASE(truncate_floor_and_ceil) {
  BOOST_TEST(d("1.999").truncate(2).to_string() == "1.99");
  BOOST_TEST(d("-1.999").truncate(0).to_string() == "-1");
  BOOST_TEST(d("-1.5").floor().to_string() == "-2");
  BOOST_TEST(d("1.5").floor().to_string() == "1");
  BOOST_TEST(d("-1.5").ceil().to_string() == "-1");
  BOOST_TEST(d("1.2").ceil().to_string() == "2");
  BOOST_TEST(d("3").ceil().to_string() == "3");
}

BOOST_AUTO_TEST_CASE(compare_ignores_trailing_zeros) {
  BOOST_TEST(decimal::compare(d("1.50"), d("1.5")) == 0);
  BOOST_TEST(decimal::compare(d("-1"), d("0.5")) == -1);
  BOOST_TEST(decimal::compare(d("10"), d("9.99")) == 1);
}

BOOST_AUTO_TEST_CASE(compare_works_across_extreme_scales) {
  const decimal big = d("99999999999999999999999999999999999999");
  BOOST_TEST(decimal::compare(big, d("0.000000000000000000000000000001")) == 1);
  BOOST_TEST(decimal::compare(big.negate(), d("0.1")) == -1);
}

BOOST_AUTO_TEST_CASE(integers_convert_to_int64) {
  BOOST_TEST(d("2.000").is_integer());
  BOOST_TEST(!d("2.5").is_integer());
  BOOST_TEST(d("-42").to_int64().value() == -42);
  BOOST_TEST(!d("2.5").to_int64().has_value());
  BOOST_TEST(!d("99999999999999999999").to_int64().has_value());
}

BOOST_AUTO_TEST_CASE(format_writes_into_a_buffer) {
  char buf[48];
  const decimal v = d("-1234567.891");
  BOOST_TEST(std::string(buf, v.format(buf)) == "-1234567.891");
  const decimal largest = d("-99999999999999999999999999999999999999").round(0);
  BOOST_TEST(std::string(buf, largest.format(buf)) == "-99999999999999999999999999999999999999");
  const decimal tiny = d("0.000000000000000000000000000001");
  BOOST_TEST(std::string(buf, tiny.format(buf)) == "0.000000000000000000000000000001");
}

// Texts of up to 20 characters take a 64-bit fast path; longer ones the general one.
// Padding a text past 20 characters without changing its value must not change what
// is read, nor how it is written.
BOOST_AUTO_TEST_CASE(the_short_path_agrees_with_the_general_one) {
  for (const char* t : {"0",
                        "-0",
                        "7",
                        "-7",
                        "1500.0000",
                        "1500",
                        "10.50",
                        "0.5",
                        ".5",
                        "-.5",
                        "5.",
                        "-2.000",
                        "0.0",
                        ".0",
                        "100",
                        "123456789012345678",
                        "999999999999999999",
                        "0.000000000000000001",
                        "-12345678901234567.8",
                        "1.10",
                        "100.001",
                        "60"}) {
    const std::string text = t;
    std::string padded = text.find('.') == std::string::npos ? text + "." : text;
    while (padded.size() <= 20)
      padded += '0';
    const auto fast = decimal::parse(text);
    const auto general = decimal::parse(padded);
    BOOST_TEST_REQUIRE(fast.has_value(), text);
    BOOST_TEST_REQUIRE(general.has_value(), padded);
    BOOST_TEST(decimal::compare(*fast, *general) == 0, text);
    BOOST_TEST(fast->to_string() == general->to_string(), text);
  }
  for (const char* bad : {"", "-", ".", "-.", "1.2.3", "1.x0", "1x", "0x10", " 1", "1 "})
    BOOST_TEST(!decimal::parse(bad).has_value(), bad);
}

/// What parse() must make of plain decimal text (an optional '-', digits, an optional
/// point and digits), written independently of it: the shortest form, or nullopt when
/// the text is not such a number.
std::optional<std::string> reference(const std::string& text) {
  std::size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  std::string whole, fraction;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
    whole += text[i];
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      fraction += text[i];
    if (i != text.size()) return std::nullopt;
  }
  if (whole.empty() && fraction.empty()) return std::nullopt;
  while (!fraction.empty() && fraction.back() == '0')
    fraction.pop_back();
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  if (whole.empty() && fraction.empty()) return "0";
  return (negative ? "-" : "") + (whole.empty() ? "0" : whole) +
         (fraction.empty() ? "" : "." + fraction);
}

BOOST_AUTO_TEST_CASE(parse_agrees_with_a_reference_for_generated_text) {
  // Every length the 8-byte reader and the byte loop share (1 to 22 bytes), with the
  // point and a stray byte at every place, trailing zeros, and signs.
  std::mt19937 random(12345);
  const std::string alphabet = "0123456789000000.-x e";
  int checked = 0;
  int with_shortest = 0;
  for (int round = 0; round < 200000; ++round) {
    const std::size_t size = 1 + random() % 22;
    std::string text;
    const int shape = static_cast<int>(random() % 4);
    for (std::size_t k = 0; k < size; ++k) {
      // Most texts are plain numbers; some take any byte of the alphabet anywhere.
      if (shape == 0) {
        text += alphabet[random() % alphabet.size()];
      } else {
        text += static_cast<char>('0' + random() % 10);
      }
    }
    if (shape >= 2) text[random() % size] = '.';
    if (shape == 3) text[0] = '-';
    if (shape >= 1 && random() % 3 == 0)
      text.replace(text.size() - text.size() / 3, text.size() / 3, text.size() / 3, '0');
    const auto expected = reference(text);
    const auto got = decimal::parse(text);
    std::string_view shortest;
    const auto with_text = decimal::parse(text, shortest);
    BOOST_TEST_REQUIRE(with_text.has_value() == got.has_value(), text);
    // The shortest text, when given, is what format() writes, and lies in the text.
    if (!shortest.empty()) {
      BOOST_TEST_REQUIRE(shortest == with_text->to_string(), text);
      BOOST_TEST_REQUIRE((shortest.data() >= text.data() &&
                          shortest.data() + shortest.size() <= text.data() + text.size()),
                         text);
      ++with_shortest;
    }
    if (expected) {
      BOOST_TEST_REQUIRE(got.has_value(), text);
      BOOST_TEST_REQUIRE(got->to_string() == *expected, text);
      ++checked;
    } else if (text.find_first_of("e") == std::string::npos) {
      // (An exponent makes text the reference refuses a number: "1e5".)
      BOOST_TEST_REQUIRE(!got.has_value(), text);
    }
  }
  BOOST_TEST(checked > 100000);
  BOOST_TEST(with_shortest > 50000);
}

BOOST_AUTO_TEST_CASE(parse_gives_the_shortest_text_of_plain_numbers) {
  const auto shortest_of = [](std::string_view text) {
    std::string_view shortest;
    BOOST_TEST_REQUIRE(decimal::parse(text, shortest).has_value(), text);
    return std::string(shortest);
  };
  BOOST_TEST(shortest_of("2490.0000") == "2490");
  BOOST_TEST(shortest_of("1.000") == "1");
  BOOST_TEST(shortest_of("0.0000") == "0");
  BOOST_TEST(shortest_of("-0.00") == "0");
  BOOST_TEST(shortest_of("-0") == "0");
  BOOST_TEST(shortest_of("0.50") == "0.5");
  BOOST_TEST(shortest_of("-12.50") == "-12.5");
  BOOST_TEST(shortest_of("-0.05") == "-0.05");
  BOOST_TEST(shortest_of("100") == "100");
  BOOST_TEST(shortest_of("5.") == "5");
  // Not a prefix of the text: formatted instead.
  BOOST_TEST(shortest_of("007") == "");
  BOOST_TEST(shortest_of("-.5") == "");
  BOOST_TEST(shortest_of("1e3") == "");
  BOOST_TEST(shortest_of("12345678901234567890.5") == "");
  std::string_view shortest = "left over";
  BOOST_TEST(!decimal::parse("1.2.3", shortest).has_value());
  BOOST_TEST(shortest.empty());
}

BOOST_AUTO_TEST_CASE(format_matches_the_digits_for_every_length) {
  // One value per digit count and scale: the pairwise digit writer and the placement of
  // the point, against text built digit by digit; past 19 digits the magnitude no longer
  // fits 64 bits and takes the 128-bit path.
  char buf[48];
  std::string digits;
  for (int n = 1; n <= 38; ++n) {
    digits += static_cast<char>('1' + (n % 9));
    for (int scale = 0; scale <= std::min(n + 2, decimal::max_scale); ++scale) {
      std::string expected = digits;
      if (scale >= n) {
        expected = "0." + std::string(static_cast<std::size_t>(scale - n), '0') + digits;
      } else if (scale > 0) {
        expected.insert(expected.size() - static_cast<std::size_t>(scale), ".");
      }
      const auto v = decimal::parse(expected);
      BOOST_TEST_REQUIRE(v.has_value(), expected);
      BOOST_TEST(std::string(buf, v->format(buf)) == expected);
      BOOST_TEST(std::string(buf, v->negate().format(buf)) == "-" + expected);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
