#include "ordergate/jobs/job_runner.hpp"

#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/jobs/state_store.hpp"
#include "ordergate/ops/access_log.hpp"
#include "ordergate/ops/event_fields.hpp"
#include "ordergate/pipeline/step_executor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <random>
#include <set>

namespace ordergate::jobs {
namespace {

using mapping::value;
using clock = std::chrono::steady_clock;

/// An item waiting in the current batch.
struct pending_item {
  std::string key;
  std::string state;
  codec::node document;  ///< lives in the batch arena
};

/// Text of a key or state value: strings as they are, numbers in shortest form.
std::optional<std::string> text_of(const value& v) {
  if (v.type() == mapping::vtype::string) return std::string(v.as_string());
  if (const auto d = mapping::numeric(v)) return d->to_string();
  return std::nullopt;
}

asio::awaitable<void> sleep_backoff(const job_settings& settings, unsigned attempt) {
  static thread_local std::mt19937 random{std::random_device{}()};
  const auto cap = settings.backoff * (1u << std::min(attempt, 10u));
  std::uniform_int_distribution<long long> pick(cap.count() / 2, cap.count());
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           std::chrono::milliseconds(pick(random)));
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

/// Runs a step, retrying transient failures.
asio::awaitable<pipeline::step_outcome> with_retries(const mapping::step& step,
                                                     pipeline::step_context& ctx,
                                                     const job_settings& settings) {
  for (unsigned attempt = 1;; ++attempt) {
    pipeline::step_outcome o = co_await pipeline::execute_step(step, ctx);
    if (o.k != pipeline::step_outcome::kind::failed || !o.transient || attempt >= settings.attempts)
      co_return o;
    co_await sleep_backoff(settings, attempt);
    ctx.f.clear_failure();
  }
}

class job_run {
 public:
  job_run(const mapping::compiled_job& job, pipeline::upstream_caller& caller,
          const job_settings& settings, const job_metrics* metrics)
      : job_(job),
        caller_(caller),
        settings_(settings),
        metrics_(metrics),
        request_id_("job-" + job.name) {
    summary_.job = job.name;
  }

  asio::awaitable<run_summary> run() {
    const auto started = clock::now();
    co_await walk();
    summary_.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
    co_return std::move(summary_);
  }

 private:
  asio::awaitable<void> walk() {
    if (!job_.unavailable.empty()) {
      summary_.result = run_summary::outcome::not_configured;
      summary_.problems = job_.unavailable;
      co_return;
    }
    auto opened = state_store::open(settings_.state_dir, job_.name, settings_.reset_state);
    if (!opened) {
      summary_.result = opened.error().find("another run") != std::string::npos
                            ? run_summary::outcome::locked
                            : run_summary::outcome::failed;
      summary_.problems.push_back(opened.error());
      co_return;
    }
    store_ = std::move(*opened);
    new_batch();
    bool more = true;
    for (unsigned page = 1; more && page <= job_.max_pages && !stopped_; ++page) {
      more = co_await read_page(page);
    }
    if (!stopped_) co_await flush();
    if (summary_.result == run_summary::outcome::ok &&
        (summary_.skipped > 0 || summary_.failed > 0)) {
      summary_.result = run_summary::outcome::partial;
    }
  }

  void fail_run(std::string problem) {
    summary_.result = run_summary::outcome::failed;
    summary_.problems.push_back(std::move(problem));
  }

