#pragma once
// Reading single samples out of a /metrics answer (Prometheus text format).

#include <optional>
#include <string_view>

namespace ordergate::testing {

/// The value of the sample `series` (the name with its labels as rendered, e.g.
/// `ordergate_upstream_calls_waiting{service="webasyst"}`), or nullopt when absent.
std::optional<double> metric_value(std::string_view exposition, std::string_view series);

}  // namespace ordergate::testing
