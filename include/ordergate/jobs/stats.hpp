#pragma once
// Every metric the job engine registers, declared once (docs/operations.md lists them;
// tests/unit/jobs/stats_test.cpp checks the list against these tables). A job's calls
// are counted in pipeline::stats::upstream_calls.

#include "ordergate/ops/metrics.hpp"

#include <array>

namespace ordergate::jobs::stats {

inline constexpr ops::metric_def runs{"ordergate_job_runs_total",
                                      ops::metric_kind::counter,
                                      {"job", "outcome"},
                                      "Job runs by outcome"};
inline constexpr ops::metric_def items_sent{"ordergate_job_items_sent_total",
                                            ops::metric_kind::counter,
                                            {"job"},
                                            "Items a job's sink accepted"};
inline constexpr ops::metric_def items_skipped{"ordergate_job_items_skipped_total",
                                               ops::metric_kind::counter,
                                               {"job"},
                                               "Items a job could not map (reported)"};
inline constexpr ops::metric_def last_success{
    "ordergate_job_last_success_timestamp_seconds",
    ops::metric_kind::gauge,
    {"job"},
    "Unix time of the job's last run that sent everything"};
inline constexpr ops::metric_def warnings{"ordergate_job_warnings_total",
                                          ops::metric_kind::counter,
                                          {"job"},
                                          "Items a job's sink accepted with a warning"};
inline constexpr ops::metric_def state_entries{"ordergate_job_state_entries",
                                               ops::metric_kind::gauge,
                                               {"job"},
                                               "Keys in a job's state file after its last run"};

inline constexpr std::array all = {runs,         items_sent, items_skipped,
                                   last_success, warnings,   state_entries};

}  // namespace ordergate::jobs::stats
