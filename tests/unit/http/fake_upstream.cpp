#include "unit/http/fake_upstream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>

namespace ordergate::http::testing {

namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct fake_upstream::impl {
  explicit impl(asio::io_context& context) : ioc(context), acceptor(context) {}
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> tls;
  script respond;
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> requests{0};
  std::atomic<std::size_t> closed{0};
  mutable std::mutex mutex;
  request last;
};

namespace {

template <class Stream>
asio::awaitable<void> serve(std::shared_ptr<fake_upstream::impl> self, Stream& stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64u << 20);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (ec) co_return;
    const request req = parser.release();
    const std::size_t index = self->requests++;
    {
      std::lock_guard lock(self->mutex);
      self->last = req;
    }
    const fake_reply reply = self->respond(req, index);
    if (reply.hang) {
      asio::steady_timer forever{co_await asio::this_coro::executor, std::chrono::hours(1)};
      co_await forever.async_wait(use_tuple);
      co_return;
    }
    if (!reply.raw.empty()) {
      auto [wec, written] = co_await asio::async_write(stream, asio::buffer(reply.raw), use_tuple);
      if (wec) co_return;
    }
    if (reply.close_after) co_return;
    if (reply.close_unread_next) {
      co_await beast::get_lowest_layer(stream).socket().async_wait(tcp::socket::wait_read,
                                                                   use_tuple);
      co_return;
    }
  }
}

asio::awaitable<void> connection(std::shared_ptr<fake_upstream::impl> self, tcp::socket socket) {
  if (self->tls) {
    beast::ssl_stream<beast::tcp_stream> stream{std::move(socket), *self->tls};
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (!ec) co_await serve(self, stream);
  } else {
    beast::tcp_stream stream{std::move(socket)};
    co_await serve(self, stream);
  }
  ++self->closed;  // the stream was destroyed above: the socket is closed
}

asio::awaitable<void> accept_loop(std::shared_ptr<fake_upstream::impl> self) {
  for (;;) {
    auto [ec, socket] = co_await self->acceptor.async_accept(use_tuple);
    if (ec) co_return;
    ++self->accepted;
    asio::co_spawn(self->ioc, connection(self, std::move(socket)), asio::detached);
  }
}

}  // namespace

std::string raw_answer(unsigned status, std::string_view body, std::string_view extra_headers) {
  std::string raw = "HTTP/1.1 " + std::to_string(status) +
                    " Whatever\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  raw.append(extra_headers).append("\r\n").append(body);
  return raw;
}

fake_upstream::fake_upstream(script s, std::string certificate)
    : impl_(std::make_shared<impl>(ioc_)) {
  impl_->respond = std::move(s);
  if (!certificate.empty()) {
    const std::string base = std::string(ORDERGATE_TEST_DATA) + "/tls/" + certificate;
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(base + ".pem");
    impl_->tls->use_private_key_file(base + ".key", asio::ssl::context::pem);
  }
  const tcp::endpoint local{asio::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(local.protocol());
  impl_->acceptor.bind(local);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->ioc, accept_loop(impl_), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

fake_upstream::~fake_upstream() {
  ioc_.stop();
  thread_.join();
}

std::size_t fake_upstream::accepted() const noexcept {
  return impl_->accepted.load();
}
std::size_t fake_upstream::requests() const noexcept {
  return impl_->requests.load();
}
std::size_t fake_upstream::closed() const noexcept {
  return impl_->closed.load();
}

request fake_upstream::last_request() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last;
}

unsigned short refusing_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  return acceptor.local_endpoint().port();  // closed when this returns
}

}  // namespace ordergate::http::testing
