#pragma once
// A scripted upstream for client tests: listens on 127.0.0.1 port 0 (plain or TLS with
// the test certificates), answers each request with what the script says, and counts
// connections. Runs its own io_context thread.

#include "ordergate/http/message.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace ordergate::http::testing {

struct fake_reply {
  std::string raw;           ///< bytes written back as they are
  bool close_after = false;  ///< close the connection after writing `raw`
  bool hang = false;         ///< never answer; the connection stays open
  /// After writing `raw`, wait for the next request and close without reading it: the
  /// kernel then resets the connection, as when a server's keep-alive timer fires while
  /// a request is on its way.
  bool close_unread_next = false;
};

/// An HTTP/1.1 answer with Content-Length and the extra header lines given.
std::string raw_answer(unsigned status, std::string_view body, std::string_view extra_headers = {});

class fake_upstream {
 public:
  /// Called for every request, with its index (0-based) over all connections.
  using script = std::function<fake_reply(const request& req, std::size_t index)>;

  /// `certificate` names a pair in tests/data/tls ("server", "wrong-host"); empty: plain.
  explicit fake_upstream(script s, std::string certificate = {});
  ~fake_upstream();
  fake_upstream(const fake_upstream&) = delete;
  fake_upstream& operator=(const fake_upstream&) = delete;

  unsigned short port() const noexcept { return port_; }
  std::size_t accepted() const noexcept;  ///< connections accepted
  std::size_t requests() const noexcept;  ///< requests read
  std::size_t closed() const noexcept;    ///< connections that ended, by either side
  request last_request() const;

  struct impl;  // public so the .cpp's free coroutines can name it

 private:
  // Declared first, destroyed last: destroying it destroys the suspended connection
  // coroutines, which hold the last references to impl_.
  asio::io_context ioc_;
  std::shared_ptr<impl> impl_;
  std::thread thread_;
  unsigned short port_ = 0;
};

/// A port on 127.0.0.1 where nothing listens (connections are refused).
unsigned short refusing_port();

}  // namespace ordergate::http::testing