  /// Reads one page and queues its changed items; returns whether to read the next.
  asio::awaitable<bool> read_page(unsigned page) {
    std::pmr::monotonic_buffer_resource arena;
    std::deque<std::string> bodies;
    mapping::frame f(arena, job_.slot_count);
    f.slot(job_.page_slot) = value::number(mapping::decimal::from_int(page));
    pipeline::step_context ctx{
        f,
        arena,
        caller_,
        bodies,
        settings_.limits,
        request_id_,
        {},
        metrics_ ? metrics_->source : pipeline::route_metrics::step_counters{}};
    const pipeline::step_outcome o = co_await with_retries(job_.source, ctx, settings_);
    if (o.k != pipeline::step_outcome::kind::ok) {
      fail_run("page " + std::to_string(page) + ": " +
               (o.k == pipeline::step_outcome::kind::failed ? o.failure.message
                                                            : "the source step did not answer"));
      co_return false;
    }
    ++summary_.pages;
    const value items = mapping::evaluate(job_.items, f);
    if (f.failed()) {
      fail_run("page " + std::to_string(page) + ": " + f.failure()->message);
      co_return false;
    }
    std::vector<value> list;
    if (!mapping::for_each_item(items, [&](const value& v) { list.push_back(v); })) {
      fail_run("page " + std::to_string(page) + ": the items are not a list");
      co_return false;
    }
    for (const value& item : list) {
      take(item, f);
      if (batch_.size() >= job_.batch_size) co_await flush();
      if (stopped_) co_return false;
    }
    const value next = mapping::evaluate(job_.next_page, f);
    if (f.failed()) {
      fail_run("page " + std::to_string(page) + ": " + f.failure()->message);
      co_return false;
    }
    co_return mapping::truthy(next);
  }

  /// Queues `item` when its state changed; reports it when it cannot be mapped.
  void take(const value& item, mapping::frame& f) {
    ++summary_.seen;
    f.slot(job_.item_slot) = item;
    const value key_value = mapping::evaluate(job_.key, f);
    const value state_value = f.failed() ? value() : mapping::evaluate(job_.state, f);
    const auto key = text_of(key_value);
    const auto state = text_of(state_value);
    if (f.failed() || !key || !state) {
      skip(f.failed() ? f.failure()->message : "the item's key or state is not text", f);
      return;
    }
    if (const std::string* last = store_->get(*key); last && *last == *state) return;
    if (!queued_.insert(*key).second) return;  // seen on an earlier page of this walk
    ++summary_.changed;
    codec::tree_writer tree(*batch_arena_);
    if (!mapping::render(job_.document, f, tree)) {
      skip("item " + *key + ": " + f.failure()->message, f);
      return;
    }
    batch_.push_back({*key, *state, tree.result()});
  }

  void skip(std::string problem, mapping::frame& f) {
    ++summary_.skipped;
    summary_.problems.push_back(std::move(problem));
    f.clear_failure();
  }

  void new_batch() {
    batch_.clear();
    batch_arena_ = std::make_unique<std::pmr::monotonic_buffer_resource>();
  }

  /// Sends the current batch through the sink (the frame lives in the batch arena).
  asio::awaitable<pipeline::step_outcome> send_batch() {
    std::deque<std::string> bodies;
    mapping::frame f(*batch_arena_, job_.slot_count);
    value* docs = mapping::allocate_values(*batch_arena_, batch_.size());
    for (std::size_t i = 0; i < batch_.size(); ++i)
      docs[i] = value::of(&batch_[i].document);
    f.slot(job_.batch_slot) = value::array(docs, static_cast<std::uint32_t>(batch_.size()));
    pipeline::step_context ctx{
        f,
        *batch_arena_,
        caller_,
        bodies,
        settings_.limits,
        request_id_,
        {},
        metrics_ ? metrics_->sink : pipeline::route_metrics::step_counters{}};
    co_return co_await with_retries(job_.sink, ctx, settings_);
  }

  /// Sends the current batch; advances the state when the sink accepts it.
  asio::awaitable<void> flush() {
    if (batch_.empty()) co_return;
    const pipeline::step_outcome o = co_await send_batch();
    if (o.k != pipeline::step_outcome::kind::ok) {
      // Not advanced: the next run sends these items again.
      summary_.failed += batch_.size();
      summary_.problems.push_back(
          "batch of " + std::to_string(batch_.size()) + " items: " +
          (o.k == pipeline::step_outcome::kind::failed ? o.failure.message : "not sent"));
      new_batch();
      co_return;
    }
    if (settings_.crash_before_save && settings_.crash_before_save()) {
      stopped_ = true;
      fail_run("stopped before the state was written (simulated crash)");
      co_return;
    }
    for (const pending_item& p : batch_)
      store_->set(p.key, p.state);
    if (auto saved = store_->save(); !saved) {
      stopped_ = true;
      fail_run(saved.error());
      co_return;
    }
    summary_.sent += batch_.size();
    new_batch();
  }

