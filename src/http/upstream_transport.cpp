#include "http/upstream_transport.hpp"

#include "http/escape_report.hpp"
#include "http/serial_executor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <tuple>

namespace ordergate::http {
namespace {

namespace bhttp = beast::http;

asio::ssl::context make_tls_context(const upstream_client_settings& settings) {
  asio::ssl::context ctx{asio::ssl::context::tls_client};
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1 | asio::ssl::context::no_compression);
  boost::system::error_code ec;
  // A host without a system store still works with ca_file; verification then fails
  // for anything else, which is the safe outcome.
  ctx.set_default_verify_paths(ec);
  if (!settings.ca_file.empty()) ctx.load_verify_file(settings.ca_file);
  ctx.set_verify_mode(settings.verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
  return ctx;
}

// Whether a request that went out on a reused connection, which the vendor then closed
// without a byte of answer, may be sent again: GET and HEAD always (RFC 9110 9.2.2);
// any other method only when the reset shows that the vendor closed with it unread.
bool may_resend(verb method, upstream_connection::silent_close how) {
  using silent_close = upstream_connection::silent_close;
  if (how == silent_close::none) return false;
  return method == verb::get || method == verb::head || how == silent_close::unread;
}

bool has_body_semantics(verb method) {
  return method != verb::get && method != verb::head && method != verb::delete_ &&
         method != verb::options && method != verb::trace;
}

}  // namespace

upstream_transport::upstream_transport(asio::any_io_executor executor,
                                       const upstream_client_settings& settings)
    : executor_(std::move(executor)),
      tls_(make_tls_context(settings)),
      verify_peer_(settings.verify_peer),
      single_thread_(settings.single_thread),
      pool_(std::make_shared<upstream_pool>(executor_, settings.max_idle_per_origin,
                                            settings.idle_timeout)),
      limiter_(std::make_shared<upstream_limiter>(settings.max_connections_per_service,
                                                  settings.queue_timeout, settings.metrics)) {}

wire_request make_wire_request(const upstream_request& call, const upstream_target& target) {
  wire_request req{call.method, target.target, 11};
  for (const auto& field : call.headers)
    req.insert(field.name_string(), field.value());
  req.set(bhttp::field::host, target.host_header);
  req.set(bhttp::field::user_agent, "ordergate/0.1");
  req.set(bhttp::field::connection, "keep-alive");
  req.erase(bhttp::field::transfer_encoding);  // the body is sized, never chunked
  req.body() = call.body;
  if (!req.body().empty() || has_body_semantics(call.method)) {
    req.content_length(req.body().size());
  } else {
    req.erase(bhttp::field::content_length);
  }
  return req;
}

asio::awaitable<upstream_result> upstream_transport::attempt(wire_request& req,
                                                             const upstream_request& call,
                                                             const upstream_target& target) {
  // Held until the connection is parked or closed: a pooled idle connection is not in use.
  const auto permit = co_await limiter_->acquire(call.service);
  if (!permit) {
    co_return make_failure(upstream_errc::saturated, call.service,
                           "all " + std::to_string(limiter_->max_in_use()) +
                               " connections were in use for " +
                               std::to_string(limiter_->queue_timeout().count()) + " ms",
                           false);
  }
  // One thread per io_context: the connection lives on the caller's, so that a caller
  // never uses (or waits on) a connection of another thread's io_context.
  const asio::any_io_executor home =
      single_thread_ ? co_await asio::this_coro::executor : executor_;
  auto connection = pool_->take(target.origin, upstream_pool::context_of(home));
  for (;;) {
    const bool fresh = !connection;
    if (fresh) {
      connection = std::make_shared<upstream_connection>(serial_executor(home, single_thread_),
                                                         target.tls ? &tls_ : nullptr, verify_peer_,
                                                         target.origin);
    }
    // Everything touching the stream runs on the connection's strand, where its deadline
    // timers also run; this coroutine resumes on the caller's executor afterwards. With a
    // single thread there is no strand to go to: the attempt runs right here.
    std::exception_ptr error;
    upstream_result result;
    if (single_thread_) {
      try {
        result = co_await run_attempt(connection, fresh, req, call, target);
      } catch (...) {
        error = std::current_exception();
      }
    } else {
      std::tie(error, result) = co_await asio::co_spawn(
          connection->executor(), run_attempt(connection, fresh, req, call, target),
          asio::as_tuple(asio::use_awaitable));
    }
    if (error) {
      report_escaped_exception("upstream attempt", error);
      result = make_failure(upstream_errc::bad_answer, call.service, "internal error in the client",
                            true);
    }
    const bool resend = !error && !fresh && result.has_error() &&
                        may_resend(call.method, connection->last_silent_close());
    if (!error && result.has_value() && connection->reusable()) {
      pool_->park(target.origin, std::move(connection));
    } else {
      auto executor = connection->executor();
      asio::post(executor, [c = std::move(connection)] { c->close(); });
    }
    // A kept-alive connection the vendor closed under us: once more, at once, on a new
    // connection (RFC 9112 9.3.1), which is not an attempt of its own.
    if (!resend) co_return result;
    connection = nullptr;
  }
}

asio::awaitable<upstream_result> upstream_transport::run_attempt(
    std::shared_ptr<upstream_connection> c, bool fresh, wire_request& req,
    const upstream_request& call, const upstream_target& target) {
  if (fresh) {
    const auto deadline = upstream_connection::clock::now() + call.connect_timeout;
    auto failed = co_await c->connect(target, call.service, deadline);
    if (failed) co_return upstream_result{boost::system::in_place_error, std::move(*failed)};
  }
  co_return co_await c->exchange(req, call.service, call.timeout, call.max_answer_bytes);
}

}  // namespace ordergate::http
