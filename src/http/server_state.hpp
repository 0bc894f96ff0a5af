#pragma once
// What all connections of one server share: limits, the current handler, the observer,
// the registry of live sessions and the drain state machine. Lives as long as the
// server object or the last session, whichever is later.

#include "ordergate/http/server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ordergate::http {

class listener;
class session;

class server_state : public std::enable_shared_from_this<server_state> {
 public:
  server_state(asio::io_context& ioc, server_settings settings, std::shared_ptr<handler> h,
               std::shared_ptr<server_observer> observer);

  asio::io_context& context() noexcept { return ioc_; }
  const server_limits& limits() const noexcept { return settings_.limits; }
  bool single_thread() const noexcept { return settings_.single_thread; }
  const std::vector<asio::io_context*>& connection_contexts() const noexcept {
    return settings_.connection_contexts;
  }
  server_observer* observer() const noexcept { return observer_.get(); }

  /// Binds the listener and starts accepting.
  boost::system::result<tcp::endpoint> start();

  std::shared_ptr<handler> current_handler() const;
  void set_handler(std::shared_ptr<handler> h);

  /// Takes a connection slot; false when max_connections are open.
  bool try_admit() noexcept;
  /// Registers an admitted session so drain can reach it.
  void add_session(std::uint64_t id, const std::shared_ptr<session>& s);
  /// Called once by every admitted session when it ends; releases its slot.
  void session_ended(std::uint64_t id) noexcept;
  std::size_t open_connections() const noexcept { return open_.load(); }
  std::uint64_t next_session_id() noexcept { return ++last_session_id_; }

  /// From drain() on, responses carry `Connection: close`.
  bool draining() const noexcept { return draining_.load(); }
  /// After the grace period: no new requests start on existing connections.
  bool stopping() const noexcept { return stopping_.load(); }

  void drain(std::chrono::milliseconds grace, std::chrono::milliseconds deadline,
             std::function<void()> done);
  /// The server object is going away: stop accepting and cut every connection.
  void shut_down();

 private:
  void end_grace(std::chrono::milliseconds deadline);
  void cut_all();
  void finish_drain();
  std::vector<std::shared_ptr<session>> live_sessions();

  asio::io_context& ioc_;
  const server_settings settings_;
  const std::shared_ptr<server_observer> observer_;
  asio::strand<asio::io_context::executor_type> control_;  // serializes drain timers
  asio::steady_timer grace_timer_;
  asio::steady_timer deadline_timer_;

  mutable std::mutex mutex_;  // guards everything below that is not atomic
  std::shared_ptr<handler> handler_;
  std::shared_ptr<listener> listener_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions_;
  std::vector<std::function<void()>> done_;

  std::atomic<std::size_t> open_{0};
  std::atomic<std::uint64_t> last_session_id_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
};

}  // namespace ordergate::http
