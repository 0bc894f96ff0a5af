// UTF-8 helpers of core and the JSON error body, which must stay valid JSON whatever
// bytes a client sent.
#include "ordergate/core/utf8.hpp"
#include "ordergate/core/error.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::core;

BOOST_AUTO_TEST_SUITE(utf8_text)

BOOST_AUTO_TEST_CASE(valid_text_is_kept) {
  BOOST_TEST(valid_utf8("plain Москва €😀") == "plain Москва €😀");
}

BOOST_AUTO_TEST_CASE(each_invalid_byte_becomes_one_replacement_character) {
  BOOST_TEST(valid_utf8("a\xff\xfe"
                        "b") ==
             "a\xEF\xBF\xBD\xEF\xBF\xBD"
             "b");
  BOOST_TEST(valid_utf8("\xC0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  BOOST_TEST(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  BOOST_TEST(valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
}

BOOST_AUTO_TEST_CASE(encoded_surrogates_are_found) {
  BOOST_TEST(has_encoded_surrogate("10\xED\xB0\x80:09"));
  BOOST_TEST(!has_encoded_surrogate("\xED\x9F\xBF"));  // U+D7FF, just below
  BOOST_TEST(!has_encoded_surrogate("no such bytes"));
  BOOST_TEST(!has_encoded_surrogate("ends with \xED"));
}

BOOST_AUTO_TEST_CASE(error_body_with_invalid_bytes_in_message_and_path_is_valid_utf8) {
  // Found by fuzzing: a request path with byte FF came back inside "no route for ..."
  // and made the 404 body invalid JSON.
  const std::string body = render_error_body({errc::bad_request,
                                              "no route for /or\xff\xff"
                                              "der",
                                              "items[\xfe]"});
  BOOST_TEST(body ==
             "{\"error\":\"bad_request\",\"message\":\"no route for /or\xEF\xBF\xBD\xEF\xBF\xBD"
             "der\",\"path\":\"items[\xEF\xBF\xBD]\"}");
}

BOOST_AUTO_TEST_CASE(length_counts_characters_across_the_eight_byte_steps) {
  using ordergate::core::utf8_length;
  BOOST_TEST(utf8_length("") == 0U);
  BOOST_TEST(utf8_length("abc") == 3U);
  // 1-, 2-, 3- and 4-byte characters at every offset around the 8-byte words.
  const std::string pieces[] = {"a", "\xD0\x96", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  std::string text;
  std::size_t chars = 0;
  for (int i = 0; i < 40; ++i) {
    text += pieces[static_cast<std::size_t>(i * 7 % 4)];
    ++chars;
    BOOST_TEST(utf8_length(text) == chars, text.size());
  }
}

BOOST_AUTO_TEST_SUITE_END()
