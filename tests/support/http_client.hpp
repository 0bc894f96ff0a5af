#pragma once
// A blocking HTTP/1.1 client over a plain POSIX socket, for driving a server (the
// gateway, or http::server in its unit tests) the way real (and misbehaving) clients do: raw bytes
// in, parsed answers out, pipelining, and noticing when the server closes. Every wait has a
// deadline, so a broken gateway fails a test instead of hanging it.

#include <boost/beast/http/fields.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ordergate::testing {

using namespace std::chrono_literals;

/// One parsed HTTP answer.
struct http_answer {
  unsigned status = 0;
  unsigned version = 11;  ///< 10 or 11
  boost::beast::http::fields headers;
  std::string body;
  bool keep_alive = true;

  /// The header's value, or "" when absent.
  std::string header(std::string_view name) const;
};

/// Header lines of a request, in order.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// The bytes of an HTTP/1.1 request with Host and, when there is a body or the method
/// is POST, Content-Length. A Content-Type is added only when given in `headers`.
std::string make_request(std::string_view method, std::string_view target,
                         std::string_view body = {}, const header_list& headers = {});

/// make_request for a JSON POST (Content-Type: application/json).
std::string post_json(std::string_view target, std::string_view body, header_list headers = {});

/// One client connection to 127.0.0.1:port.
class client_connection {
 public:
  /// Throws std::runtime_error when the connection cannot be made.
  explicit client_connection(unsigned short port);
  ~client_connection();
  client_connection(const client_connection&) = delete;
  client_connection& operator=(const client_connection&) = delete;

  /// Writes all of `bytes`; false when the server has closed or reset the connection.
  bool send(std::string_view bytes);

  /// Half-closes: the server reads EOF after what was sent, and may still answer.
  void shutdown_write();
  /// Closes the connection now (the server reads EOF).
  void close();

  /// Reads the next answer; nullopt when none is complete within `limit` or the server
  /// closed first (see `closed()`). Bytes after it stay buffered for the next call.
  std::optional<http_answer> receive(std::chrono::milliseconds limit = 20s, bool head = false);

  /// Waits for the server to close the connection (EOF or reset), discarding whatever it
  /// still sends; false when it is still open after `limit`.
  bool wait_closed(std::chrono::milliseconds limit = 20s);

  /// True once EOF or a reset was seen.
  bool closed() const noexcept { return closed_; }
  /// Bytes read from the server so far (0: it never said anything).
  std::size_t bytes_received() const noexcept { return received_; }

 private:
  /// Reads what is available within `limit` into pending_; false on timeout or close.
  bool read_more(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string pending_;
  bool closed_ = false;
  std::size_t received_ = 0;
};

/// Sends `raw` on a new connection and reads one answer.
std::optional<http_answer> round_trip(unsigned short port, std::string_view raw,
                                      std::chrono::milliseconds limit = 20s);

}  // namespace ordergate::testing
