#include "http/upstream_limiter.hpp"

#include "http/escape_report.hpp"
#include "ordergate/http/stats.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace ordergate::http {

upstream_limiter::upstream_limiter(std::size_t max_in_use, std::chrono::milliseconds queue_timeout,
                                   ops::registry* metrics)
    : max_in_use_(std::max<std::size_t>(1, max_in_use)),
      queue_timeout_(queue_timeout),
      metrics_(metrics) {}

upstream_limiter::permit::~permit() {
  if (owner_) owner_->release(*state_);
}

upstream_limiter::service_state& upstream_limiter::state_of(std::string_view service) {
  std::lock_guard lock(mutex_);
  auto& slot = services_[std::string(service)];
  if (!slot) {
    slot = std::make_unique<service_state>();
    // Registration takes the registry's lock once per service, never per call.
    if (metrics_) {
      slot->in_use_gauge = &metrics_->gauge_of(stats::upstream_in_use, {service});
      slot->waiting_gauge = &metrics_->gauge_of(stats::upstream_waiting, {service});
      slot->refused = &metrics_->counter_of(stats::upstream_refused, {service});
    }
  }
  return *slot;
}

void upstream_limiter::publish(const service_state& s) const noexcept {
  if (s.in_use_gauge) s.in_use_gauge->set(static_cast<double>(s.in_use));
  if (s.waiting_gauge) s.waiting_gauge->set(static_cast<double>(s.queue.size()));
}

asio::awaitable<std::optional<upstream_limiter::permit>> upstream_limiter::acquire(
    std::string_view service) {
  service_state* s = nullptr;
  try {
    s = &state_of(service);
  } catch (const std::exception& e) {
    // Only an allocation or a registry refusal: no permit is better than a crash.
    report_escaped_exception("upstream limiter", std::make_exception_ptr(e));
    co_return std::nullopt;
  }
  {
    std::lock_guard lock(mutex_);
    if (s->in_use < max_in_use_ && s->queue.empty()) {
      ++s->in_use;
      publish(*s);
      co_return permit{shared_from_this(), s};
    }
  }
  // The wait runs on a strand of its own, where release() posts the grant's wake-up:
  // the timer is never touched from two threads at once.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto [error, granted] =
      co_await asio::co_spawn(strand, wait_in_line(*s), asio::as_tuple(asio::use_awaitable));
  if (error) {
    report_escaped_exception("upstream limiter", error);
    granted = false;
  }
  if (!granted) {
    if (s->refused) s->refused->inc();
    co_return std::nullopt;
  }
  co_return permit{shared_from_this(), s};
}

asio::awaitable<bool> upstream_limiter::wait_in_line(service_state& s) {
  auto me = std::make_shared<waiter>(co_await asio::this_coro::executor);
  me->timer.expires_after(queue_timeout_);
  {
    std::lock_guard lock(mutex_);
    // A permit may have come back since acquire() looked.
    if (s.in_use < max_in_use_ && s.queue.empty()) {
      ++s.in_use;
      publish(s);
      co_return true;
    }
    if (queue_timeout_.count() <= 0) co_return false;
    s.queue.push_back(me);
    publish(s);
  }
  // Ends when the queue timeout passes or when release() cancels it after a grant.
  co_await me->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mutex_);
  if (me->granted) co_return true;  // granted even if the timer fired at the same moment
  s.queue.erase(std::find(s.queue.begin(), s.queue.end(), me));
  publish(s);
  co_return false;
}

void upstream_limiter::release(service_state& s) {
  std::shared_ptr<waiter> next;
  {
    std::lock_guard lock(mutex_);
    if (s.queue.empty()) {
      --s.in_use;
    } else {
      // The permit passes straight to the first in line: in_use does not change.
      next = std::move(s.queue.front());
      s.queue.pop_front();
      next->granted = true;
    }
    publish(s);
  }
  if (next) {
    auto executor = next->timer.get_executor();
    asio::post(executor, [next] { next->timer.cancel(); });
  }
}

std::size_t upstream_limiter::in_use(std::string_view service) const {
  std::lock_guard lock(mutex_);
  const auto it = services_.find(std::string(service));
  return it == services_.end() ? 0 : it->second->in_use;
}

std::size_t upstream_limiter::waiting(std::string_view service) const {
  std::lock_guard lock(mutex_);
  const auto it = services_.find(std::string(service));
  return it == services_.end() ? 0 : it->second->queue.size();
}

}  // namespace ordergate::http
