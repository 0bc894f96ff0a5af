#include "ordergate/jobs/job_runner.hpp"

#include "jobs/job_run.hpp"
#include "ordergate/jobs/stats.hpp"
#include "ordergate/ops/access_log.hpp"
#include "ordergate/ops/event_fields.hpp"

namespace ordergate::jobs {

std::string_view outcome_name(run_summary::outcome o) noexcept {
  switch (o) {
    case run_summary::outcome::ok:
      return "ok";
    case run_summary::outcome::partial:
      return "partial";
    case run_summary::outcome::failed:
      return "failed";
    case run_summary::outcome::locked:
      return "locked";
    case run_summary::outcome::not_configured:
      return "not_configured";
  }
  return "failed";
}

job_metrics register_job_metrics(ops::registry& registry, const mapping::compiled_job& job) {
  job_metrics m;
  const std::string_view name = job.name;
  auto runs = [&](std::string_view outcome) {
    return &registry.counter_of(stats::runs, {name, outcome});
  };
  m.runs_ok = runs("ok");
  m.runs_partial = runs("partial");
  m.runs_failed = runs("failed");
  m.runs_locked = runs("locked");
  m.runs_not_configured = runs("not_configured");
  m.sent = &registry.counter_of(stats::items_sent, {name});
  m.skipped = &registry.counter_of(stats::items_skipped, {name});
  m.last_success = &registry.gauge_of(stats::last_success, {name});
  m.warnings = &registry.counter_of(stats::warnings, {name});
  m.state_entries = &registry.gauge_of(stats::state_entries, {name});
  auto step = [&](const mapping::step& s) {
    return pipeline::step_counters::of(registry, s.call.service);
  };
  if (job.cursor) m.start = step(job.cursor->start);
  m.source = step(job.source);
  for (const mapping::step& s : job.item_steps)
    m.item_steps.push_back(step(s));
  m.sink = step(job.sink);
  return m;
}

asio::awaitable<run_summary> run_job(const mapping::compiled_job& job,
                                     pipeline::upstream_caller& caller,
                                     const job_settings& settings, const job_metrics* metrics) {
  job_run run(job, caller, settings, metrics);
  co_return co_await run.run();
}

namespace {

/// The run's counters, updated before its log line so that whoever reads the line finds
/// them counted.
void count(const run_summary& s, const job_metrics& m) {
  switch (s.result) {
    case run_summary::outcome::ok:
      // The time first: whoever sees the run counted also finds when it succeeded.
      m.last_success->set(
          static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()));
      m.runs_ok->inc();
      break;
    case run_summary::outcome::partial:
      m.runs_partial->inc();
      break;
    case run_summary::outcome::failed:
      m.runs_failed->inc();
      break;
    case run_summary::outcome::locked:
      m.runs_locked->inc();
      break;
    case run_summary::outcome::not_configured:
      m.runs_not_configured->inc();
      break;
  }
  m.sent->inc(s.sent);
  m.skipped->inc(s.skipped);
  m.warnings->inc(s.warnings.size());
  if (s.result != run_summary::outcome::locked && s.result != run_summary::outcome::not_configured)
    m.state_entries->set(static_cast<double>(s.state_entries));
}

}  // namespace

void report(const run_summary& s, const job_metrics* metrics) {
  if (metrics) count(s, *metrics);
  ops::event_fields fields;
  fields.add("job", s.job)
      .add("outcome", outcome_name(s.result))
      .add("pages", static_cast<std::int64_t>(s.pages))
      .add("seen", static_cast<std::int64_t>(s.seen))
      .add("changed", static_cast<std::int64_t>(s.changed))
      .add("sent", static_cast<std::int64_t>(s.sent))
      .add("skipped", static_cast<std::int64_t>(s.skipped))
      .add("failed", static_cast<std::int64_t>(s.failed))
      .add("state_entries", static_cast<std::int64_t>(s.state_entries));
  if (s.cursor) {
    fields.add("recorded", static_cast<std::int64_t>(s.recorded))
        .add("first_run", s.first_run)
        .add("cursor", *s.cursor);
  }
  fields.add("sent_keys", s.sent_keys)
      .add("duration_ms", static_cast<std::int64_t>(s.duration.count()))
      .add("problems", s.problems)
      .add("warnings", s.warnings);
  ops::log_event(s.result == run_summary::outcome::ok ? "info" : "warn", "job_run", fields.str());
  std::fflush(stdout);
}

}  // namespace ordergate::jobs
