#pragma once
// Every metric the http module registers, declared once (docs/operations.md lists them;
// tests/unit/jobs/stats_test.cpp checks the list against these tables).

#include "ordergate/ops/metrics.hpp"

#include <array>

namespace ordergate::http::stats {

inline constexpr ops::metric_def upstream_in_use{
    "ordergate_upstream_connections_in_use",
    ops::metric_kind::gauge,
    {"service"},
    "Upstream connections carrying a call now, by service (at most the per-service cap)"};
inline constexpr ops::metric_def upstream_waiting{
    "ordergate_upstream_calls_waiting",
    ops::metric_kind::gauge,
    {"service"},
    "Upstream calls waiting for a connection under the per-service cap"};
inline constexpr ops::metric_def upstream_refused{
    "ordergate_upstream_calls_refused_total",
    ops::metric_kind::counter,
    {"service"},
    "Upstream calls refused (503) after waiting the queue timeout for a connection"};

inline constexpr std::array all = {upstream_in_use, upstream_waiting, upstream_refused};

}  // namespace ordergate::http::stats
