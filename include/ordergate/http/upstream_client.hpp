#pragma once
// The outbound side: keep-alive connection pools per origin over HTTP and HTTPS,
// with deadlines, a bound on answer size, and retries for idempotent calls only.

#include "ordergate/http/answer_body.hpp"
#include "ordergate/http/message.hpp"
#include "ordergate/ops/metrics.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>
#include <boost/url/url.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace ordergate::http {

/// One call to a vendor, fully rendered.
struct upstream_request {
  std::string service;  ///< label for logs and metrics, e.g. "webasyst"
  verb method = verb::get;
  boost::urls::url url;  ///< absolute http:// or https:// URL, query included
  fields headers;        ///< Host, Content-Length, User-Agent are set by the client
  std::string body;
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds timeout{10'000};  ///< per attempt: write and whole answer read
  /// Attempts in all, with exponential backoff and full jitter between them. GET and
  /// HEAD are retried after a connect error (refused, reset before any answer, connect
  /// timeout) or a 502/503/504 answer; not after a timeout once the request was sent.
  /// Any other method is retried only when nothing of the request was sent (resolve or
  /// connect failure): a request that may have reached the upstream is never re-sent.
  unsigned max_attempts = 1;
  std::chrono::milliseconds backoff_base{100};
  std::uint64_t max_answer_bytes = 8u << 20;
};

/// What a vendor answered (any status: deciding what is a failure is the caller's job).
struct upstream_answer {
  unsigned status = 0;
  fields headers;
  answer_body body;  ///< where it was read: decoders read it there
  unsigned attempts = 1;
  std::chrono::microseconds elapsed{0};  ///< all attempts and backoff together
};

enum class upstream_errc : std::uint8_t {
  resolve_failed,  ///< DNS
  connect_failed,  ///< refused, unreachable, reset before any answer
  tls_failed,      ///< handshake or certificate verification
  timeout,         ///< connect, write or read deadline passed
  bad_answer,      ///< not HTTP, or the connection broke mid-answer
  too_large,       ///< answer over max_answer_bytes
  saturated,       ///< the service's connection cap stayed full for the queue timeout
};

struct upstream_failure {
  upstream_errc code;
  std::string message;  ///< human text; never contains credentials or query strings
  unsigned attempts = 1;
  std::chrono::microseconds elapsed{0};
  /// False when the failure came before any byte of the request was written (DNS,
  /// connect, TLS handshake): the upstream cannot have acted on it. Retries use it.
  bool request_sent = true;
};

using upstream_result = boost::system::result<upstream_answer, upstream_failure>;

struct upstream_client_settings {
  std::string ca_file;      ///< extra CA bundle (PEM); the system store is always used
  bool verify_peer = true;  ///< certificate and host name verification
  std::size_t max_idle_per_origin = 64;
  std::chrono::milliseconds idle_timeout{30'000};  ///< pooled connections are closed after this
  /// Connections carrying a call at once, per service; more calls wait in line.
  std::size_t max_connections_per_service = 64;
  /// How long a call waits in line for a connection before it fails `saturated`.
  std::chrono::milliseconds queue_timeout{1'000};
  /// Where the cap's gauges and counter go (http/stats.hpp); null: nowhere.
  ops::registry* metrics = nullptr;
  /// Every io_context that calls the client is run by one thread (one or several such
  /// io_contexts): a connection is then made on its caller's io_context, without a
  /// strand, the attempt runs in the caller, and a caller reuses only idle connections of
  /// its own io_context. Wrong when more threads run one io_context.
  bool single_thread = false;
};

/// Thread-safe: any number of coroutines on any executor may call concurrently.
class upstream_client {
 public:
  /// Throws (at load time) when settings.ca_file cannot be read.
  upstream_client(asio::any_io_executor executor, upstream_client_settings settings = {});
  ~upstream_client();
  upstream_client(const upstream_client&) = delete;
  upstream_client& operator=(const upstream_client&) = delete;

  /// Performs the call; never throws.
  asio::awaitable<upstream_result> call(upstream_request request);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

/// Exception-free retry decision (the rules of upstream_request::max_attempts), exposed
/// for tests.
bool is_retryable(verb method, const upstream_result& result) noexcept;

}  // namespace ordergate::http
