#pragma once
// Accepts connections and hands each to a session on its own strand (one thread: on the
// io_context's executor, serial_executor.hpp; with connection contexts: on the next
// one's executor in turn); connections over max_connections get one 503 answer and are
// closed. Lives while the acceptor is open.

#include "ordergate/http/message.hpp"

#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>

#include <memory>

namespace ordergate::http {

class server_state;

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& ioc, std::shared_ptr<server_state> state);

  /// Opens, binds (SO_REUSEADDR) and listens; returns the bound endpoint.
  boost::system::result<tcp::endpoint> open(const tcp::endpoint& endpoint);
  /// Starts the accept loop on the listener's strand.
  void start();
  /// Stops accepting (thread-safe); the accept loop ends.
  void close();

 private:
  static asio::awaitable<void> accept_loop(std::shared_ptr<listener> self);
  void dispatch(tcp::socket socket);
  /// Where the next accepted connection runs (dispatch() moves the turn on).
  asio::any_io_executor next_executor() const;

  asio::io_context& ioc_;
  std::shared_ptr<server_state> state_;
  asio::strand<asio::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  std::size_t turn_ = 0;  // the connection context that gets the next connection
};

}  // namespace ordergate::http
