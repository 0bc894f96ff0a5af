#pragma once
// A compiled route made runnable: auth -> decode -> validate -> steps -> render.
// Built once per route at load; per request only an arena and a frame are made.

#include "ordergate/http/message.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/ops/route_series.hpp"
#include "ordergate/pipeline/route_limits.hpp"
#include "ordergate/pipeline/step_executor.hpp"
#include "ordergate/pipeline/upstream_caller.hpp"

#include <memory>
#include <string>

namespace ordergate::pipeline {

struct exchange_state;

/// Series of one route, registered at load so the request path does no lookups.
struct route_metrics {
  std::shared_ptr<const ops::route_series> answers;  ///< by status, and latency
  std::vector<step_counters> steps;
  ops::counter* mapping_errors = nullptr;  ///< 400/422 produced by the mapping
};

/// Registers the series of `route` in `registry`.
route_metrics register_route_metrics(ops::registry& registry, const mapping::compiled_route& route);

class route_handler final : public http::handler,
                            public std::enable_shared_from_this<route_handler> {
 public:
  route_handler(std::shared_ptr<const mapping::compiled_route> route,
                std::shared_ptr<upstream_caller> caller, route_limits limits = {},
                route_metrics metrics = {});

  /// The route's answer; no value of a secret config entry appears in its body (a
  /// vendor's error text may echo the request, token and all).
  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override;

  const mapping::compiled_route& route() const noexcept { return *route_; }
  /// "POST /imshop/order-history"
  const std::string& label() const noexcept { return label_; }

 private:
  /// The answer before secrets are redacted from it.
  asio::awaitable<http::response> answer(http::request& req, http::exchange& ex);
  /// Runs the steps in order and renders the answer (or the failure that ended them).
  asio::awaitable<http::response> run_steps(exchange_state& state);
  void count_mapping_error() const;

  std::shared_ptr<const mapping::compiled_route> route_;
  std::shared_ptr<upstream_caller> caller_;
  route_limits limits_;
  route_metrics metrics_;
  std::string label_;
};

}  // namespace ordergate::pipeline
