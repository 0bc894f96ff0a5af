#pragma once
// The gateway as the server sees it: every mapped route plus the operational
// endpoints (/healthz, /readyz, /metrics), and the observer that writes the access
// log and request metrics.

#include "ordergate/http/exchange_log.hpp"
#include "ordergate/http/server.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/access_log.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/pipeline/route_handler.hpp"

#include <atomic>
#include <memory>

namespace ordergate::pipeline {

/// What /readyz reports; shared by the process and every handler generation.
struct gateway_health {
  std::atomic<bool> loaded{false};
  std::atomic<bool> draining{false};
};

/// Builds the handler serving `mappings` (one handler per load or reload).
/// Throws (at load time) when two routes claim the same method and path.
std::shared_ptr<http::handler> build_gateway(const mapping::mapping_set& mappings,
                                             std::shared_ptr<upstream_caller> caller,
                                             ops::registry& registry,
                                             std::shared_ptr<const gateway_health> health,
                                             const route_limits& limits = {});

/// Access log lines and request metrics for every exchange the server finishes.
class gateway_observer final : public http::server_observer {
 public:
  /// `log` may be null (no access log).
  gateway_observer(ops::registry& registry, std::shared_ptr<ops::access_log> log);

  void connection_opened() override;
  void connection_closed() override;
  void exchange_done(const http::request& req, const http::response& res, const http::exchange& ex,
                     std::chrono::microseconds duration, std::size_t bytes_in,
                     std::size_t bytes_out) override;

 private:
  ops::registry& registry_;
  std::shared_ptr<ops::access_log> log_;
  ops::gauge& open_connections_;
  ops::counter& connections_total_;
};

}  // namespace ordergate::pipeline
