#include "support/fake_vendor.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <condition_variable>
#include <mutex>

namespace ordergate::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct fake_vendor::impl {
  explicit impl(asio::io_context& context) : ioc(context), acceptor(context) {}
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> tls;
  std::shared_ptr<http::handler> fallback;

  mutable std::mutex mutex;
  vendor_script script;
  mutable std::condition_variable arrived;
  std::vector<recorded_request> received;
  std::size_t connections = 0;
  std::size_t closed = 0;

  // Touched on the vendor's thread only.
  bool released = false;
  std::vector<std::weak_ptr<asio::steady_timer>> holds;
};

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

recorded_request record(const http::request& req) {
  recorded_request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& field : req)
    r.headers.insert(field.name_string(), field.value());
  r.body = req.body();
  r.keep_alive = req.keep_alive();
  return r;
}

http::response render(const vendor_reply& reply, const http::request& req) {
  http::response res{static_cast<bhttp::status>(reply.status), req.version()};
  if (!reply.content_type.empty()) res.set(bhttp::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers)
    res.set(name, value);
  res.body() = reply.body;
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer{co_await asio::this_coro::executor, d};
  co_await timer.async_wait(use_tuple);
}

asio::awaitable<void> wait_for_release(std::shared_ptr<fake_vendor::impl> self) {
  if (self->released) co_return;
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                    asio::steady_timer::time_point::max());
  self->holds.push_back(timer);
  co_await timer->async_wait(use_tuple);  // cancelled by release_held()
}

/// False when the peer went away before all was written.
template <class Stream>
asio::awaitable<bool> write_raw(Stream& stream, const vendor_reply& reply) {
  if (reply.byte_gap.count() == 0) {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(reply.raw), use_tuple);
    co_return !ec;
  }
  for (std::size_t i = 0; i < reply.raw.size(); ++i) {
    auto [ec, n] =
        co_await asio::async_write(stream, asio::buffer(reply.raw.data() + i, 1), use_tuple);
    if (ec) co_return false;  // the client gave up on us
    co_await sleep_for(reply.byte_gap);
  }
  co_return true;
}

/// Aborts the connection: SO_LINGER 0 makes the close send a reset.
template <class Stream>
void reset(Stream& stream) {
  auto& socket = beast::get_lowest_layer(stream).socket();
  boost::system::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

/// Waits until the next request starts to arrive; the caller then returns, which closes
/// the connection with that request unread.
template <class Stream>
asio::awaitable<void> close_unread(Stream& stream) {
  co_await beast::get_lowest_layer(stream).socket().async_wait(tcp::socket::wait_read, use_tuple);
}

/// Serves requests on one connection until either side closes it.
template <class Stream>
asio::awaitable<void> serve(std::shared_ptr<fake_vendor::impl> self, Stream& stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64u << 20);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (ec) co_return;
    http::request req = parser.release();
    const recorded_request rec = record(req);
    std::size_t index = 0;
    vendor_script script;
    {
      std::lock_guard lock(self->mutex);
      index = self->received.size();
      self->received.push_back(rec);
      script = self->script;
    }
    self->arrived.notify_all();
    const std::optional<vendor_reply> reply = script ? script(rec, index) : std::nullopt;
    http::response res;
    if (reply) {
      if (reply->delay.count() > 0) co_await sleep_for(reply->delay);
      if (reply->held) co_await wait_for_release(self);
      switch (reply->k) {
        case vendor_reply::kind::hang:
          co_await sleep_for(std::chrono::hours(1));
          co_return;
        case vendor_reply::kind::close:
          if (reply->reset) reset(stream);
          co_return;
        case vendor_reply::kind::raw_bytes:
          if (!co_await write_raw(stream, *reply)) co_return;
          if (reply->reset) reset(stream);
          if (!reply->keep_open) co_return;
          if (!reply->close_unread_next) continue;
          co_await close_unread(stream);
          co_return;
        case vendor_reply::kind::answer:
          res = render(*reply, req);
          break;
      }
    } else if (self->fallback) {
      http::exchange ex;
      res = co_await self->fallback->handle(req, ex);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
    } else {
      res = render(vendor_reply::json(404, R"({"error":"not_found"})"), req);
    }
    auto [wec, written] = co_await bhttp::async_write(stream, res, use_tuple);
    if (wec || !res.keep_alive()) co_return;
    if (reply && reply->close_unread_next) {
      co_await close_unread(stream);
      co_return;
    }
  }
}

asio::awaitable<void> connection(std::shared_ptr<fake_vendor::impl> self, tcp::socket socket) {
  if (self->tls) {
    beast::ssl_stream<beast::tcp_stream> stream{std::move(socket), *self->tls};
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (!ec) co_await serve(self, stream);
  } else {
    beast::tcp_stream stream{std::move(socket)};
    co_await serve(self, stream);
  }
  std::lock_guard lock(self->mutex);  // the stream was destroyed above: the socket is closed
  ++self->closed;
}

