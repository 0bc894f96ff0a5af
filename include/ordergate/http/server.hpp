#pragma once
// The inbound side: an asynchronous HTTP/1.1 server with keep-alive, pipelining,
// limits and deadlines on everything, and a graceful drain.

#include "ordergate/http/message.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace ordergate::http {

/// Bounds applied to every connection; the defaults are the documented ones.
struct server_limits {
  std::uint64_t body_bytes = 1u << 20;                ///< larger bodies get 413
  std::uint32_t header_bytes = 8u << 10;              ///< larger header blocks get 400 and a close
  std::chrono::milliseconds idle_timeout{30'000};     ///< keep-alive connection with no request
  std::chrono::milliseconds request_timeout{30'000};  ///< whole request read, once it started
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_connections = 20'000;  ///< further ones get one 503 and are closed
};

struct server_settings {
  tcp::endpoint listen{asio::ip::make_address("0.0.0.0"), 8080};
  server_limits limits;
  /// Only one thread runs the io_context: connections then share its executor instead of
  /// a strand each (cheaper). Wrong when more threads run it.
  bool single_thread = false;
  /// Where accepted connections run, one after the other in turn. Each io_context here
  /// must be run by exactly one thread, so a connection runs on its executor without a
  /// strand, and a thread never waits for another's lock to serve its connections
  /// (`ordergate serve` gives one per thread). Empty: on the server's own io_context.
  /// They must outlive every connection (destroy them after the server's io_context
  /// has stopped, before it is destroyed).
  std::vector<asio::io_context*> connection_contexts;
};

/// Told about connections and finished exchanges (access log, metrics).
class server_observer {
 public:
  virtual ~server_observer() = default;
  virtual void connection_opened() {}
  virtual void connection_closed() {}
  /// After the response was written (or the write failed).
  virtual void exchange_done(const request& req, const response& res, const exchange& ex,
                             std::chrono::microseconds duration, std::size_t bytes_in,
                             std::size_t bytes_out) = 0;
};

class server {
 public:
  server(asio::io_context& ioc, server_settings settings, std::shared_ptr<handler> handler,
         std::shared_ptr<server_observer> observer = nullptr);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and starts accepting. Returns the bound endpoint (port 0 picks one).
  boost::system::result<tcp::endpoint> start();

  /// Graceful shutdown: keep accepting for `grace`, then stop accepting; requests in
  /// flight finish (for at most `deadline` after the grace), keep-alive connections are
  /// closed after their current response, idle ones at once. `done` runs when every
  /// connection is closed (or the deadline passed and the rest were cut).
  void drain(std::chrono::milliseconds grace, std::chrono::milliseconds deadline,
             std::function<void()> done);

  /// Replaces the handler for requests that start from now on (reload).
  void set_handler(std::shared_ptr<handler> handler);

  std::size_t open_connections() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace ordergate::http
