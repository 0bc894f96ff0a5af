#include "http/closing.hpp"

#include "http/error_answer.hpp"
#include "http/escape_report.hpp"
#include "http/request_id.hpp"
#include "http/server_state.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>

namespace ordergate::http {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t discard_limit = 64 * 1024;
constexpr std::chrono::milliseconds refusal_linger{500};

asio::awaitable<void> refuse(std::shared_ptr<server_state> state, beast::tcp_stream stream) {
  auto res = make_error_answer(core::errc::unavailable, "too many open connections");
  res.set("X-Request-Id", generate_request_id());
  stream.expires_after(state->limits().write_timeout);
  auto [ec, written] = co_await beast::http::async_write(stream, res, use_tuple);
  if (!ec)
    co_await close_gracefully(stream, std::min(refusal_linger, state->limits().write_timeout));
}

}  // namespace

asio::awaitable<void> close_gracefully(beast::tcp_stream& stream, std::chrono::milliseconds limit) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!ec) {
    std::array<char, 4096> sink;
    std::size_t discarded = 0;
    stream.expires_after(limit);
    while (discarded < discard_limit) {
      // Ends at the client's FIN, a reset, or the deadline (beast closes the socket).
      auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (read_ec) break;
      discarded += n;
    }
  }
  stream.close();
}

void refuse_connection(std::shared_ptr<server_state> state, tcp::socket socket) {
  auto executor = socket.get_executor();
  asio::co_spawn(executor, refuse(std::move(state), beast::tcp_stream(std::move(socket))),
                 escape_reporter{"refused connection"});
}

}  // namespace ordergate::http