asio::awaitable<void> accept_loop(std::shared_ptr<fake_vendor::impl> self) {
  for (;;) {
    auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
    if (ec) co_return;
    {
      std::lock_guard lock(self->mutex);
      ++self->connections;
    }
    asio::co_spawn(self->ioc, connection(self, std::move(socket)), asio::detached);
  }
}

}  // namespace

std::string recorded_request::path() const {
  return target.substr(0, target.find('?'));
}

std::string recorded_request::query() const {
  const auto q = target.find('?');
  return q == std::string::npos ? std::string() : target.substr(q + 1);
}

std::string recorded_request::header(std::string_view name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : std::string(it->value());
}

namespace {

std::string percent_decode(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

form_pairs decode_form(std::string_view text) {
  form_pairs pairs;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view item = text.substr(0, amp);
    const auto eq = item.find('=');
    pairs.emplace_back(
        percent_decode(item.substr(0, eq)),
        eq == std::string_view::npos ? std::string() : percent_decode(item.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return pairs;
}

std::string to_text(const form_pairs& pairs) {
  std::string text;
  for (const auto& [name, value] : pairs)
    text += name + "=" + value + "\n";
  return text;
}

std::string answer_bytes(unsigned status, std::string_view body, std::string_view extra_headers) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) +
                    " Whatever\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  raw.append(extra_headers).append("\r\n").append(body);
  return raw;
}

vendor_reply vendor_reply::json(unsigned status, std::string body) {
  return text(status, std::move(body), "application/json");
}

vendor_reply vendor_reply::text(unsigned status, std::string body, std::string content_type) {
  vendor_reply r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

vendor_reply vendor_reply::garbage(std::string bytes) {
  return raw_http(std::move(bytes));
}

vendor_reply vendor_reply::raw_http(std::string bytes) {
  vendor_reply r;
  r.k = kind::raw_bytes;
  r.raw = std::move(bytes);
  return r;
}

vendor_reply vendor_reply::raw_answer(std::string bytes) {
  vendor_reply r = raw_http(std::move(bytes));
  r.keep_open = true;
  return r;
}

vendor_reply vendor_reply::trickle(std::string bytes, std::chrono::milliseconds gap) {
  vendor_reply r = raw_http(std::move(bytes));
  r.byte_gap = gap;
  return r;
}

vendor_reply vendor_reply::close_without_answer() {
  vendor_reply r;
  r.k = kind::close;
  return r;
}

vendor_reply vendor_reply::reset_after(std::string bytes) {
  vendor_reply r = raw_http(std::move(bytes));
  r.reset = true;
  return r;
}

vendor_reply vendor_reply::hang() {
  vendor_reply r;
  r.k = kind::hang;
  return r;
}

fake_vendor::fake_vendor(vendor_script script, vendor_options options)
    : ioc_(std::make_unique<asio::io_context>()), impl_(std::make_shared<impl>(*ioc_)) {
  impl_->script = std::move(script);
  impl_->fallback = std::move(options.fallback);
  if (!options.certificate.empty()) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(options.certificate.string());
    impl_->tls->use_private_key_file(options.private_key.string(), asio::ssl::context::pem);
    tls_ = true;
  }
  const tcp::endpoint local{asio::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(local.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(local);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(*ioc_, accept_loop(impl_), asio::detached);
  thread_ = std::thread([this] { ioc_->run(); });
}

fake_vendor::~fake_vendor() {
  ioc_->stop();
  thread_.join();
}

std::string fake_vendor::url(std::string_view path_prefix) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
         std::string(path_prefix);
}

std::vector<recorded_request> fake_vendor::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

recorded_request fake_vendor::last_request() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received.empty() ? recorded_request() : impl_->received.back();
}

std::size_t fake_vendor::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received.size();
}

std::size_t fake_vendor::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

std::size_t fake_vendor::closed_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed;
}

bool fake_vendor::wait_for_requests(std::size_t n, std::chrono::milliseconds limit) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, limit, [&] { return impl_->received.size() >= n; });
}

void fake_vendor::set_script(vendor_script script) {
  std::lock_guard lock(impl_->mutex);
  impl_->script = std::move(script);
}

void fake_vendor::release_held() {
  asio::post(*ioc_, [self = impl_] {
    self->released = true;
    for (const auto& weak : self->holds) {
      if (auto timer = weak.lock()) timer->cancel();
    }
    self->holds.clear();
  });
}

vendor_script always(vendor_reply reply) {
  return
      [reply](const recorded_request&, std::size_t) { return std::optional<vendor_reply>(reply); };
}

vendor_script order_in_state(std::string state, vendor_script rest) {
  return
      [state, rest](const recorded_request& req, std::size_t index) -> std::optional<vendor_reply> {
        if (req.path().ends_with("/shop.order.getInfo"))
          return vendor_reply::json(200, R"({"id":"12","state_id":")" + state + R"("})");
        return rest(req, index);
      };
}

unsigned short refusing_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  return acceptor.local_endpoint().port();  // closed when this returns: nothing listens there
}

}  // namespace ordergate::testing
