// Request ids: generated ones are hex and distinct; only sane client ids are kept.
#include "http/request_id.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using ordergate::http::acceptable_request_id;
using ordergate::http::generate_request_id;

BOOST_AUTO_TEST_SUITE(request_id)

BOOST_AUTO_TEST_CASE(generated_id_is_16_lowercase_hex_digits) {
  const auto id = generate_request_id();
  BOOST_TEST(id.size() == 16u);
  BOOST_TEST(id.find_first_not_of("0123456789abcdef") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(generated_ids_do_not_repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i)
    seen.insert(generate_request_id());
  BOOST_TEST(seen.size() == 10'000u);
}

BOOST_AUTO_TEST_CASE(visible_ascii_ids_are_acceptable) {
  BOOST_TEST(acceptable_request_id("abc-123_XYZ.9"));
  BOOST_TEST(acceptable_request_id(std::string(128, 'a')));
}

BOOST_AUTO_TEST_CASE(empty_long_or_odd_ids_are_not_acceptable) {
  BOOST_TEST(!acceptable_request_id(""));
  BOOST_TEST(!acceptable_request_id(std::string(129, 'a')));
  BOOST_TEST(!acceptable_request_id("has space"));
  BOOST_TEST(!acceptable_request_id("quote\""));
  BOOST_TEST(!acceptable_request_id("back\\slash"));
  BOOST_TEST(!acceptable_request_id("tab\t"));
  BOOST_TEST(!acceptable_request_id("\xd0\xb9"));
}

BOOST_AUTO_TEST_SUITE_END()
