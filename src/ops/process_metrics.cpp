#include "ordergate/ops/process_metrics.hpp"

#include "ordergate/ops/stats.hpp"

namespace ordergate::ops {

process_metrics::process_metrics(registry& r, std::string_view version)
    : ready_(r.gauge_of(stats::ready)),
      reloads_ok_(r.counter_of(stats::mapping_reloads, {"ok"})),
      reloads_failed_(r.counter_of(stats::mapping_reloads, {"failed"})),
      last_reload_successful_(r.gauge_of(stats::mapping_last_reload_successful)) {
  r.gauge_of(stats::build_info, {version}).set(1);
  last_reload_successful_.set(1);
}
void process_metrics::serving() noexcept {
  ready_.set(1);
}

void process_metrics::draining() noexcept {
  ready_.set(0);
}

void process_metrics::reload_succeeded() noexcept {
  reloads_ok_.inc();
  last_reload_successful_.set(1);
}

void process_metrics::reload_failed() noexcept {
  reloads_failed_.inc();
  last_reload_successful_.set(0);
}

}  // namespace ordergate::ops
