// The per-service cap on upstream connections: permits at once under the cap, a bounded
// wait in arrival order over it, a refusal when the wait runs out, and the gauges and
// counter that show it.
#include "http/upstream_limiter.hpp"
#include "ordergate/http/stats.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <list>

using namespace ordergate;
using namespace ordergate::http;
using namespace std::chrono_literals;

namespace {

/// A limiter driven by one io_context on the test's thread; every acquire is recorded.
struct limiter_harness {
  explicit limiter_harness(std::size_t cap, std::chrono::milliseconds queue_timeout)
      : limiter(std::make_shared<upstream_limiter>(cap, queue_timeout, &metrics)) {}

  /// One acquire for `service`; its outcome lands in the returned slot once it ends.
  struct call {
    bool done = false;
    std::optional<upstream_limiter::permit> permit;
  };
  call& acquire(std::string service) {
    auto& c = calls.emplace_back();
    asio::co_spawn(
        ioc,
        [this, &c, service]() -> asio::awaitable<void> {
          auto p = co_await limiter->acquire(service);
          if (p) c.permit.emplace(std::move(*p));
          c.done = true;
        },
        asio::detached);
    ioc.restart();  // poll() stops the context when it runs out of work
    ioc.poll();
    return c;
  }

  /// Runs handlers until `until` holds (true) or a generous bound passes (false).
  bool run_until(const std::function<bool()>& until) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!until()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ioc.run_for(5ms);
      ioc.restart();
    }
    return true;
  }

  double gauge(const ops::metric_def& def, std::string_view service) {
    return metrics.gauge_of(def, {service}).value();
  }

  ops::registry metrics;
  asio::io_context ioc;
  std::shared_ptr<upstream_limiter> limiter;
  std::list<call> calls;  // stable addresses
};

}  // namespace

BOOST_AUTO_TEST_SUITE(upstream_limiter_cap)

BOOST_AUTO_TEST_CASE(calls_under_the_cap_get_a_permit_at_once) {
  limiter_harness h(2, 10s);
  auto& a = h.acquire("webasyst");
  auto& b = h.acquire("webasyst");
  BOOST_TEST((a.done && a.permit));
  BOOST_TEST((b.done && b.permit));
  BOOST_TEST(h.limiter->in_use("webasyst") == 2u);
  BOOST_TEST(h.gauge(stats::upstream_in_use, "webasyst") == 2.0);
  a.permit.reset();
  BOOST_TEST(h.limiter->in_use("webasyst") == 1u);
  BOOST_TEST(h.gauge(stats::upstream_in_use, "webasyst") == 1.0);
}

BOOST_AUTO_TEST_CASE(a_call_over_the_cap_waits_and_gets_the_next_free_permit) {
  limiter_harness h(2, 10s);
  auto& a = h.acquire("webasyst");
  h.acquire("webasyst");
  auto& c = h.acquire("webasyst");
  BOOST_TEST(!c.done);
  BOOST_TEST(h.limiter->waiting("webasyst") == 1u);
  BOOST_TEST(h.gauge(stats::upstream_waiting, "webasyst") == 1.0);
  a.permit.reset();
  BOOST_REQUIRE(h.run_until([&] { return c.done; }));
  BOOST_TEST(c.permit.has_value());
  BOOST_TEST(h.limiter->in_use("webasyst") == 2u);  // handed over, never above the cap
  BOOST_TEST(h.limiter->waiting("webasyst") == 0u);
  BOOST_TEST(h.gauge(stats::upstream_waiting, "webasyst") == 0.0);
}

BOOST_AUTO_TEST_CASE(waiting_calls_are_served_in_arrival_order) {
  limiter_harness h(1, 10s);
  auto& a = h.acquire("webasyst");
  auto& first = h.acquire("webasyst");
  auto& second = h.acquire("webasyst");
  a.permit.reset();
  BOOST_REQUIRE(h.run_until([&] { return first.done; }));
  BOOST_TEST(first.permit.has_value());
  BOOST_TEST(!second.done);
  first.permit.reset();
  BOOST_REQUIRE(h.run_until([&] { return second.done; }));
  BOOST_TEST(second.permit.has_value());
}

BOOST_AUTO_TEST_CASE(a_call_that_waits_past_the_queue_timeout_is_refused_and_counted) {
  limiter_harness h(1, 50ms);
  auto& a = h.acquire("giftcard");
  auto& b = h.acquire("giftcard");
  BOOST_REQUIRE(h.run_until([&] { return b.done; }));
  BOOST_TEST(!b.permit.has_value());
  BOOST_TEST(h.limiter->waiting("giftcard") == 0u);
  BOOST_TEST(h.limiter->in_use("giftcard") == 1u);
  BOOST_TEST(h.metrics.counter_of(stats::upstream_refused, {"giftcard"}).value() == 1u);
  a.permit.reset();
  BOOST_TEST(h.limiter->in_use("giftcard") == 0u);
  // The refused call left nothing behind: the next one gets its permit at once.
  BOOST_TEST(h.acquire("giftcard").permit.has_value());
}

BOOST_AUTO_TEST_CASE(a_zero_queue_timeout_refuses_at_once_over_the_cap) {
  limiter_harness h(1, 0ms);
  h.acquire("market");
  auto& b = h.acquire("market");
  BOOST_REQUIRE(h.run_until([&] { return b.done; }));
  BOOST_TEST(!b.permit.has_value());
  BOOST_TEST(h.limiter->waiting("market") == 0u);
}

BOOST_AUTO_TEST_CASE(each_service_has_its_own_cap) {
  limiter_harness h(1, 10s);
  h.acquire("webasyst");
  auto& other = h.acquire("imshop");
  BOOST_TEST((other.done && other.permit));
  BOOST_TEST(h.limiter->in_use("webasyst") == 1u);
  BOOST_TEST(h.limiter->in_use("imshop") == 1u);
}

BOOST_AUTO_TEST_CASE(the_metrics_are_rendered_per_service) {
  limiter_harness h(1, 10s);
  h.acquire("webasyst");
  h.acquire("webasyst");
  const auto text = h.metrics.render();
  BOOST_TEST(text.find(R"(ordergate_upstream_connections_in_use{service="webasyst"} 1)") !=
             std::string::npos);
  BOOST_TEST(text.find(R"(ordergate_upstream_calls_waiting{service="webasyst"} 1)") !=
             std::string::npos);
  h.calls.front().permit.reset();
  BOOST_REQUIRE(h.run_until([&] { return h.calls.back().done; }));
}

BOOST_AUTO_TEST_SUITE_END()
