#include "support/fault_checks.hpp"

#include "support/json_text.hpp"
#include "support/metrics_text.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace ordergate::testing {

std::string upstream_calls(std::string_view service, std::string_view outcome) {
  return "ordergate_upstream_calls_total{service=\"" + std::string(service) + "\",outcome=\"" +
         std::string(outcome) + "\"}";
}

namespace {

bool poll_metric(const std::function<std::optional<http_answer>()>& ask, std::string_view series,
                 const std::function<bool(double)>& holds, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  do {
    if (const auto answer = ask()) {
      if (const auto value = metric_value(answer->body, series); value && holds(*value))
        return true;
    }
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

}  // namespace

bool metric_becomes(gateway_fixture& g, std::string_view series,
                    const std::function<bool(double)>& holds, std::chrono::milliseconds limit) {
  return poll_metric([&] { return g.get("/metrics"); }, series, holds, limit);
}

bool metric_becomes(client_connection& on, std::string_view series,
                    const std::function<bool(double)>& holds, std::chrono::milliseconds limit) {
  return poll_metric(
      [&]() -> std::optional<http_answer> {
        if (!on.send(make_request("GET", "/metrics"))) return std::nullopt;
        return on.receive();
      },
      series, holds, limit);
}

bool access_logged(const gateway_fixture& g, std::string_view path, unsigned status) {
  const std::string status_field = "\"status\":" + std::to_string(status) + ",";
  return g.gateway
      ->wait_for_line([&](std::string_view line) {
        return is_access_line(line) && json_field(line, "path") == path &&
               line.find(status_field) != std::string_view::npos;
      })
      .has_value();
}

void check_no_secret(std::string_view text, std::string_view where) {
  for (std::string_view s : secret::all)
    BOOST_TEST(text.find(s) == std::string_view::npos, where << " holds the secret " << s);
}

void check_still_serving(gateway_fixture& g) {
  const auto health = g.get("/healthz");
  BOOST_REQUIRE_MESSAGE(health, "no answer from /healthz after the fault");
  BOOST_TEST(health->status == 200u);
  const auto ready = g.get("/readyz");
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->status == 200u);
  const auto metrics = g.get("/metrics");
  BOOST_REQUIRE(metrics);
  check_no_secret(metrics->body, "/metrics");
  check_no_secret(g.gateway->output(), "the gateway's output");
}

void check_answer(const std::optional<http_answer>& answer, unsigned status,
                  std::string_view error) {
  BOOST_REQUIRE_MESSAGE(answer, "no answer");
  BOOST_TEST(answer->status == status, answer->body);
  if (!error.empty()) BOOST_TEST(json_field(answer->body, "error") == error, answer->body);
  check_no_secret(answer->body, "the answer");
}

}  // namespace ordergate::testing
