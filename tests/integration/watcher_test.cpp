// Flow 6 inside `ordergate serve`: the status watcher runs every
// $WEBASYST_SYNC_INTERVAL seconds against the sandbox shop, finds an order that flow 2
// cancelled, tells Imshop once, and shows its runs in /metrics.

#include "ordergate/sandbox/sandbox.hpp"
#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

namespace ordergate::testing {
namespace {

using namespace std::chrono_literals;

gateway_options watching_sandbox() {
  sandbox::settings s;
  s.data_dir = this_build().test_data;
  s.webasyst_token = secret::webasyst_token;
  s.imshop_key = secret::imshop_key;
  s.giftcard_token = secret::giftcard_token;
  s.market_token = secret::market_token;
  gateway_options o = with_env({{"WEBASYST_SYNC_INTERVAL", "1"}});
  o.vendor_fallback = sandbox::make_vendors(s);
  return o;
}

struct watcher_fixture : gateway_fixture {
  watcher_fixture() : gateway_fixture(this_build(), watching_sandbox()) {}

  /// The next job_run line of the watcher after `mark` lines of output.
  std::string next_run(std::size_t mark) {
    const auto line = gateway->wait_for_line(
        [](std::string_view l) {
          return l.find(R"("event":"job_run")") != std::string_view::npos &&
                 l.find(R"("job":"webasyst-imshop")") != std::string_view::npos;
        },
        30s, mark);
    BOOST_REQUIRE_MESSAGE(line, "no watcher run:\n" << gateway->output());
    return *line;
  }

  /// The value of the metric line starting with `series` (e.g. a name with labels), or -1.
  double metric(std::string_view series) {
    const auto answer = get("/metrics");
    BOOST_REQUIRE(answer);
    const std::string& text = answer->body;
    const auto at = text.find("\n" + std::string(series) + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(status_watcher_in_serve, watcher_fixture)

BOOST_AUTO_TEST_CASE(a_cancelled_order_reaches_imshop_once_and_runs_show_in_metrics) {
  // The first run records where the shop stands and sends nothing.
  const std::string first = next_run(0);
  BOOST_TEST(json_field(first, "outcome") == "ok", first);
  BOOST_TEST(first.find(R"("first_run":true)") != std::string::npos, first);
  BOOST_TEST(first.find(R"("sent":0)") != std::string::npos, first);

  const auto cancelled = post("/imshop/order-cancel", R"({"uuid":"u-5","internalId":"5"})",
                              bearer(secret::imshop_key));
  BOOST_REQUIRE(cancelled);
  BOOST_TEST(cancelled->body.find(R"("success":true)") != std::string::npos, cancelled->body);

  // A later run finds the cancellation and posts it; the runs after it post nothing.
  std::size_t mark = gateway->stdout_lines().size();
  std::string run = next_run(mark);
  while (run.find(R"("sent":1)") == std::string::npos) {
    BOOST_REQUIRE_MESSAGE(run.find(R"("sent":0)") != std::string::npos, run);
    mark = gateway->stdout_lines().size();
    run = next_run(mark);
  }
  BOOST_TEST(run.find(R"("sent_keys":["5"])") != std::string::npos, run);
  next_run(gateway->stdout_lines().size());

  const auto received = imshop.requests();
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(received[0].path() == "/imshop/status");
  BOOST_TEST(received[0].header("Authorization") == "Bearer " + std::string(secret::imshop_key));
  BOOST_TEST(json_field(received[0].body, "id") == "5");
  BOOST_TEST(json_field(received[0].body, "code") == "deleted");

  BOOST_TEST(metric(R"(ordergate_job_runs_total{job="webasyst-imshop",outcome="ok"})") >= 3);
  BOOST_TEST(metric(R"(ordergate_job_items_sent_total{job="webasyst-imshop"})") == 1);
  BOOST_TEST(metric(R"(ordergate_job_last_success_timestamp_seconds{job="webasyst-imshop"})") > 0);
  BOOST_TEST(metric(R"(ordergate_upstream_calls_total{service="imshop",outcome="ok"})") == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
