#include "ordergate/ops/route_series.hpp"

#include "ordergate/ops/stats.hpp"

#include <string_view>

namespace ordergate::ops {

std::shared_ptr<const route_series> route_series::make(registry& r, std::string label) {
  auto s = std::make_shared<route_series>(route_series());
  s->label_ = std::move(label);
  s->registry_ = &r;
  for (std::size_t i = 0; i < statuses.size(); ++i)
    s->by_status_[i] = &r.counter_of(stats::requests, {s->label_, std::to_string(statuses[i])});
  s->latency_ = &r.histogram_of(stats::request_duration, {s->label_});
  return s;
}

std::shared_ptr<const route_series> route_series::unmeasured(std::string label) {
  auto s = std::make_shared<route_series>(route_series());
  s->label_ = std::move(label);
  return s;
}

void route_series::count(unsigned status, std::chrono::microseconds duration) const {
  if (registry_ == nullptr) return;
  counter* c = nullptr;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i] == status) c = by_status_[i];
  }
  // A status without a pre-registered series (rare): registered now, under the lock.
  if (c == nullptr) c = &registry_->counter_of(stats::requests, {label_, std::to_string(status)});
  c->inc();
  latency_->observe(static_cast<double>(duration.count()) / 1e6);
}

}  // namespace ordergate::ops
