#include "http/session.hpp"

#include "http/closing.hpp"
#include "http/error_answer.hpp"
#include "http/escape_report.hpp"
#include "http/request_id.hpp"
#include "http/request_rules.hpp"
#include "http/server_state.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <string>

namespace ordergate::http {
namespace {

namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t first_read_bytes = 4096;
// What the buffer may hold beyond a full header block. Requests are handled one at a
// time and nothing is read while a handler runs, so this bounds read-ahead.
constexpr std::size_t read_ahead_bytes = 64 * 1024;
constexpr std::chrono::milliseconds answer_linger{1000};

constexpr std::string_view continue_answer = "HTTP/1.1 100 Continue\r\n\r\n";

// HTTP/1.0 clients cannot ask for it (RFC 9110 10.1.1).
bool expects_continue(const request& req) {
  return req.version() >= 11 && beast::iequals(req[bhttp::field::expect], "100-continue");
}

// Malformed HTTP (as opposed to the client going away) gets a 400.
bool is_malformed(const boost::system::error_code& ec) {
  static const auto& category = bhttp::make_error_code(bhttp::error::bad_target).category();
  return ec.category() == category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

// The client's id when it is sane, else a fresh one, also put on the request so the
// handler forwards the same id upstream.
std::string request_id_of(request& req) {
  const auto it = req.find("X-Request-Id");
  if (it != req.end() && acceptable_request_id(it->value())) return std::string(it->value());
  std::string id = generate_request_id();
  req.set("X-Request-Id", id);
  return id;
}

void finalize(response& res, const request& req, const std::string& request_id, bool keep_alive) {
  res.version(req.version() == 10 ? 10 : 11);
  res.set("X-Request-Id", request_id);
  res.erase(bhttp::field::transfer_encoding);  // string bodies are always sized
  res.keep_alive(keep_alive);
  const unsigned status = res.result_int();
  if (status / 100 == 1 || status == 204 || status == 304) {
    res.body().clear();  // these carry no body and (RFC 9110) no Content-Length of ours
  } else if (req.method() == verb::head) {
    if (!res.body().empty() || !res.has_content_length()) res.content_length(res.body().size());
    res.body().clear();
  } else {
    res.content_length(res.body().size());
  }
}

}  // namespace

session::session(std::shared_ptr<server_state> state, tcp::socket socket)
    : state_(std::move(state)),
      id_(state_->next_session_id()),
      stream_(std::move(socket)),
      buffer_(state_->limits().header_bytes + read_ahead_bytes) {
  boost::system::error_code ignored;
  remote_ = stream_.socket().remote_endpoint(ignored);
  stream_.socket().set_option(tcp::no_delay(true), ignored);
  if (auto* observer = state_->observer()) observer->connection_opened();
}

session::~session() {
  state_->session_ended(id_);
}

void session::start(std::shared_ptr<session> self) {
  self->state_->add_session(self->id_, self);
  const auto executor = self->stream_.get_executor();
  asio::co_spawn(executor, run(std::move(self)), escape_reporter{"session"});
}

void session::close_if_idle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    // Cancel rather than close: a read that already completed with a request still
    // delivers it, and that request is served (with Connection: close).
    boost::system::error_code ignored;
    if (self->idle_ && !self->bytes_waiting()) self->stream_.socket().cancel(ignored);
  });
}

void session::cut() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
}

bool session::bytes_waiting() const {
  boost::system::error_code ec;
  return stream_.socket().available(ec) > 0 && !ec;
}

asio::awaitable<void> session::run(std::shared_ptr<session> self) {
  for (;;) {
    const bool arrived = co_await self->wait_for_request();
    if (!arrived) break;
    const bool keep_going = co_await self->serve_one();
    if (!keep_going) break;
  }
  if (self->linger_) {
    const auto limit = std::min(answer_linger, self->state_->limits().write_timeout);
    co_await close_gracefully(self->stream_, limit);
  } else {
    boost::system::error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    self->stream_.close();
  }
}

asio::awaitable<bool> session::wait_for_request() {
  if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
  if (state_->stopping() && !bytes_waiting()) co_return false;
  // Idle keep-alive connection: the idle deadline runs until the first byte.
  idle_ = true;
  stream_.expires_after(state_->limits().idle_timeout);
  auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(first_read_bytes), use_tuple);
  idle_ = false;
  if (ec) co_return false;  // idle timeout, client gone, or closed by drain
  buffer_.commit(n);
  co_return true;
}

