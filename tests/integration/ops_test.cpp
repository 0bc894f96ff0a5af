// The operations surface of the real gateway: /healthz, /readyz, /metrics, and the
// JSON access log on stdout (one line per request, with its request id, no secrets).

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <initializer_list>
#include <thread>

namespace ordergate::testing {
namespace {

struct ops_fixture : gateway_fixture {
  ops_fixture() : gateway_fixture(this_build()) {}

  /// Waits for the access-log line of request `id`.
  std::optional<std::string> access_line(const std::string& id) const {
    return gateway->wait_for_line([&](std::string_view line) {
      return is_access_line(line) && json_field(line, "request_id") == id;
    });
  }

  /// /metrics once it shows every one of `expected` (the counters of a request are
  /// updated just after its answer is written, so a client can outrun them); the last
  /// body read when that does not happen within the time limit.
  std::string metrics_showing(std::initializer_list<std::string_view> expected) {
    std::string body;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    do {
      const auto answer = get("/metrics");
      if (!answer) continue;
      body = answer->body;
      if (std::all_of(expected.begin(), expected.end(),
                      [&](std::string_view e) { return body.find(e) != std::string::npos; })) {
        break;
      }
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return body;
  }

  std::size_t access_lines() const {
    const auto lines = gateway->stdout_lines();
    return static_cast<std::size_t>(std::count_if(
        lines.begin(), lines.end(), [](const std::string& l) { return is_access_line(l); }));
  }
};

const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ops, ops_fixture)

BOOST_AUTO_TEST_CASE(healthz_is_ok) {
  const auto answer = get("/healthz");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"status":"ok"})"));
}

BOOST_AUTO_TEST_CASE(readyz_is_ready_once_mappings_are_loaded) {
  const auto answer = get("/readyz");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(json_field(answer->body, "status") == "ready");
}

BOOST_AUTO_TEST_CASE(metrics_are_prometheus_text) {
  const auto answer = get("/metrics");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(answer->header("Content-Type").find("text/plain") == 0u);
  BOOST_TEST(answer->header("Content-Type").find("version=0.0.4") != std::string::npos);
  BOOST_TEST(contains(answer->body, "# TYPE ordergate_requests_total counter"));
  BOOST_TEST(contains(answer->body, "ordergate_open_connections"));
}

BOOST_AUTO_TEST_CASE(metrics_show_a_serving_process_ready_with_its_version) {
  const auto answer = get("/metrics");
  BOOST_REQUIRE(answer);
  BOOST_TEST(contains(answer->body, "\nordergate_ready 1\n"), answer->body);
  BOOST_TEST(contains(answer->body, "\nordergate_build_info{version=\""), answer->body);
  BOOST_TEST(contains(answer->body, "\nordergate_mapping_last_reload_successful 1\n"));
  BOOST_TEST(contains(answer->body, "\nordergate_mapping_reloads_total{outcome=\"failed\"} 0\n"));
}

BOOST_AUTO_TEST_CASE(metrics_count_requests_by_route_and_status_and_upstream_calls) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  BOOST_REQUIRE(
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key)));
  BOOST_REQUIRE(post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer("wrong")));
  BOOST_REQUIRE(get("/nowhere"));
  const std::string_view expected[] = {
      R"(ordergate_requests_total{route="POST /imshop/order-history",status="200"} 1)",
      R"(ordergate_requests_total{route="POST /imshop/order-history",status="401"} 1)",
      R"(ordergate_requests_total{route="unmatched",status="404"} 1)",
      R"(ordergate_upstream_calls_total{service="webasyst",outcome="ok"} 1)",
      R"(ordergate_request_duration_seconds_count{route="POST /imshop/order-history"} 2)",
  };
  const std::string m =
      metrics_showing({expected[0], expected[1], expected[2], expected[3], expected[4]});
  for (std::string_view e : expected)
    BOOST_TEST(contains(m, e), e);
  BOOST_TEST(contains(
      m, R"(ordergate_request_duration_seconds_bucket{route="POST /imshop/order-history")"));
  for (std::string_view s : secret::all)
    BOOST_TEST(!contains(m, s));
}

BOOST_AUTO_TEST_CASE(metrics_count_upstream_failures_by_outcome) {
  webasyst.set_script(always(vendor_reply::json(401, R"({"error":"invalid_token"})")));
  BOOST_REQUIRE(
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key)));
  constexpr std::string_view failed =
      R"(ordergate_requests_total{route="POST /imshop/order-history",status="502"} 1)";
  const std::string m = metrics_showing({failed});
  BOOST_TEST(contains(m, failed), m);
  BOOST_TEST(!contains(m, R"(ordergate_upstream_calls_total{service="webasyst",outcome="ok"} 1)"),
             m);
}

