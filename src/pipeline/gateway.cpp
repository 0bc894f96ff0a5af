#include "ordergate/pipeline/gateway.hpp"

#include "ordergate/http/router.hpp"
#include "ordergate/ops/stats.hpp"
#include "ordergate/pipeline/stats.hpp"
#include "pipeline/render.hpp"

#include <stdexcept>

namespace ordergate::pipeline {
namespace {

/// Serves /healthz, /readyz or /metrics.
class ops_endpoint final : public http::handler {
 public:
  enum class kind { health, ready, metrics };
  ops_endpoint(kind endpoint, ops::registry& registry, std::shared_ptr<const gateway_health> health,
               std::shared_ptr<const ops::route_series> series)
      : kind_(endpoint),
        registry_(registry),
        health_(std::move(health)),
        series_(std::move(series)) {}

  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    ex.route = series_;
    switch (kind_) {
      case kind::health:
        co_return make_response(req, 200, R"({"status":"ok"})", "application/json");
      case kind::ready:
        if (health_->loaded.load() && !health_->draining.load()) {
          co_return make_response(req, 200, R"({"status":"ready"})", "application/json");
        }
        co_return error_response(req,
                                 {core::errc::unavailable,
                                  health_->draining.load() ? "draining" : "mappings not loaded",
                                  {}});
      case kind::metrics:
        co_return make_response(req, 200, registry_.render(),
                                "text/plain; version=0.0.4; charset=utf-8");
    }
    co_return error_response(req, {core::errc::internal_error, "unknown endpoint", {}});
  }

 private:
  kind kind_;
  ops::registry& registry_;
  std::shared_ptr<const gateway_health> health_;
  std::shared_ptr<const ops::route_series> series_;
};

/// The router of every route and endpoint; what matches none is counted as "unmatched".
class gateway final : public http::handler {
 public:
  http::router routes;
  std::shared_ptr<const ops::route_series> unmatched;

  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    ex.route = unmatched;  // until a route takes the exchange
    co_return co_await routes.handle(req, ex);
  }
};

}  // namespace

std::shared_ptr<http::handler> build_gateway(const mapping::mapping_set& mappings,
                                             std::shared_ptr<upstream_caller> caller,
                                             ops::registry& registry,
                                             std::shared_ptr<const gateway_health> health,
                                             const route_limits& limits) {
  auto g = std::make_shared<gateway>();
  g->unmatched = ops::route_series::make(registry, "unmatched");
  for (const auto& route : mappings.routes) {
    auto handler = std::make_shared<route_handler>(route, caller, limits,
                                                   register_route_metrics(registry, *route));
    if (!g->routes.add(route->method, route->path, handler)) {
      throw std::runtime_error(route->label() + " is mapped twice");
    }
  }
  using kind = ops_endpoint::kind;
  for (const auto& [k, path] :
       {std::pair{kind::health, "/healthz"}, std::pair{kind::ready, "/readyz"},
        std::pair{kind::metrics, "/metrics"}}) {
    g->routes.add(
        "GET", path,
        std::make_shared<ops_endpoint>(
            k, registry, health, ops::route_series::make(registry, std::string("GET ") + path)));
  }
  return g;
}

gateway_observer::gateway_observer(ops::registry& registry, std::shared_ptr<ops::access_log> log)
    : registry_(registry),
      log_(std::move(log)),
      open_connections_(registry.gauge_of(stats::open_connections)),
      connections_total_(registry.counter_of(stats::connections)) {}

void gateway_observer::connection_opened() {
  open_connections_.add(1);
  connections_total_.inc();
}

void gateway_observer::connection_closed() {
  open_connections_.add(-1);
}

void gateway_observer::exchange_done(const http::request& req, const http::response& res,
                                     const http::exchange& ex, std::chrono::microseconds duration,
                                     std::size_t bytes_in, std::size_t bytes_out) {
  if (ex.route) {
    ex.route->count(res.result_int(), duration);
  } else {
    // Answered by the HTTP layer before any route was chosen (malformed request, 413).
    registry_.counter_of(ops::stats::requests, {"-", std::to_string(res.result_int())}).inc();
  }
  if (log_) http::log_exchange(*log_, req, res, ex, duration, bytes_in, bytes_out);
}

}  // namespace ordergate::pipeline
