// The per-service cap on vendor connections, over real sockets: with a cap of 2 and a
// vendor that holds its answers, 5 concurrent requests put 2 calls on the wire and 3 in
// line; those 3 get 503 `unavailable` after the queue timeout, the metrics show the
// line and the refusals, and the gateway serves normally afterwards.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"
#include "support/metrics_text.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace ordergate::testing {
namespace {

constexpr std::string_view history_body = R"({"userIdentifier":"2"})";
const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";
constexpr std::string_view in_use = R"(ordergate_upstream_connections_in_use{service="webasyst"})";
constexpr std::string_view waiting = R"(ordergate_upstream_calls_waiting{service="webasyst"})";
constexpr std::string_view refused =
    R"(ordergate_upstream_calls_refused_total{service="webasyst"})";

struct cap_fixture : gateway_fixture {
  // The queue timeout is long enough for a loaded test machine to see the line form.
  cap_fixture()
      : gateway_fixture(this_build(), with_env({{"ORDERGATE_UPSTREAM_MAX_CONNECTIONS", "2"},
                                                {"ORDERGATE_UPSTREAM_QUEUE_TIMEOUT_MS", "4000"}})) {
  }

  /// Polls /metrics until `series` has `value`; false when it does not within 20 s.
  bool metric_reaches(std::string_view series, double value) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (const auto answer = get("/metrics")) {
        if (metric_value(answer->body, series) == value) return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(upstream_connection_cap, cap_fixture)

BOOST_AUTO_TEST_CASE(calls_over_the_cap_wait_then_get_503_and_the_metrics_show_the_line) {
  vendor_reply held = vendor_reply::json(200, history_ok);
  held.held = true;
  webasyst.set_script(always(held));

  std::vector<std::unique_ptr<client_connection>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<client_connection>(port()));
    BOOST_REQUIRE(clients.back()->send(
        post_json("/imshop/order-history", history_body, bearer(secret::imshop_key))));
  }
  BOOST_REQUIRE(webasyst.wait_for_requests(2));
  BOOST_TEST(metric_reaches(waiting, 3));
  BOOST_TEST(metric_reaches(in_use, 2));
  BOOST_TEST(webasyst.request_count() == 2u);  // the cap holds while the line waits

  // The three in line run out of time while the vendor still holds the first two.
  BOOST_REQUIRE(metric_reaches(refused, 3));
  BOOST_TEST(webasyst.request_count() == 2u);
  webasyst.release_held();

  unsigned ok = 0;
  unsigned unavailable = 0;
  for (auto& c : clients) {
    const auto answer = c->receive();
    BOOST_REQUIRE(answer);
    if (answer->status == 200u) ++ok;
    if (answer->status == 503u) {
      ++unavailable;
      BOOST_TEST(json_field(answer->body, "error") == "unavailable");
      BOOST_TEST(json_field(answer->body, "message").find("connections were in use") !=
                 std::string::npos);
    }
  }
  BOOST_TEST(ok == 2u);
  BOOST_TEST(unavailable == 3u);
  BOOST_TEST(webasyst.request_count() == 2u);  // a refused call is not retried
  BOOST_TEST(metric_reaches(waiting, 0));
  BOOST_TEST(metric_reaches(in_use, 0));
}

BOOST_AUTO_TEST_CASE(the_gateway_serves_normally_after_the_line_cleared) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  for (int i = 0; i < 5; ++i) {
    const auto answer = post("/imshop/order-history", history_body, bearer(secret::imshop_key));
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200u);
  }
  const auto health = get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200u);
  BOOST_TEST(metric_reaches(in_use, 0));
}

BOOST_AUTO_TEST_CASE(a_call_that_gets_a_connection_in_time_is_served) {
  // Cap 2, three calls: the third waits for the first answer, not for the timeout.
  vendor_reply held = vendor_reply::json(200, history_ok);
  held.held = true;
  webasyst.set_script(always(held));
  std::vector<std::unique_ptr<client_connection>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<client_connection>(port()));
    BOOST_REQUIRE(clients.back()->send(
        post_json("/imshop/order-history", history_body, bearer(secret::imshop_key))));
  }
  BOOST_REQUIRE(webasyst.wait_for_requests(2));
  BOOST_REQUIRE(metric_reaches(waiting, 1));
  webasyst.release_held();
  for (auto& c : clients) {
    const auto answer = c->receive();
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200u);
  }
  BOOST_TEST(webasyst.request_count() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
