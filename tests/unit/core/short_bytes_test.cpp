// Short copies and comparisons by fixed-size loads: every length up to past the last
// special case, with a difference at every position.
#include "ordergate/core/short_bytes.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ordergate::core;

BOOST_AUTO_TEST_SUITE(short_bytes)

BOOST_AUTO_TEST_CASE(same_short_tells_every_difference_at_every_length) {
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string a = base.substr(0, n);
    BOOST_TEST(same_short(a.data(), base.data(), n), "length " << n);
    for (std::size_t at = 0; at < n; ++at) {
      std::string b = a;
      b[at] = '_';
      BOOST_TEST(!same_short(a.data(), b.data(), n), "length " << n << ", byte " << at);
      BOOST_TEST(!same_text(a, b), "length " << n << ", byte " << at);
    }
  }
}

BOOST_AUTO_TEST_CASE(same_text_needs_the_same_length) {
  BOOST_TEST(same_text("", ""));
  BOOST_TEST(same_text({}, ""));
  BOOST_TEST(!same_text("create_datetime", "create_datetime_"));
  BOOST_TEST(same_text("fulfillment_contact_id", "fulfillment_contact_id"));
}

BOOST_AUTO_TEST_CASE(copy_short_copies_exactly_n_bytes) {
  const std::string from = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t n = 0; n <= from.size(); ++n) {
    std::string to(from.size() + 1, '#');
    copy_short(to.data(), from.data(), n);
    BOOST_TEST(to == from.substr(0, n) + std::string(from.size() + 1 - n, '#'), "length " << n);
  }
}

BOOST_AUTO_TEST_SUITE_END()