asio::awaitable<bool> session::serve_one() {
  const auto started = clock::now();
  const auto& limits = state_->limits();
  // A fresh parser per request, and the parser (not a message) given to async_read:
  // only then do the body and header limits apply.
  parser_type parser;
  parser.header_limit(limits.header_bytes);
  parser.body_limit(limits.body_bytes);
  std::size_t bytes_in = 0;
  const auto ec = co_await read_request(parser, started + limits.request_timeout, bytes_in);
  if (ec) co_return co_await answer_read_error(ec, parser, started, bytes_in);

  request req = parser.release();
  exchange ex;
  ex.request_id = request_id_of(req);
  ex.remote = remote_;
  response res = co_await call_handler(req, ex);
  co_return co_await write(req, res, ex, started, bytes_in, true);
}

asio::awaitable<boost::system::error_code> session::read_request(parser_type& parser,
                                                                 clock::time_point deadline,
                                                                 std::size_t& bytes_in) {
  // One absolute deadline for the whole request: a client trickling bytes is cut off.
  stream_.expires_at(deadline);
  auto [ec, header_bytes] = co_await bhttp::async_read_header(stream_, buffer_, parser, use_tuple);
  bytes_in = header_bytes;
  if (ec) co_return ec;
  // Before the body, and before any 100 Continue: a refused request needs neither.
  if (const auto broken =
          apply_request_rules(parser.get(), header_bytes, state_->limits().header_bytes)) {
    co_return broken;
  }
  if (parser.is_done()) co_return ec;
  if (expects_continue(parser.get())) {
    // Clients that ask (curl does for bodies over 1 KiB) wait for this before the body.
    stream_.expires_at(deadline);
    auto [write_ec, written] =
        co_await asio::async_write(stream_, asio::buffer(continue_answer), use_tuple);
    if (write_ec) co_return write_ec;
  }
  stream_.expires_at(deadline);
  auto [body_ec, body_bytes] = co_await bhttp::async_read(stream_, buffer_, parser, use_tuple);
  bytes_in += body_bytes;
  co_return body_ec;
}

asio::awaitable<bool> session::answer_read_error(const boost::system::error_code& ec,
                                                 parser_type& parser, clock::time_point started,
                                                 std::size_t bytes_in) {
  const auto& limits = state_->limits();
  core::errc code;
  std::string message;
  if (ec == bhttp::error::body_limit) {
    code = core::errc::payload_too_large;
    message = "request body exceeds " + std::to_string(limits.body_bytes) + " bytes";
  } else if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow ||
             ec == request_rule::header_too_large) {
    code = core::errc::bad_request;
    message = "request header exceeds " + std::to_string(limits.header_bytes) + " bytes";
  } else if (is_malformed(ec)) {
    code = core::errc::bad_request;
    message = "malformed HTTP request: " + ec.message();
  } else if (ec.category() == request_rule_category()) {
    code = core::errc::bad_request;
    message = ec.message();
  } else {
    co_return false;  // timeout or the client went away: nobody to answer
  }
  // The connection is closed after this answer: the rest of the stream is unparseable.
  request& partial = parser.get();
  const unsigned version = parser.is_header_done() ? partial.version() : 11;
  response res = make_error_answer(code, std::move(message), version);
  exchange ex;
  ex.request_id = parser.is_header_done() ? request_id_of(partial) : generate_request_id();
  ex.remote = remote_;
  co_await write(partial, res, ex, started, bytes_in, false);
  co_return false;
}

asio::awaitable<response> session::call_handler(request& req, exchange& ex) {
  const auto current = state_->current_handler();
  if (!current) co_return make_error_answer(core::errc::unavailable, "no handler installed");
  bool threw = false;
  response res;
  try {
    res = co_await current->handle(req, ex);
  } catch (...) {
    // Handlers must not throw; if one does, this request fails, not the process.
    report_escaped_exception("handler", std::current_exception());
    threw = true;
  }
  if (threw) res = make_error_answer(core::errc::internal_error, {});
  co_return res;
}

asio::awaitable<bool> session::write(const request& req, response& res, const exchange& ex,
                                     clock::time_point started, std::size_t bytes_in,
                                     bool may_keep_alive) {
  const bool keep_alive = may_keep_alive && req.keep_alive() && !state_->draining();
  finalize(res, req, ex.request_id, keep_alive);
  stream_.expires_after(state_->limits().write_timeout);
  auto [ec, bytes_out] = co_await bhttp::async_write(stream_, res, use_tuple);
  if (auto* observer = state_->observer()) {
    const auto duration =
        std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    observer->exchange_done(req, res, ex, duration, bytes_in, bytes_out);
  }
  if (ec) co_return false;
  linger_ = !keep_alive;  // let the client read this last answer before we close
  co_return keep_alive;
}

}  // namespace ordergate::http
