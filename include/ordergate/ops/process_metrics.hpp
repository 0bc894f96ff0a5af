#pragma once
// The series of a serving process's own life, declared in one place: which version
// runs, whether /readyz says ready, and how mapping reloads went. `serve` registers them
// once; docs/operations.md lists them and deploy/prometheus alerts on them.

#include "ordergate/ops/metrics.hpp"

#include <string_view>

namespace ordergate::ops {

/// ordergate_build_info, ordergate_ready, ordergate_mapping_reloads_total and
/// ordergate_mapping_last_reload_successful of one process.
class process_metrics {
 public:
  /// Registers every series: build info 1 for `version`, not ready, no reloads, the last
  /// load successful (a process only serves mappings that loaded).
  process_metrics(registry& r, std::string_view version);

  /// The mappings are loaded and requests are served: ready.
  void serving() noexcept;
  /// A drain started (SIGTERM, SIGINT): /readyz answers 503 from now on.
  void draining() noexcept;
  /// A SIGHUP reload put new mappings in service.
  void reload_succeeded() noexcept;
  /// A SIGHUP reload was refused: the previous mappings still serve, but the folder on
  /// disk would not start a new process.
  void reload_failed() noexcept;

 private:
  gauge& ready_;
  counter& reloads_ok_;
  counter& reloads_failed_;
  gauge& last_reload_successful_;
};

}  // namespace ordergate::ops
