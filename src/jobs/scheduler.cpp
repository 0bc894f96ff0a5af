#include "ordergate/jobs/scheduler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace ordergate::jobs {

struct scheduler::impl : std::enable_shared_from_this<impl> {
  asio::any_io_executor executor;
  std::shared_ptr<pipeline::upstream_caller> caller;
  job_settings settings;
  ops::registry& registry;
  std::atomic<std::uint64_t> generation{
      0};  ///< loops of older generations end at their next wake-up
  std::vector<std::shared_ptr<asio::steady_timer>> timers;

  // Timers are touched by the loops and by schedule/stop: all of it runs on one strand.
  impl(asio::any_io_executor e, std::shared_ptr<pipeline::upstream_caller> c, job_settings s,
       ops::registry& r)
      : executor(asio::make_strand(std::move(e))),
        caller(std::move(c)),
        settings(std::move(s)),
        registry(r) {}

  void cancel_all() {
    for (const auto& timer : timers)
      timer->cancel();
    timers.clear();
  }

  asio::awaitable<void> loop(std::shared_ptr<const mapping::compiled_job> job, std::uint64_t gen,
                             bool run_now, std::shared_ptr<asio::steady_timer> timer) {
    const job_metrics metrics = register_job_metrics(registry, *job);
    if (!run_now) {
      timer->expires_after(*job->interval);
      co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    while (generation.load() == gen) {
      const run_summary summary = co_await run_job(*job, *caller, settings, &metrics);
      report(summary, &metrics);
      timer->expires_after(*job->interval);
      const auto [ec] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) break;  // cancelled: stopped or rescheduled
    }
  }
};

scheduler::scheduler(asio::any_io_executor executor,
                     std::shared_ptr<pipeline::upstream_caller> caller, job_settings settings,
                     ops::registry& registry)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(caller), std::move(settings),
                                   registry)) {}

scheduler::~scheduler() {
  stop();
}

void scheduler::schedule(const mapping::mapping_set& mappings) {
  const bool first = impl_->generation.load() == 0;
  const std::uint64_t gen = impl_->generation.fetch_add(1) + 1;
  std::vector<std::shared_ptr<const mapping::compiled_job>> jobs;
  for (const auto& job : mappings.jobs) {
    if (job->interval) jobs.push_back(job);
  }
  asio::post(impl_->executor, [self = impl_, jobs = std::move(jobs), gen, first] {
    self->cancel_all();
    for (const auto& job : jobs) {
      auto timer = std::make_shared<asio::steady_timer>(self->executor);
      self->timers.push_back(timer);
      asio::co_spawn(self->executor, self->loop(job, gen, first, timer), asio::detached);
    }
  });
}

void scheduler::stop() {
  impl_->generation.fetch_add(1);
  asio::post(impl_->executor, [self = impl_] { self->cancel_all(); });
}

}  // namespace ordergate::jobs
