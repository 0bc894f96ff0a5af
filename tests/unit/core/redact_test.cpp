// Secrets are cut out of text that came from elsewhere (a vendor echoing a request).
#include "ordergate/core/redact.hpp"

#include <boost/test/unit_test.hpp>

using ordergate::core::redact;

BOOST_AUTO_TEST_SUITE(redact_secrets)

BOOST_AUTO_TEST_CASE(every_occurrence_of_every_secret_is_replaced) {
  std::string text = "token abcd-1234 rejected; Authorization: Bearer abcd-1234, key xyz-987";
  BOOST_TEST(redact(text, {"abcd-1234", "xyz-987"}) == 3u);
  BOOST_TEST(text == "token [redacted] rejected; Authorization: Bearer [redacted], key [redacted]");
}

BOOST_AUTO_TEST_CASE(text_without_a_secret_is_left_alone) {
  std::string text = "Limit must be at most 1000";
  BOOST_TEST(redact(text, {"abcd-1234"}) == 0u);
  BOOST_TEST(text == "Limit must be at most 1000");
}

BOOST_AUTO_TEST_CASE(adjacent_occurrences_are_all_replaced) {
  std::string text = "secretsecret";
  BOOST_TEST(redact(text, {"secret"}) == 2u);
  BOOST_TEST(text == "[redacted][redacted]");
}

BOOST_AUTO_TEST_CASE(a_marker_that_contains_a_secret_does_not_loop) {
  std::string text = "redacted";
  BOOST_TEST(redact(text, {"redacted"}) == 1u);
  BOOST_TEST(text == "[redacted]");
}

BOOST_AUTO_TEST_CASE(very_short_and_empty_secrets_are_not_searched_for) {
  std::string text = "a b c";
  BOOST_TEST(redact(text, {"", "a", "b c"}) == 0u);
  BOOST_TEST(text == "a b c");
}

BOOST_AUTO_TEST_SUITE_END()
