#pragma once
// One connection to an upstream origin, plain or TLS. Every operation runs on the
// connection's own strand (the caller co_spawns onto executor()), or on the one thread
// that runs the io_context, so the stream's deadline timers never race with its reads
// and writes. Lives while in use or pooled.

#include "http/upstream_target.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace ordergate::http {

class upstream_connection {
 public:
  using clock = std::chrono::steady_clock;

  /// `executor` must be a strand of its own, or the io_context's executor when one thread
  /// runs it (serial_executor.hpp); `tls` is null for plain HTTP. `origin`
  /// names the peer in failure messages.
  upstream_connection(asio::any_io_executor executor, asio::ssl::context* tls, bool verify_peer,
                      std::string origin);

  const asio::any_io_executor& executor() const noexcept { return executor_; }

  /// Resolve, connect and (for https) handshake, all before `deadline`; nullopt on success.
  asio::awaitable<std::optional<upstream_failure>> connect(const upstream_target& target,
                                                           std::string_view service,
                                                           clock::time_point deadline);

  /// Writes `req` and reads the whole answer within `timeout`.
  asio::awaitable<upstream_result> exchange(beast::http::request<beast::http::string_body>& req,
                                            std::string_view service,
                                            std::chrono::milliseconds timeout,
                                            std::uint64_t max_answer_bytes);

  /// The last answer allowed keep-alive and left the stream clean.
  bool reusable() const noexcept { return reusable_; }
  /// Until when the connection may be reused: the vendor's `Keep-Alive: timeout=N`
  /// less a margin, so that we never race its close (max() when it sent none).
  clock::time_point reusable_until() const noexcept { return reusable_until_; }

  /// How the peer ended the last exchange when it closed without a byte of answer.
  enum class silent_close : std::uint8_t {
    none,     ///< it did not (an answer, a timeout, garbage...)
    orderly,  ///< FIN: it may have read the request before closing
    unread,   ///< reset while we wrote or waited: it closed with the request unread
  };
  silent_close last_silent_close() const noexcept { return silent_close_; }
  /// Non-blocking check of a pooled connection: true when the peer has closed it or
  /// sent something unasked (either way it must not carry another request).
  bool peer_gone() const noexcept;
  /// Closes the socket; only on executor(), or when no operation can be pending.
  void close() noexcept;

  clock::time_point parked_at{};  ///< when it went back to the pool

 private:
  template <class Stream>
  asio::awaitable<upstream_result> exchange_on(Stream& stream,
                                               beast::http::request<beast::http::string_body>& req,
                                               std::string_view service,
                                               std::chrono::milliseconds timeout,
                                               std::uint64_t max_answer_bytes);
  asio::awaitable<std::optional<upstream_failure>> handshake(const upstream_target& target,
                                                             std::string_view service,
                                                             clock::time_point deadline);
  upstream_failure read_failure(const boost::system::error_code& ec, bool got_some,
                                std::string_view service, std::uint64_t max_answer_bytes) const;
  beast::tcp_stream& lowest() noexcept;
  const beast::tcp_stream& lowest() const noexcept;

  asio::any_io_executor executor_;
  bool verify_peer_;
  std::string origin_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  bool reusable_ = false;
  clock::time_point reusable_until_ = clock::time_point::max();
  silent_close silent_close_ = silent_close::none;
};

}  // namespace ordergate::http
