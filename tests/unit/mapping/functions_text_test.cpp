// Text: html_unescape, url_encode, digits, lower, upper, trim, replace,
// starts_with, ends_with, split, length, substring, fill, fill_url.

#include "mapping_harness.hpp"

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

BOOST_AUTO_TEST_SUITE(functions_text)

BOOST_AUTO_TEST_CASE(html_unescape_decodes_what_php_escapes) {
  BOOST_TEST(on("html_unescape(input.v)", R"("Чайник «Ретро» &amp; заварник &lt;1 л&gt;")") ==
             R"("Чайник «Ретро» & заварник <1 л>")");
  BOOST_TEST(on("html_unescape(input.v)", R"("Набор чая &quot;Ассорти&quot; &amp; мёд")") ==
             R"("Набор чая \"Ассорти\" & мёд")");
  BOOST_TEST(on("html_unescape(input.v)", R"("Олег О&#039;Нил")") == R"("Олег О'Нил")");
}

BOOST_AUTO_TEST_CASE(html_unescape_leaves_cyrillic_and_plain_text_alone) {
  BOOST_TEST(on("html_unescape(input.v)", R"("Кружка керамическая «Утро»")") ==
             R"("Кружка керамическая «Утро»")");
  BOOST_TEST(on("html_unescape(input.v)", R"("AT&T & co")") == R"("AT&T & co")");
}

BOOST_AUTO_TEST_CASE(html_unescape_decodes_numeric_and_common_named_entities) {
  BOOST_TEST(on("html_unescape(input.v)", R"("&#x41;&#8470;&laquo;x&raquo;&nbsp;&mdash;")") ==
             "\"A№«x»\u00a0—\"");
}

BOOST_AUTO_TEST_CASE(html_unescape_decodes_once) {
  // Webasyst's XML escapes names twice; one call undoes one level.
  BOOST_TEST(on("html_unescape(input.v)", R"("&amp;amp;")") == R"("&amp;")");
}

BOOST_AUTO_TEST_CASE(html_unescape_keeps_malformed_entities) {
  BOOST_TEST(on("html_unescape(input.v)", R"("&#0; &#xD800; &#99999999; &unknown; &amp")") ==
             R"("&#0; &#xD800; &#99999999; &unknown; &amp")");
}

BOOST_AUTO_TEST_CASE(html_unescape_decodes_every_named_entity_and_text_made_only_of_entities) {
  // The result is written in room the size of the input: a text made only of entities,
  // each of which decodes to its longest UTF-8 for its length, must still fit.
  BOOST_TEST(on("html_unescape(input.v)",
                R"("&amp;&lt;&gt;&quot;&apos;&nbsp;&laquo;&raquo;&ndash;&mdash;&hellip;&lsquo;)"
                R"(&rsquo;&ldquo;&rdquo;&bdquo;&copy;&reg;&trade;&euro;&deg;&times;&bull;)"
                R"(&middot;&numero;")") == "\"&<>\\\"'\u00a0«»–—…‘’“”„©®™€°×•·№\"");
  BOOST_TEST(on("html_unescape(input.v)", R"("&#1;&#x80;&#128;&#x800;&#2048;&#x10000;&#65536;")") ==
             "\"\\u0001\u0080\u0080\u0800\u0800\U00010000\U00010000\"");
}

// Names are compared whole: a known name with a byte more or less, a NUL after it, a
// different case or a longer name sharing its first bytes is no entity.
BOOST_AUTO_TEST_CASE(html_unescape_knows_only_exact_names) {
  BOOST_TEST(on("html_unescape(input.v)", R"("&am; &ampx; &Amp; &AMP; &numeros; &numer;")") ==
             R"("&am; &ampx; &Amp; &AMP; &numeros; &numer;")");
  BOOST_TEST(on("html_unescape(input.v)", R"("&amp\u0000; &\u0000amp;")") ==
             R"("&amp\u0000; &\u0000amp;")");
  BOOST_TEST(on("html_unescape(input.v)", R"("&middotx; &middot;")") == R"("&middotx; ·")");
}

BOOST_AUTO_TEST_CASE(html_unescape_reads_at_most_11_bytes_of_name_or_number) {
  BOOST_TEST(on("html_unescape(input.v)", R"("&#0000000065;")") == R"("A")");
  BOOST_TEST(on("html_unescape(input.v)", R"("&#00000000065;")") == R"("&#00000000065;")");
  BOOST_TEST(on("html_unescape(input.v)", R"("&&&;&amp&amp;;")") == R"("&&&;&amp&;")");
}

BOOST_AUTO_TEST_CASE(html_unescape_of_a_number_is_its_text) {
  BOOST_TEST(on("html_unescape(input.v)", "1500.50") == R"("1500.5")");
}

BOOST_AUTO_TEST_CASE(digits_keeps_only_digits) {
  BOOST_TEST(on("digits(input.v)", R"("+7 (912) 000-11-22")") == R"("79120001122")");
  BOOST_TEST(on("digits(input.v)", R"("нет")") == R"("")");
  BOOST_TEST(on("digits(input.v)", "79161234567") == R"("79161234567")");
}

BOOST_AUTO_TEST_CASE(url_encode_uses_percent_twenty_for_spaces) {
  BOOST_TEST(on("url_encode(input.v)", R"("a b&c=d/é")") == R"("a%20b%26c%3Dd%2F%C3%A9")");
  BOOST_TEST(on("url_encode(input.v)", R"("A-z_0.9~")") == R"("A-z_0.9~")");
}

BOOST_AUTO_TEST_CASE(fill_url_encodes_each_value) {
  const std::string input = R"({"t": "RA 123/45&x"})";
  BOOST_TEST(eval("fill_url('https://www.cdek.ru/ru/tracking?order_id={tracking_number}', "
                  "{tracking_number: input.t})",
                  input) == R"("https://www.cdek.ru/ru/tracking?order_id=RA%20123%2F45%26x")");
  BOOST_TEST(eval("fill('{a}-{b}', {a: input.t, b: 2})", input) == R"("RA 123/45&x-2")");
}

BOOST_AUTO_TEST_CASE(fill_without_a_value_fails) {
  const auto doc = expression("fill_url('x/{id}', {other: input.v})");
  BOOST_TEST(doc.failure().message == "fill_url(): no text for {id} in the template (got null) (" +
                                          doc.at("fill_url") + ")");
}

BOOST_AUTO_TEST_CASE(fill_keeps_text_without_placeholders) {
  BOOST_TEST(eval("fill('no braces', {})") == R"("no braces")");
  BOOST_TEST(eval("fill('open { only', {})") == R"("open { only")");
}

BOOST_AUTO_TEST_CASE(case_and_trim) {
  BOOST_TEST(on("[lower(input.v), upper(input.v), trim(input.v)]", R"(" MiXed ")") ==
             R"([" mixed "," MIXED ","MiXed"])");
  // Only ASCII letters change case.
  BOOST_TEST(on("upper(input.v)", R"("ёж")") == R"("ёж")");
}

BOOST_AUTO_TEST_CASE(replace_starts_with_ends_with) {
  BOOST_TEST(on("replace(input.v, '-', '')", R"("CDEK-1098-7")") == R"("CDEK10987")");
  BOOST_TEST(on("[starts_with(input.v, 'CDEK'), ends_with(input.v, '7'), ends_with(input.v, "
                "'toolong-suffix')]",
                R"("CDEK-1")") == "[true,false,false]");
  const auto doc = expression("replace(input.v, '', 'x')");
  BOOST_TEST(doc.failure(R"({"v": "a"})").message ==
             "replace(): the text to replace is empty (" + doc.at("replace") + ")");
}

BOOST_AUTO_TEST_CASE(split_length_substring_count_characters) {
  BOOST_TEST(on("split(input.v, ', ')", R"("a, b, ")") == R"(["a","b",""])");
  BOOST_TEST(on("length(input.v)", R"("Удален")") == "6");
  BOOST_TEST(on("length(input.v)", "[1, 2, 3]") == "3");
  BOOST_TEST(on("substring(input.v, 1, 3)", R"("Удален")") == R"("дал")");
  BOOST_TEST(on("substring(input.v, 4)", R"("Удален")") == R"("ен")");
  BOOST_TEST(on("substring(input.v, 10)", R"("abc")") == R"("")");
}

BOOST_AUTO_TEST_CASE(text_functions_refuse_non_text) {
  const auto doc = expression("digits(input.v)");
  BOOST_TEST(doc.failure(R"({"v": null})").message ==
             "v: digits(): expected a string, got null (" + doc.at("digits") + ")");
  BOOST_TEST(doc.failure(R"({"v": {}})").message ==
             "v: digits(): expected a string, got an object (" + doc.at("digits") + ")");
}

BOOST_AUTO_TEST_SUITE_END()
