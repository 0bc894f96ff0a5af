#pragma once
// Runs the jobs that have an interval inside `ordergate serve`: each job runs at
// start, then every interval after its previous run ended (runs of one job never
// overlap). A reload replaces the schedule; a run in progress finishes first.

#include "ordergate/jobs/job_runner.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace ordergate::jobs {

class scheduler {
 public:
  scheduler(asio::any_io_executor executor, std::shared_ptr<pipeline::upstream_caller> caller,
            job_settings settings, ops::registry& registry);
  ~scheduler();
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  /// Schedules the jobs of `mappings` that have an interval, replacing any earlier schedule.
  void schedule(const mapping::mapping_set& mappings);
  /// Stops scheduling (runs in progress are not interrupted).
  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace ordergate::jobs
