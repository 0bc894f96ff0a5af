// HTTPS to a local fake vendor with the test CA: verification of chain and name.
#include "support/build_paths.hpp"
#include "support/fake_vendor.hpp"
#include "unit/http/client_harness.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

const std::string test_ca = this_build().tls("ca.pem").string();

vendor_script hello() {
  return always(vendor_reply::raw_answer(answer_bytes(200, "secure")));
}

/// HTTPS with the test certificate pair `name` ("server", "wrong-host").
vendor_options serving(const std::string& name) {
  vendor_options options;
  options.certificate = this_build().tls((name + ".pem").c_str());
  options.private_key = this_build().tls((name + ".key").c_str());
  return options;
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
  fake_vendor fake(hello(), serving("server"));
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body.view() == "secure");
}

BOOST_AUTO_TEST_CASE(https_to_host_name_with_the_test_ca_succeeds) {
  fake_vendor fake(hello(), serving("server"));
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true, "localhost"));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body.view() == "secure");
}

BOOST_AUTO_TEST_CASE(tls_connection_is_reused) {
  fake_vendor fake(hello(), serving("server"));
  client_harness harness(trusting_test_ca());
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(harness.call(local_request(fake.port(), "/", verb::get, true)).has_value());
  }
  BOOST_TEST(fake.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_tls_failed) {
  fake_vendor fake(hello(), serving("server"));
  client_harness harness;  // system store only
  auto req = local_request(fake.port(), "/", verb::get, true);
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::tls_failed));
  BOOST_TEST(result.error().attempts == 1u);  // certificates do not fix themselves
  BOOST_TEST(fake.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(certificate_for_another_host_is_tls_failed) {
  fake_vendor fake(hello(), serving("wrong-host"));
  client_harness harness(trusting_test_ca());
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true, "localhost"));
  BOOST_TEST(is(result, upstream_errc::tls_failed));
  BOOST_TEST(fake.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(disabled_verification_accepts_an_unknown_ca) {
  fake_vendor fake(hello(), serving("wrong-host"));
  upstream_client_settings settings;
  settings.verify_peer = false;
  client_harness harness(settings);
  auto result = harness.call(local_request(fake.port(), "/", verb::get, true));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->body.view() == "secure");
}

BOOST_AUTO_TEST_CASE(tls_to_a_plain_http_server_is_tls_failed) {
  fake_vendor fake(hello());
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
