#pragma once
// One attempt of an upstream call: a pooled or new connection, the exchange on that
// connection's strand (one thread per io_context: right in the caller, on the caller's
// io_context), and the connection back to the pool when it stayed clean; all under a
// permit of the per-service connection cap.
// Shared by the client and its in-flight calls; owns the TLS context and the pool.

#include "http/upstream_connection.hpp"
#include "http/upstream_limiter.hpp"
#include "http/upstream_pool.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace ordergate::http {

using wire_request = beast::http::request<beast::http::string_body>;

class upstream_transport : public std::enable_shared_from_this<upstream_transport> {
 public:
  /// Throws when settings.ca_file cannot be loaded (construction happens at load time).
  upstream_transport(asio::any_io_executor executor, const upstream_client_settings& settings);

  /// One attempt: never retries, never throws.
  asio::awaitable<upstream_result> attempt(wire_request& req, const upstream_request& call,
                                           const upstream_target& target);

  upstream_pool& pool() noexcept { return *pool_; }
  upstream_limiter& limiter() noexcept { return *limiter_; }
  void shut_down() { pool_->shut_down(); }

 private:
  static asio::awaitable<upstream_result> run_attempt(std::shared_ptr<upstream_connection> c,
                                                      bool fresh, wire_request& req,
                                                      const upstream_request& call,
                                                      const upstream_target& target);

  asio::any_io_executor executor_;
  asio::ssl::context tls_;
  bool verify_peer_;
  bool single_thread_;
  std::shared_ptr<upstream_pool> pool_;
  std::shared_ptr<upstream_limiter> limiter_;
};

/// The request as it goes on the wire: the caller's headers as given, then Host,
/// User-Agent, Connection: keep-alive and Content-Length set by the client.
wire_request make_wire_request(const upstream_request& call, const upstream_target& target);

}  // namespace ordergate::http
