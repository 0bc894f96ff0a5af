#include "http/upstream_connection.hpp"

#include "http/answer_buffer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <charconv>

namespace ordergate::http {
namespace {

namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t answer_header_limit = 64 * 1024;
constexpr unsigned max_interim_answers = 8;
constexpr std::chrono::seconds keep_alive_margin{1};

// nullopt: the step succeeded. (Not result<void, E>: GCC's -Wmaybe-uninitialized
// misfires on it under the sanitizers.)
using step_result = std::optional<upstream_failure>;

// The peer hung up (as opposed to sending something we cannot parse).
bool is_hang_up(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

// The `timeout` parameter of a Keep-Alive header ("timeout=5, max=100"), in seconds.
std::optional<unsigned> keep_alive_timeout(std::string_view header) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view param = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!param.empty() && (param.front() == ' ' || param.front() == '\t'))
      param.remove_prefix(1);
    if (param.size() < 8 || !beast::iequals(param.substr(0, 8), "timeout=")) continue;
    param.remove_prefix(8);
    unsigned seconds = 0;
    const auto [end, ec] = std::from_chars(param.data(), param.data() + param.size(), seconds);
    if (ec == std::errc() && seconds < 86400) return seconds;
  }
  return std::nullopt;
}

// Until when a connection whose answer carried `keep_alive` may be reused.
upstream_connection::clock::time_point reuse_deadline(std::string_view keep_alive) {
  const auto seconds = keep_alive_timeout(keep_alive);
  if (!seconds) return upstream_connection::clock::time_point::max();
  // A second's margin: the vendor's timer started before our clock read the answer.
  return upstream_connection::clock::now() + std::chrono::seconds(*seconds) - keep_alive_margin;
}

}  // namespace

upstream_connection::upstream_connection(asio::any_io_executor executor, asio::ssl::context* tls,
                                         bool verify_peer, std::string origin)
    : executor_(std::move(executor)), verify_peer_(verify_peer), origin_(std::move(origin)) {
  if (tls) {
    tls_.emplace(executor_, *tls);
  } else {
    plain_.emplace(executor_);
  }
}

