#pragma once
// The per-service cap on upstream connections in use. A call takes a permit before it
// takes a connection and gives it back when the connection is parked or closed; over
// the cap, calls wait in arrival order for at most the queue timeout, then are refused.
// The queue is bounded by the callers (each inbound request waits at most once), and
// the sockets by the cap plus the idle pool.

#include "ordergate/http/message.hpp"
#include "ordergate/ops/metrics.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ordergate::http {

class upstream_limiter : public std::enable_shared_from_this<upstream_limiter> {
  struct service_state;

 public:
  /// `max_in_use` per service (at least 1); `metrics` may be null (no series).
  upstream_limiter(std::size_t max_in_use, std::chrono::milliseconds queue_timeout,
                   ops::registry* metrics);

  /// The right to use one connection to a service; given back when destroyed.
  class permit {
   public:
    permit(std::shared_ptr<upstream_limiter> owner, service_state* state) noexcept
        : owner_(std::move(owner)), state_(state) {}
    permit(permit&& other) noexcept = default;
    permit& operator=(permit&&) = delete;
    permit(const permit&) = delete;
    ~permit();

   private:
    std::shared_ptr<upstream_limiter> owner_;
    service_state* state_;
  };

  /// A permit for `service`: at once when fewer than the cap are in use and nobody
  /// waits, else after waiting in line at most the queue timeout; nullopt when that
  /// ran out. Never throws.
  asio::awaitable<std::optional<permit>> acquire(std::string_view service);

  std::size_t in_use(std::string_view service) const;
  std::size_t waiting(std::string_view service) const;
  std::size_t max_in_use() const noexcept { return max_in_use_; }
  std::chrono::milliseconds queue_timeout() const noexcept { return queue_timeout_; }

 private:
  /// One call in line; its timer runs on a strand of its own, where a grant cancels it.
  struct waiter {
    explicit waiter(asio::any_io_executor strand) : timer(std::move(strand)) {}
    asio::steady_timer timer;
    bool granted = false;  // guarded by mutex_
  };

  struct service_state {
    std::size_t in_use = 0;
    std::deque<std::shared_ptr<waiter>> queue;
    ops::gauge* in_use_gauge = nullptr;
    ops::gauge* waiting_gauge = nullptr;
    ops::counter* refused = nullptr;
  };

  service_state& state_of(std::string_view service);
  asio::awaitable<bool> wait_in_line(service_state& s);
  void release(service_state& s);
  void publish(const service_state& s) const noexcept;  // under mutex_

  const std::size_t max_in_use_;
  const std::chrono::milliseconds queue_timeout_;
  ops::registry* metrics_;
  mutable std::mutex mutex_;  // guards the states' counts and queues
  // unique_ptr: permits keep a pointer to their state while the map grows.
  std::unordered_map<std::string, std::unique_ptr<service_state>> services_;
};

}  // namespace ordergate::http
