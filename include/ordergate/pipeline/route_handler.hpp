#pragma once
// A compiled route made runnable: auth -> decode -> validate -> steps -> render.
// Built once per route at load; per request only an arena and a frame are made.

#include "ordergate/http/message.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/ops/route_series.hpp"
#include "ordergate/pipeline/upstream_caller.hpp"

#include <memory>
#include <string>

namespace ordergate::pipeline {

/// Limits on what a route decodes and produces.
struct route_limits {
  codec::decode_limits inbound;  ///< request bodies (size is also capped by the server)
  codec::decode_limits upstream{8u << 20, 64};  ///< vendor answers
  std::size_t max_output_bytes = 8u << 20;      ///< rendered bodies
};

/// Counters of one upstream call of a route or job (ordergate_upstream_calls_total).
struct step_counters {
  ops::counter* ok = nullptr;      ///< the call succeeded as the mapping sees it
  ops::counter* failed = nullptr;  ///< answered, but a failure (status, error key)
  ops::counter* error = nullptr;   ///< transport failure
  ops::counter* timeout = nullptr;

  /// The counters of calls to `service`.
  static step_counters of(ops::registry& registry, std::string_view service);
};

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
  asio::awaitable<http::response> answer(http::request& req, http::exchange& ex);

  std::shared_ptr<const mapping::compiled_route> route_;
  std::shared_ptr<upstream_caller> caller_;
  route_limits limits_;
  route_metrics metrics_;
  std::string label_;
};

/// The JSON error answer for `f`, with the request's version and keep-alive.
http::response error_response(const http::request& req, const core::failure& f);

}  // namespace ordergate::pipeline
