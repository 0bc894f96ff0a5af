#pragma once
// The HTTP message types shared by the server, the upstream client and handlers.

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

/// Facts about one exchange that a handler reports back to the server, which
/// writes them to the access log and metrics once the response is sent.
struct exchange {
  std::string request_id;           ///< X-Request-Id of the request, or one the server generated
  std::string_view route = "-";     ///< label of the matched route; stays valid while `pin` lives
  std::shared_ptr<const void> pin;  ///< keeps what `route` points into alive
  std::chrono::microseconds upstream_time{0};
  tcp::endpoint remote;
  /// Whatever the handler wants the observer to have (e.g. the route's metric series);
  /// valid while `pin` lives.
  const void* observer_data = nullptr;
};

/// Answers requests. Implementations must not throw: every failure is a response.
class handler {
 public:
  virtual ~handler() = default;
  /// Runs on the connection's strand; may await upstream calls.
  virtual asio::awaitable<response> handle(request& req, exchange& ex) = 0;
};

}  // namespace ordergate::http
