#pragma once
// One accepted connection: reads requests with limits and deadlines, calls the handler,
// writes the answers in order. Lives as long as the connection; its coroutine owns it.

#include "ordergate/http/message.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <chrono>
#include <cstdint>
#include <memory>

namespace ordergate::http {

class server_state;

class session : public std::enable_shared_from_this<session> {
 public:
  /// The caller has taken a connection slot (server_state::try_admit); the session
  /// gives it back when it is destroyed.
  session(std::shared_ptr<server_state> state, tcp::socket socket);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Registers the session and runs it on its connection's executor (serial_executor.hpp).
  static void start(std::shared_ptr<session> self);
  /// Drain: closes the connection if it is waiting for a request (thread-safe).
  void close_if_idle();
  /// Drain deadline: closes the connection whatever it is doing (thread-safe).
  void cut();

 private:
  using clock = std::chrono::steady_clock;
  using parser_type = beast::http::request_parser<beast::http::string_body>;

  static asio::awaitable<void> run(std::shared_ptr<session> self);
  asio::awaitable<bool> wait_for_request();
  asio::awaitable<bool> serve_one();
  asio::awaitable<boost::system::error_code> read_request(parser_type& parser,
                                                          clock::time_point deadline,
                                                          std::size_t& bytes_in);
  asio::awaitable<bool> answer_read_error(const boost::system::error_code& ec, parser_type& parser,
                                          clock::time_point started, std::size_t bytes_in);
  asio::awaitable<response> call_handler(request& req, exchange& ex);
  asio::awaitable<bool> write(const request& req, response& res, const exchange& ex,
                              clock::time_point started, std::size_t bytes_in, bool may_keep_alive);
  bool bytes_waiting() const;

  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  tcp::endpoint remote_;
  bool idle_ = false;    // waiting for the first byte of a request; only on the executor
  bool linger_ = false;  // we answered an error and must let the client read it
};

}  // namespace ordergate::http
