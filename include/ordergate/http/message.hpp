#pragma once
// The HTTP message types shared by the server, the upstream client and handlers.

#include "ordergate/ops/route_series.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace ordergate::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using verb = beast::http::verb;
using fields = beast::http::fields;
using request = beast::http::request<beast::http::string_body>;
using response = beast::http::response<beast::http::string_body>;

/// The record of one exchange (what Envoy calls its stream info): the server starts it,
/// handlers fill in what they learn, and the server's observer reads it once the answer
/// is sent (access log, metrics).
struct exchange {
  std::string request_id;  ///< X-Request-Id of the request, or one the server generated
  /// The route that answered: its label and the series its answers are counted in
  /// (shared, so that a reload cannot free it under an exchange in flight); null when
  /// the server answered before any route was chosen.
  std::shared_ptr<const ops::route_series> route;
  std::chrono::microseconds upstream_time{0};  ///< spent waiting for vendors
  tcp::endpoint remote;

  /// The route's label for logs, "-" when there is none.
  std::string_view route_label() const noexcept {
    return route ? std::string_view(route->label()) : std::string_view("-");
  }
};

/// Answers requests. Implementations must not throw: every failure is a response.
class handler {
 public:
  virtual ~handler() = default;
  /// Runs on the connection's executor (its strand, or the io_context's when one thread runs it);
  /// may await upstream calls.
  virtual asio::awaitable<response> handle(request& req, exchange& ex) = 0;
};

}  // namespace ordergate::http
