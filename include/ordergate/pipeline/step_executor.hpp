#pragma once
// One upstream step of a mapping, run: render the call, send it, judge the answer
// (fails_when, on_failure) and expose it to later expressions. Shared by routes
// (which turn outcomes into HTTP answers) and jobs (which count them).

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/pipeline/route_limits.hpp"
#include "ordergate/pipeline/upstream_caller.hpp"

#include <chrono>
#include <deque>
#include <string>

namespace ordergate::pipeline {

/// Counters of one upstream call of a route or job (ordergate_upstream_calls_total).
struct step_counters {
  ops::counter* ok = nullptr;      ///< the call succeeded as the mapping sees it
  ops::counter* failed = nullptr;  ///< answered, but a failure (status, error key)
  ops::counter* error = nullptr;   ///< transport failure
  ops::counter* timeout = nullptr;

  /// The counters of calls to `service`.
  static step_counters of(ops::registry& registry, std::string_view service);
};

/// What a step ended in.
struct step_outcome {
  enum class kind : std::uint8_t {
    ok,       ///< answered and not a failure: the answer is in the step's slots
    skipped,  ///< skip_when held
    dry_run,  ///< dry_run_when held: `body` is the rendered request body
    failed,   ///< `failure` says why (mapping error, transport, or a failing answer)
    respond,  ///< a failure rule answers `respond` instead
  };
  kind ended = kind::ok;
  core::failure failure;
  const mapping::response_spec* respond = nullptr;
  std::string body;
  codec::format format = codec::format::json;
  unsigned status = 0;     ///< the upstream's HTTP status when it answered
  bool transient = false;  ///< a transport failure or a 5xx: worth retrying later
};

/// Where a step runs.
struct step_context {
  mapping::frame& frame;
  std::pmr::memory_resource& arena;
  upstream_caller& caller;
  std::pmr::deque<http::answer_body>&
      answer_bodies;  ///< upstream bodies decoded in place: live as long as the frame
  const route_limits& limits;
  std::string_view request_id;
  std::chrono::microseconds upstream_time{0};
  step_counters counters;
};

asio::awaitable<step_outcome> execute_step(const mapping::step& step, step_context& ctx);

}  // namespace ordergate::pipeline
