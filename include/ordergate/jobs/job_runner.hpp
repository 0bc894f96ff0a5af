#pragma once
// Runs a job mapping once: read every page of the source (by page number, or from
// a cursor: the position of the last item handled), find the items whose state
// differs from the last one sent, run their item steps, render their documents,
// send them to the sink in batches, and advance the state only for batches the
// sink accepted. The engine knows nothing about any vendor: the mapping says what
// a page, an item, a key, a state, a position and a batch are.

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/pipeline/route_limits.hpp"
#include "ordergate/pipeline/step_executor.hpp"
#include "ordergate/pipeline/upstream_caller.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ordergate::jobs {

namespace asio = boost::asio;

struct job_settings {
  std::string state_dir = "./state";
  pipeline::route_limits limits;
  /// Attempts for each page and each batch; transient failures (transport errors,
  /// timeouts, 5xx) are retried with exponential backoff and jitter.
  unsigned attempts = 4;
  std::chrono::milliseconds backoff{250};
  /// Set a corrupted state file aside and send everything again.
  bool reset_state = false;
  /// Jobs with a cursor: read from this position instead of the watermark (a backfill;
  /// items whose state was already sent are still not sent again).
  std::optional<std::string> since;
  /// Fault injection for tests: called after the sink accepted a batch and before
  /// the state is written; returning true ends the run there, as a crash would.
  std::function<bool()> crash_before_save;
};

struct run_summary {
  enum class outcome : std::uint8_t {
    ok,              ///< everything that changed was sent
    partial,         ///< some items were skipped or some batches failed
    failed,          ///< the run could not finish (a page could not be read, state not saved)
    locked,          ///< another run holds the state: nothing done
    not_configured,  ///< configuration is missing
  };
  std::string job;
  outcome result = outcome::ok;
  unsigned pages = 0;
  std::size_t seen = 0;           ///< items read
  std::size_t changed = 0;        ///< items whose state differs from the last run
  std::size_t sent = 0;           ///< items in batches the sink accepted
  std::size_t skipped = 0;        ///< items that cannot be mapped (reported, not sent)
  std::size_t failed = 0;         ///< items in batches the sink refused or never got
  std::size_t recorded = 0;       ///< items recorded as they are, not sent (a cursor's first run)
  std::size_t state_entries = 0;  ///< keys in the state after the run
  std::chrono::milliseconds duration{0};
  std::vector<std::string> problems;
  std::vector<std::string> warnings;   ///< accepted, but the sink said something (sink.warning)
  std::vector<std::string> sent_keys;  ///< keys of the items sent (the first 100)
  std::optional<std::string> cursor;   ///< jobs with a cursor: the watermark after the run
  bool first_run = false;              ///< a cursor's first run: recorded, sent nothing
};

std::string_view outcome_name(run_summary::outcome o) noexcept;

/// Counters of one job (`/metrics`), registered once.
struct job_metrics {
  ops::counter* runs_ok = nullptr;
  ops::counter* runs_partial = nullptr;
  ops::counter* runs_failed = nullptr;
  ops::counter* runs_locked = nullptr;
  ops::counter* runs_not_configured = nullptr;
  ops::counter* sent = nullptr;
  ops::counter* skipped = nullptr;
  ops::counter* warnings = nullptr;
  ops::gauge* state_entries = nullptr;  ///< keys in the job's state after the last run
  ops::gauge* last_success = nullptr;   ///< unix time of the last ok run
  pipeline::step_counters start;        ///< a cursor's first-run call
  pipeline::step_counters source;
  std::vector<pipeline::step_counters> item_steps;
  pipeline::step_counters sink;
};

job_metrics register_job_metrics(ops::registry& registry, const mapping::compiled_job& job);

/// Runs `job` once. Never throws.
asio::awaitable<run_summary> run_job(const mapping::compiled_job& job,
                                     pipeline::upstream_caller& caller,
                                     const job_settings& settings,
                                     const job_metrics* metrics = nullptr);

/// The run's one JSON summary line (stdout), and its metrics.
void report(const run_summary& summary, const job_metrics* metrics);

}  // namespace ordergate::jobs
