// HTTPS to a vendor: the real gateway trusts a local fake vendor's certificate through
// ORDERGATE_CA_FILE (the test CA of tests/data/tls), and refuses one it cannot verify.
// The refusals are rows of the fault matrix (docs/reliability.md): they also check the
// vendor-call metric, the access log, that no secret leaked, and that the gateway still
// serves afterwards.

#include "support/fault_checks.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

gateway_options https_vendors(const char* certificate, bool trust_test_ca) {
  const auto paths = this_build();
  gateway_options o;
  o.vendor_certificate = paths.tls((std::string(certificate) + ".pem").c_str());
  o.vendor_private_key = paths.tls((std::string(certificate) + ".key").c_str());
  if (trust_test_ca) o.env["ORDERGATE_CA_FILE"] = paths.tls("ca.pem").string();
  return o;
}

struct trusted_fixture : gateway_fixture {
  trusted_fixture() : gateway_fixture(this_build(), https_vendors("server", true)) {}
};
struct untrusted_fixture : gateway_fixture {
  untrusted_fixture() : gateway_fixture(this_build(), https_vendors("server", false)) {}
};
struct wrong_host_fixture : gateway_fixture {
  wrong_host_fixture() : gateway_fixture(this_build(), https_vendors("wrong-host", true)) {}
};

const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";

/// A vendor whose certificate the gateway refused: the client got a 502, nothing reached
/// the vendor, the call is counted as an error and logged, and the gateway still serves.
void check_refused_certificate(gateway_fixture& g, std::string_view path, std::string_view body) {
  const auto answer = g.post(path, body, bearer(secret::imshop_key));
  check_answer(answer, 502, "upstream_error");
  BOOST_TEST(g.webasyst.request_count() == 0u);
  BOOST_TEST(
      metric_becomes(g, upstream_calls("webasyst", "error"), [](double v) { return v >= 1; }));
  BOOST_TEST(access_logged(g, path, 502));
  check_still_serving(g);
  // A second request meets the same refusal: no half-made connection was kept.
  check_answer(g.post(path, body, bearer(secret::imshop_key)), 502, "upstream_error");
  BOOST_TEST(g.webasyst.request_count() == 0u);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(trusted_vendor, trusted_fixture)

BOOST_AUTO_TEST_CASE(a_get_over_https_reaches_the_vendor) {
  BOOST_TEST(webasyst.url().rfind("https://", 0) == 0u);
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].path() == "/shop/api.php/shop.order.search");
  BOOST_TEST(calls[0].header("Authorization") == "Bearer " + std::string(secret::webasyst_token));
}

BOOST_AUTO_TEST_CASE(a_post_over_https_reaches_the_vendor_and_the_connection_is_reused) {
  webasyst.set_script(order_in_state("paid", always(vendor_reply::json(200, R"({"id":"12"})"))));
  // One keep-alive client connection: its requests run on one gateway thread, whose
  // pooled upstream connections they share (each thread keeps its own).
  client_connection client(port());
  for (int i = 0; i < 2; ++i) {
    BOOST_REQUIRE(client.send(post_json("/imshop/order-cancel", R"({"uuid":"u","internalId":"12"})",
                                        bearer(secret::imshop_key))));
    const auto answer = client.receive();
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200u);
  }
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 4u);  // getInfo and the delete action, twice
  BOOST_TEST(to_text(decode_form(calls[3].body)) == "id=12\naction=delete\n");
  BOOST_TEST(webasyst.connections() == 1u);  // the pooled TLS connection was kept
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(untrusted_vendor, untrusted_fixture)

BOOST_AUTO_TEST_CASE(a_certificate_from_an_unknown_ca_is_a_502_and_nothing_is_sent) {
  check_refused_certificate(*this, "/imshop/order-cancel", R"({"uuid":"u","internalId":"12"})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(wrong_host_vendor, wrong_host_fixture)

BOOST_AUTO_TEST_CASE(a_certificate_for_another_host_is_a_502_and_nothing_is_sent) {
  check_refused_certificate(*this, "/imshop/order-history", R"({"userIdentifier":"2"})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
