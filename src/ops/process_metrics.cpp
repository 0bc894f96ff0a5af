#include "ordergate/ops/process_metrics.hpp"

#include <string>

namespace ordergate::ops {
namespace {

constexpr const char* reloads_name = "ordergate_mapping_reloads_total";
constexpr const char* reloads_help = "Mapping folder reloads (SIGHUP) by outcome";

}  // namespace

process_metrics::process_metrics(registry& r, std::string_view version)
    : ready_(r.get_gauge("ordergate_ready",
                         "1 while /readyz answers 200 (mappings loaded, not draining), else 0")),
      reloads_ok_(r.get_counter(reloads_name, reloads_help, {{"outcome", "ok"}})),
      reloads_failed_(r.get_counter(reloads_name, reloads_help, {{"outcome", "failed"}})),
      last_reload_successful_(r.get_gauge(
          "ordergate_mapping_last_reload_successful",
          "0 when the last reload was refused (the previous mappings still serve), else 1")) {
  r.get_gauge("ordergate_build_info", "Always 1; the version of the running binary",
              {{"version", std::string(version)}})
      .set(1);
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
