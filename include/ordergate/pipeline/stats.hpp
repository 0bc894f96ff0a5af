#pragma once
// Every metric the pipeline registers, declared once (docs/operations.md lists them;
// tests/unit/jobs/stats_test.cpp checks the list against these tables). Jobs count
// their calls in upstream_calls too.

#include "ordergate/ops/metrics.hpp"

#include <array>

namespace ordergate::pipeline::stats {

inline constexpr ops::metric_def upstream_calls{"ordergate_upstream_calls_total",
                                                ops::metric_kind::counter,
                                                {"service", "outcome"},
                                                "Upstream calls by service and outcome"};
inline constexpr ops::metric_def mapping_errors{
    "ordergate_mapping_errors_total",
    ops::metric_kind::counter,
    {"route"},
    "Requests refused because their input could not be mapped (400, 422)"};
inline constexpr ops::metric_def open_connections{
    "ordergate_open_connections", ops::metric_kind::gauge, {}, "Inbound connections open now"};
inline constexpr ops::metric_def connections{
    "ordergate_connections_total", ops::metric_kind::counter, {}, "Inbound connections accepted"};

inline constexpr std::array all = {upstream_calls, mapping_errors, open_connections, connections};

}  // namespace ordergate::pipeline::stats
