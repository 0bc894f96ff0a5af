#pragma once
// Every metric the ops module registers, declared once (docs/operations.md lists them;
// tests/unit/jobs/stats_test.cpp checks the list against these tables).

#include "ordergate/ops/metrics.hpp"

#include <array>

namespace ordergate::ops::stats {

inline constexpr metric_def requests{"ordergate_requests_total",
                                     metric_kind::counter,
                                     {"route", "status"},
                                     "Requests answered, by route and status"};
inline constexpr metric_def request_duration{
    "ordergate_request_duration_seconds",
    metric_kind::histogram,
    {"route"},
    "Time from the first byte of a request to its answer, by route"};
inline constexpr metric_def build_info{"ordergate_build_info",
                                       metric_kind::gauge,
                                       {"version"},
                                       "Always 1; the version of the running binary"};
inline constexpr metric_def ready{
    "ordergate_ready",
    metric_kind::gauge,
    {},
    "1 while /readyz answers 200 (mappings loaded, not draining), else 0"};
inline constexpr metric_def mapping_reloads{"ordergate_mapping_reloads_total",
                                            metric_kind::counter,
                                            {"outcome"},
                                            "Mapping folder reloads (SIGHUP) by outcome"};
inline constexpr metric_def mapping_last_reload_successful{
    "ordergate_mapping_last_reload_successful",
    metric_kind::gauge,
    {},
    "0 when the last reload was refused (the previous mappings still serve), else 1"};

inline constexpr std::array all = {requests, request_duration, build_info,
                                   ready,    mapping_reloads,  mapping_last_reload_successful};

}  // namespace ordergate::ops::stats