beast::tcp_stream& upstream_connection::lowest() noexcept {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

const beast::tcp_stream& upstream_connection::lowest() const noexcept {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

asio::awaitable<step_result> upstream_connection::connect(const upstream_target& target,
                                                          std::string_view service,
                                                          clock::time_point deadline) {
  // The resolver has no deadline of its own: a timer cancels it.
  auto resolver = std::make_shared<tcp::resolver>(executor_);
  auto timed_out = std::make_shared<bool>(false);
  asio::steady_timer timer{executor_, deadline};
  timer.async_wait([resolver, timed_out](const boost::system::error_code& ec) {
    if (ec) return;
    *timed_out = true;
    resolver->cancel();
  });
  auto [resolve_ec, endpoints] =
      co_await resolver->async_resolve(target.host, target.port, use_tuple);
  timer.cancel();
  if (*timed_out) {
    co_return make_failure(upstream_errc::timeout, service, "resolving " + origin_ + " timed out",
                           false);
  }
  if (resolve_ec) {
    co_return make_failure(upstream_errc::resolve_failed, service,
                           "cannot resolve " + origin_ + ": " + resolve_ec.message(), false);
  }

  auto& stream = lowest();
  stream.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, use_tuple);
  if (connect_ec == beast::error::timeout) {
    co_return make_failure(upstream_errc::timeout, service,
                           "connecting to " + origin_ + " timed out", false);
  }
  if (connect_ec) {
    co_return make_failure(upstream_errc::connect_failed, service,
                           "cannot connect to " + origin_ + ": " + connect_ec.message(), false);
  }
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  if (tls_) co_return co_await handshake(target, service, deadline);
  co_return std::nullopt;
}

asio::awaitable<step_result> upstream_connection::handshake(const upstream_target& target,
                                                            std::string_view service,
                                                            clock::time_point deadline) {
  // SNI carries host names only (RFC 6066): IP literals are left out.
  if (!target.host_is_ip && !SSL_set_tlsext_host_name(tls_->native_handle(), target.host.c_str())) {
    co_return make_failure(upstream_errc::tls_failed, service,
                           "cannot set the TLS server name for " + origin_, false);
  }
  if (verify_peer_) {
    boost::system::error_code ec;
    tls_->set_verify_callback(asio::ssl::host_name_verification(target.host), ec);
    if (ec) {
      co_return make_failure(upstream_errc::tls_failed, service,
                             "cannot set up host name verification for " + origin_, false);
    }
  }
  lowest().expires_at(deadline);
  auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (ec == beast::error::timeout) {
    co_return make_failure(upstream_errc::timeout, service,
                           "TLS handshake with " + origin_ + " timed out", false);
  }
  if (ec) {
    co_return make_failure(upstream_errc::tls_failed, service,
                           "TLS handshake with " + origin_ + " failed: " + ec.message(), false);
  }
  co_return std::nullopt;
}

asio::awaitable<upstream_result> upstream_connection::exchange(
    bhttp::request<bhttp::string_body>& req, std::string_view service,
    std::chrono::milliseconds timeout, std::uint64_t max_answer_bytes) {
  if (tls_) co_return co_await exchange_on(*tls_, req, service, timeout, max_answer_bytes);
  co_return co_await exchange_on(*plain_, req, service, timeout, max_answer_bytes);
}

template <class Stream>
asio::awaitable<upstream_result> upstream_connection::exchange_on(
    Stream& stream, bhttp::request<bhttp::string_body>& req, std::string_view service,
    std::chrono::milliseconds timeout, std::uint64_t max_answer_bytes) {
  reusable_ = false;
  silent_close_ = silent_close::none;
  // One deadline for writing the request and reading the whole answer.
  lowest().expires_after(timeout);
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, use_tuple);
  if (write_ec == beast::error::timeout) {
    co_return make_failure(upstream_errc::timeout, service, "sending to " + origin_ + " timed out",
                           true);
  }
  if (write_ec) {
    // The peer's socket was already closed when our bytes reached it.
    if (is_hang_up(write_ec)) silent_close_ = silent_close::unread;
    co_return make_failure(
        upstream_errc::connect_failed, service,
        "connection to " + origin_ + " failed while sending: " + write_ec.message(), true);
  }

  // The answer is read into memory that its body then keeps (no copy between the socket
  // and the decoder). Beast reads at most the free room at a time: with 64 KB, most
  // answers arrive in one read.
  answer_buffer buffer;
  // Interim answers (100 Continue, 103 Early Hints) may come before the final one and
  // are skipped (RFC 9110 15.2); a bounded number of them, within the same deadline.
  for (unsigned interim = 0;; ++interim) {
    bhttp::response_parser<in_place_body> parser;
    parser.get().body().buffer = &buffer;
    parser.header_limit(answer_header_limit);
    parser.body_limit(max_answer_bytes);
    parser.skip(req.method() == verb::head);  // an answer to HEAD has no body
    auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (read_ec) {
      const bool got_some = interim > 0 || parser.got_some();
      if (!got_some && is_hang_up(read_ec)) {
        // A kernel resets a connection closed with data unread; an orderly close says
        // nothing about whether the request was read.
        silent_close_ =
            read_ec == asio::error::connection_reset ? silent_close::unread : silent_close::orderly;
      }
      co_return read_failure(read_ec, got_some, service, max_answer_bytes);
    }
    auto& message = parser.get();
    const unsigned status = message.result_int();
    if (status == 101) {
      co_return make_failure(upstream_errc::bad_answer, service,
                             origin_ + " switched protocols, which nobody asked for", true);
    }
    if (status / 100 == 1) {
      if (interim + 1 >= max_interim_answers) {
        co_return make_failure(upstream_errc::bad_answer, service,
                               origin_ + " sent only interim (1xx) answers", true);
      }
      continue;
    }
    // Leftover bytes would be an answer nobody asked for: such a stream is not reused.
    reusable_ = message.keep_alive() && buffer.size() == 0;
    reusable_until_ = reuse_deadline(message[bhttp::field::keep_alive]);
    upstream_answer answer;
    answer.status = status;
    answer.headers = std::move(static_cast<fields&>(message));  // moved: no field copied
    answer.body = buffer.body();
    co_return answer;
  }
}

upstream_failure upstream_connection::read_failure(const boost::system::error_code& ec,
                                                   bool got_some, std::string_view service,
                                                   std::uint64_t max_answer_bytes) const {
  if (ec == beast::error::timeout) {
    return make_failure(upstream_errc::timeout, service,
                        origin_ + " did not answer within the timeout", true);
  }
  if (ec == bhttp::error::body_limit) {
    return make_failure(
        upstream_errc::too_large, service,
        "answer of " + origin_ + " exceeds " + std::to_string(max_answer_bytes) + " bytes", true);
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return make_failure(upstream_errc::too_large, service,
                        "answer header of " + origin_ + " is too large", true);
  }
  if (is_hang_up(ec) && !got_some) {
    return make_failure(upstream_errc::connect_failed, service,
                        origin_ + " closed the connection before answering", true);
  }
  if (is_hang_up(ec) || ec == bhttp::error::partial_message) {
    return make_failure(upstream_errc::bad_answer, service,
                        "connection to " + origin_ + " broke in the middle of the answer", true);
  }
  return make_failure(upstream_errc::bad_answer, service,
                      origin_ + " sent an answer that is not HTTP: " + ec.message(), true);
}

bool upstream_connection::peer_gone() const noexcept {
  const auto& socket = lowest().socket();
  if (!socket.is_open()) return true;
  char byte;
  const auto n =
      ::recv(const_cast<tcp::socket&>(socket).native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n >= 0) return true;  // 0: orderly close; >0: bytes nobody asked for (or a TLS alert)
  return errno != EAGAIN && errno != EWOULDBLOCK;
}

void upstream_connection::close() noexcept {
  lowest().close();
}

}  // namespace ordergate::http
