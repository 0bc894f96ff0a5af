#pragma once
// The metric series of one route's answers, registered at load and reached from each
// exchange (http::exchange::route) without any lookup per request.

#include "ordergate/ops/metrics.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <string>

namespace ordergate::ops {

class route_series {
 public:
  /// The series of `label` ("POST /imshop/order-history") in `r`.
  static std::shared_ptr<const route_series> make(registry& r, std::string label);
  /// A route that is named in logs but counted nowhere (the sandbox's vendors).
  static std::shared_ptr<const route_series> unmeasured(std::string label);

  const std::string& label() const noexcept { return label_; }
  /// Counts one answer with `status` that took `duration`.
  void count(unsigned status, std::chrono::microseconds duration) const;

 private:
  /// Statuses with a pre-registered counter; others are registered when first seen.
  static constexpr std::array<unsigned, 12> statuses = {200, 400, 401, 404, 405, 413,
                                                        415, 422, 500, 502, 503, 504};
  std::string label_;
  registry* registry_ = nullptr;
  std::array<counter*, statuses.size()> by_status_{};
  histogram* latency_ = nullptr;
};

}  // namespace ordergate::ops