BOOST_AUTO_TEST_CASE(each_request_gets_one_access_line_with_its_request_id) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  auto headers = bearer(secret::imshop_key);
  headers.emplace_back("X-Request-Id", "ops-given-id-1");
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"2"})", headers);
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->header("X-Request-Id") == "ops-given-id-1");
  const auto line = access_line("ops-given-id-1");
  BOOST_REQUIRE_MESSAGE(line, gateway->output());
  BOOST_TEST(json_field(*line, "method") == "POST");
  BOOST_TEST(json_field(*line, "path") == "/imshop/order-history");
  BOOST_TEST(json_field(*line, "route") == "POST /imshop/order-history");
  BOOST_TEST(!json_field(*line, "time").empty());
  const auto doc = parse_json(*line);
  BOOST_REQUIRE(!doc.HasParseError());
  BOOST_TEST(doc["status"].GetUint() == 200u);
  BOOST_TEST(doc.HasMember("duration_ms"), *line);
  BOOST_TEST(doc.HasMember("upstream_ms"), *line);
  BOOST_TEST(webasyst.requests().at(0).header("X-Request-Id") == "ops-given-id-1");
}

BOOST_AUTO_TEST_CASE(a_request_without_an_id_gets_one_that_is_answered_logged_and_forwarded) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  const std::string id = answer->header("X-Request-Id");
  BOOST_REQUIRE(!id.empty());
  BOOST_TEST(access_line(id).has_value(), gateway->output());
  BOOST_REQUIRE_EQUAL(webasyst.request_count(), 1u);
  BOOST_TEST(webasyst.requests()[0].header("X-Request-Id") == id);
}

BOOST_AUTO_TEST_CASE(an_unusable_request_id_is_replaced) {
  const auto answer = get("/healthz", {{"X-Request-Id", "has \"quotes\" and spaces"}});
  BOOST_REQUIRE(answer);
  const std::string id = answer->header("X-Request-Id");
  BOOST_TEST(!id.empty());
  BOOST_TEST(id.find(' ') == std::string::npos);
  BOOST_TEST(access_line(id).has_value());
}

BOOST_AUTO_TEST_CASE(n_requests_make_n_access_lines) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const std::size_t before = access_lines();
  client_connection client(port());
  const std::vector<std::string> ids{"n-1", "n-2", "n-3", "n-4"};
  for (const auto& id : ids) {
    BOOST_REQUIRE(client.send(make_request("GET", "/healthz", {}, {{"X-Request-Id", id}})));
    BOOST_REQUIRE(client.receive());
  }
  BOOST_REQUIRE(post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer("wrong")));
  for (const auto& id : ids)
    BOOST_TEST(access_line(id).has_value(), id);
  // The refused request's line comes last; wait for it before counting.
  BOOST_REQUIRE(gateway->wait_for_line([](std::string_view l) {
    return is_access_line(l) && json_field(l, "path") == "/imshop/order-history";
  }));
  BOOST_TEST(access_lines() - before == ids.size() + 1);
}

BOOST_AUTO_TEST_CASE(no_secret_reaches_the_logs) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  imshop.set_script(always(vendor_reply::json(200, R"({"success":true})")));
  market.set_script(always(vendor_reply::json(200, R"({"error":0})")));
  BOOST_REQUIRE(
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key)));
  BOOST_REQUIRE(post("/imshop/order-history",
                     R"({"userIdentifier":"2","key":")" + std::string(secret::imshop_key) + "\"}"));
  BOOST_REQUIRE(post("/imshop/order-cancel", R"({"internalId":"1"})", bearer(secret::imshop_key)));
  BOOST_REQUIRE(
      post("/giftcard/market-import", R"({"data":[]})", bearer(secret::shop_webhook_key)));
  BOOST_REQUIRE(post("/giftcard/market-import?token=" + std::string(secret::market_token),
                     R"({"data":[]})", bearer("wrong")));
  BOOST_REQUIRE(gateway->wait_for_line([](std::string_view l) {
    return is_access_line(l) && json_field(l, "path") == "/giftcard/market-import" &&
           contains(std::string(l), "\"status\":401");
  }));
  const std::string output = gateway->output();
  for (std::string_view s : secret::all)
    BOOST_TEST(!contains(output, s), s);
  for (const auto& line : gateway->stdout_lines())
    BOOST_TEST(!parse_json(line).HasParseError(), line);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
