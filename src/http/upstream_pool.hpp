#pragma once
// Idle keep-alive connections per origin, shared by every caller of one client; a caller
// takes only those of its own io_context. Thread-safe; idle connections are closed after
// idle_timeout by a sweeping timer.

#include "http/upstream_connection.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ordergate::http {

class upstream_pool : public std::enable_shared_from_this<upstream_pool> {
 public:
  upstream_pool(asio::any_io_executor executor, std::size_t max_idle_per_origin,
                std::chrono::milliseconds idle_timeout);

  /// The most recently parked live connection to `origin` whose executor belongs to the
  /// io_context `where`, or null. Connections that expired (idle timeout, or the
  /// vendor's Keep-Alive timeout) or that the peer closed are dropped on the way.
  std::shared_ptr<upstream_connection> take(const std::string& origin,
                                            const asio::execution_context* where);
  /// The io_context an executor (or a strand over one) belongs to.
  static const asio::execution_context* context_of(const asio::any_io_executor& executor);
  /// Parks a connection after a clean exchange; the oldest one goes when the origin
  /// already has max_idle_per_origin, and one already expired is closed at once.
  void park(const std::string& origin, std::shared_ptr<upstream_connection> connection);
  /// Closes every idle connection and stops the sweeper (the client is going away).
  void shut_down();

  std::size_t idle_count(const std::string& origin) const;

 private:
  using clock = upstream_connection::clock;
  void schedule_sweep();
  void sweep();
  bool expired(const upstream_connection& c, clock::time_point now) const noexcept;
  static void discard(std::shared_ptr<upstream_connection> connection);

  const std::size_t max_idle_;
  const std::chrono::milliseconds idle_timeout_;
  asio::strand<asio::any_io_executor> sweep_strand_;
  asio::steady_timer sweep_timer_;  // only touched on sweep_strand_

  mutable std::mutex mutex_;  // guards the members below
  std::unordered_map<std::string, std::vector<std::shared_ptr<upstream_connection>>> idle_;
  bool sweep_scheduled_ = false;
  bool shut_down_ = false;
};

}  // namespace ordergate::http
