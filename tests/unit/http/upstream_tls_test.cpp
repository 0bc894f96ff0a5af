// HTTPS to a local fake upstream with the test CA: verification of chain and name.
#include "unit/http/client_harness.hpp"
#include "unit/http/fake_upstream.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::http;
using namespace ordergate::http::testing;

namespace {

const std::string test_ca = std::string(ORDERGATE_TEST_DATA) + "/tls/ca.pem";

fake_upstream::script hello() {
  return [](const request&, std::size_t) { return fake_reply{raw_answer(200, "secure")}; };
}

upstream_client_settings trusting_test_ca() {
  upstream_client_settings settings;
  settings.ca_file = test_ca;
  return settings;
}

bool is(const upstream_result& r, upstream_errc code) {
  return r.has_error() && r.error().code == code;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upstream_tls)

BOOST_AUTO_TEST_CASE(https_to_ip_address_with_the_test_ca_succeeds) {
  fake_upstream fake(hello(), "server");
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body == "secure");
}

BOOST_AUTO_TEST_CASE(https_to_host_name_with_the_test_ca_succeeds) {
  fake_upstream fake(hello(), "server");
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true, "localhost"));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body == "secure");
}

BOOST_AUTO_TEST_CASE(tls_connection_is_reused) {
  fake_upstream fake(hello(), "server");
  client_harness harness(trusting_test_ca());
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(harness.call(local_request(fake.port(), "/", verb::get, true)).has_value());
  }
  BOOST_TEST(fake.accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_tls_failed) {
  fake_upstream fake(hello(), "server");
  client_harness harness;  // system store only
  auto req = local_request(fake.port(), "/", verb::get, true);
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::tls_failed));
  BOOST_TEST(result.error().attempts == 1u);  // certificates do not fix themselves
  BOOST_TEST(fake.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(certificate_for_another_host_is_tls_failed) {
  fake_upstream fake(hello(), "wrong-host");
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true, "localhost"));
  BOOST_TEST(is(result, upstream_errc::tls_failed));
  BOOST_TEST(fake.requests() == 0u);
}

BOOST_AUTO_TEST_CASE(disabled_verification_accepts_an_unknown_ca) {
  fake_upstream fake(hello(), "wrong-host");
  upstream_client_settings settings;
  settings.verify_peer = false;
  client_harness harness(settings);
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body == "secure");
}

BOOST_AUTO_TEST_CASE(tls_to_a_plain_http_server_is_tls_failed) {
  fake_upstream fake(hello());
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true));
  BOOST_TEST(is(result, upstream_errc::tls_failed));
}

BOOST_AUTO_TEST_CASE(unreadable_ca_file_is_refused_at_construction) {
  asio::io_context ioc;
  upstream_client_settings settings;
  settings.ca_file = std::string(ORDERGATE_TEST_DATA) + "/tls/missing.pem";
  BOOST_CHECK_THROW(upstream_client(ioc.get_executor(), settings), boost::system::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
