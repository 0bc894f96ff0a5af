#include "ordergate/pipeline/gateway.hpp"

#include "exchange_state.hpp"
#include "ordergate/http/router.hpp"
#include "request_series.hpp"

#include <stdexcept>

namespace ordergate::pipeline {
namespace {

constexpr const char* requests_name = "ordergate_requests_total";
constexpr const char* requests_help = "Requests answered, by route and status";

/// Serves /healthz, /readyz or /metrics.
class ops_endpoint final : public http::handler {
 public:
  enum class kind { health, ready, metrics };
  ops_endpoint(kind k, std::string label, ops::registry& registry,
               std::shared_ptr<const gateway_health> health, request_series series)
      : kind_(k),
        label_(std::move(label)),
        registry_(registry),
        health_(std::move(health)),
        series_(std::move(series)) {}

  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    ex.route = label_;
    ex.observer_data = &series_;
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
  std::string label_;
  ops::registry& registry_;
  std::shared_ptr<const gateway_health> health_;
  request_series series_;
};

/// A route handler that also hands its metric series to the observer.
class measured_route final : public http::handler {
 public:
  measured_route(std::shared_ptr<route_handler> inner, request_series series)
      : inner_(std::move(inner)), series_(std::move(series)) {}
  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    http::response res = co_await inner_->handle(req, ex);
    ex.observer_data = &series_;
    co_return res;
  }

 private:
  std::shared_ptr<route_handler> inner_;
  request_series series_;
};

/// Keeps the router and everything its handlers point into alive as one unit.
class gateway final : public http::handler, public std::enable_shared_from_this<gateway> {
 public:
  http::router routes;
  request_series unmatched;

  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    ex.pin = shared_from_this();
    ex.observer_data = &unmatched;
    co_return co_await routes.handle(req, ex);
  }
};

}  // namespace

request_series request_series::make(ops::registry& registry, std::string route) {
  request_series s;
  s.route = std::move(route);
  for (std::size_t i = 0; i + 1 < statuses.size(); ++i) {
    s.by_status[i] =
        &registry.get_counter(requests_name, requests_help,
                              {{"route", s.route}, {"status", std::to_string(statuses[i])}});
  }
  s.latency = &registry.get_histogram(
      "ordergate_request_duration_seconds",
      "Time from the first byte of a request to its answer, by route", {{"route", s.route}});
  return s;
}

ops::counter& request_series::counter_for(ops::registry& registry, unsigned status) const {
  for (std::size_t i = 0; i + 1 < statuses.size(); ++i) {
    if (statuses[i] == status) return *by_status[i];
  }
  return registry.get_counter(requests_name, requests_help,
                              {{"route", route}, {"status", std::to_string(status)}});
}

std::shared_ptr<http::handler> build_gateway(const mapping::mapping_set& mappings,
                                             std::shared_ptr<upstream_caller> caller,
                                             ops::registry& registry,
                                             std::shared_ptr<const gateway_health> health,
                                             const route_limits& limits) {
  auto g = std::make_shared<gateway>();
  g->unmatched = request_series::make(registry, "unmatched");
  for (const auto& route : mappings.routes) {
    auto handler = std::make_shared<route_handler>(route, caller, limits,
                                                   register_route_metrics(registry, *route));
    auto measured =
        std::make_shared<measured_route>(handler, request_series::make(registry, handler->label()));
    if (!g->routes.add(route->method, route->path, measured)) {
      throw std::runtime_error(route->label() + " is mapped twice");
    }
  }
  using kind = ops_endpoint::kind;
  for (const auto& [k, path] :
       {std::pair{kind::health, "/healthz"}, std::pair{kind::ready, "/readyz"},
        std::pair{kind::metrics, "/metrics"}}) {
    const std::string label = std::string("GET ") + path;
    g->routes.add("GET", path,
                  std::make_shared<ops_endpoint>(k, label, registry, health,
                                                 request_series::make(registry, label)));
  }
  return g;
}

gateway_observer::gateway_observer(ops::registry& registry, std::shared_ptr<ops::access_log> log)
    : registry_(registry),
      log_(std::move(log)),
      open_connections_(
          registry.get_gauge("ordergate_open_connections", "Inbound connections open now")),
      connections_total_(
          registry.get_counter("ordergate_connections_total", "Inbound connections accepted")) {}

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
  if (const auto* series = static_cast<const request_series*>(ex.observer_data)) {
    series->counter_for(registry_, res.result_int()).inc();
    series->latency->observe(static_cast<double>(duration.count()) / 1e6);
  } else {
    registry_
        .get_counter(requests_name, requests_help,
                     {{"route", "-"}, {"status", std::to_string(res.result_int())}})
        .inc();
  }
  if (log_) log_exchange(*log_, req, res, ex, duration, bytes_in, bytes_out);
}

void log_exchange(ops::access_log& log, const http::request& req, const http::response& res,
                  const http::exchange& ex, std::chrono::microseconds duration,
                  std::size_t bytes_in, std::size_t bytes_out) {
  const std::string_view target = req.target();
  const std::string remote =
      ex.remote.address().to_string() + ":" + std::to_string(ex.remote.port());
  ops::access_entry e;
  e.time = std::chrono::system_clock::now() - duration;
  e.request_id = ex.request_id;
  e.method = req.method_string();
  e.path = target.substr(0, target.find('?'));
  e.route = ex.route;
  e.status = res.result_int();
  e.duration = duration;
  e.upstream = ex.upstream_time;
  e.bytes_in = bytes_in;
  e.bytes_out = bytes_out;
  e.remote = remote;
  log.write(e);
}

}  // namespace ordergate::pipeline