  const mapping::compiled_job& job_;
  pipeline::upstream_caller& caller_;
  const job_settings& settings_;
  const job_metrics* metrics_;
  const std::string request_id_;  ///< X-Request-Id of the job's calls
  run_summary summary_;
  std::unique_ptr<state_store> store_;
  std::unique_ptr<std::pmr::monotonic_buffer_resource> batch_arena_;
  std::vector<pending_item> batch_;
  std::set<std::string, std::less<>> queued_;
  bool stopped_ = false;
};

}  // namespace

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
  auto runs = [&](const char* outcome) {
    return &registry.get_counter("ordergate_job_runs_total", "Job runs by outcome",
                                 {{"job", job.name}, {"outcome", outcome}});
  };
  m.runs_ok = runs("ok");
  m.runs_partial = runs("partial");
  m.runs_failed = runs("failed");
  m.runs_locked = runs("locked");
  m.runs_not_configured = runs("not_configured");
  m.sent = &registry.get_counter("ordergate_job_items_sent_total", "Items a job's sink accepted",
                                 {{"job", job.name}});
  m.skipped = &registry.get_counter("ordergate_job_items_skipped_total",
                                    "Items a job could not map (reported)", {{"job", job.name}});
  m.last_success = &registry.get_gauge("ordergate_job_last_success_timestamp_seconds",
                                       "Unix time of the job's last run that sent everything",
                                       {{"job", job.name}});
  auto step = [&](const mapping::step& s) {
    auto counter = [&](const char* outcome) {
      return &registry.get_counter("ordergate_upstream_calls_total",
                                   "Upstream calls by service and outcome",
                                   {{"service", s.call.service}, {"outcome", outcome}});
    };
    return pipeline::route_metrics::step_counters{counter("ok"), counter("failed"),
                                                  counter("error"), counter("timeout")};
  };
  m.source = step(job.source);
  m.sink = step(job.sink);
  return m;
}

asio::awaitable<run_summary> run_job(const mapping::compiled_job& job,
                                     pipeline::upstream_caller& caller,
                                     const job_settings& settings, const job_metrics* metrics) {
  job_run run(job, caller, settings, metrics);
  co_return co_await run.run();
}

void report(const run_summary& s, const job_metrics* metrics) {
  ops::log_event(s.result == run_summary::outcome::ok ? "info" : "warn", "job_run",
                 ops::event_fields()
                     .add("job", s.job)
                     .add("outcome", outcome_name(s.result))
                     .add("pages", static_cast<std::int64_t>(s.pages))
                     .add("seen", static_cast<std::int64_t>(s.seen))
                     .add("changed", static_cast<std::int64_t>(s.changed))
                     .add("sent", static_cast<std::int64_t>(s.sent))
                     .add("skipped", static_cast<std::int64_t>(s.skipped))
                     .add("failed", static_cast<std::int64_t>(s.failed))
                     .add("duration_ms", static_cast<std::int64_t>(s.duration.count()))
                     .add("problems", s.problems)
                     .str());
  std::fflush(stdout);
  if (!metrics) return;
  switch (s.result) {
    case run_summary::outcome::ok:
      metrics->runs_ok->inc();
      metrics->last_success->set(
          static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()));
      break;
    case run_summary::outcome::partial:
      metrics->runs_partial->inc();
      break;
    case run_summary::outcome::failed:
      metrics->runs_failed->inc();
      break;
    case run_summary::outcome::locked:
      metrics->runs_locked->inc();
      break;
    case run_summary::outcome::not_configured:
      metrics->runs_not_configured->inc();
      break;
  }
  metrics->sent->inc(s.sent);
  metrics->skipped->inc(s.skipped);
}

}  // namespace ordergate::jobs
