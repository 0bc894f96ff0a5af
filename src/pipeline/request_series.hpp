#pragma once
// The metric series of one route's requests, registered at load and reached from
// the exchange (http::exchange::observer_data) without any lookup per request.

#include "ordergate/ops/metrics.hpp"

#include <array>
#include <string>

namespace ordergate::pipeline {

struct request_series {
  /// Statuses with a pre-registered counter; others are looked up (rare).
  static constexpr std::array<unsigned, 13> statuses = {200, 400, 401, 404, 405, 413, 415,
                                                        422, 500, 502, 503, 504, 0};
  std::string route;
  std::array<ops::counter*, statuses.size()> by_status{};
  ops::histogram* latency = nullptr;

  /// Registers the series of `route` in `registry`.
  static request_series make(ops::registry& registry, std::string route);
  /// The counter for `status`.
  ops::counter& counter_for(ops::registry& registry, unsigned status) const;
};

}  // namespace ordergate::pipeline
