#pragma once
// A fake vendor API for the tests that need one over real sockets (the upstream client's
// unit tests and the integration tests): a small Beast server on 127.0.0.1 port 0 (plain
// HTTP, or HTTPS with the test certificates), in its own thread, that records every
// request and answers as the test's script says: a status and body, after a delay, held
// until the test releases it, never, raw bytes (garbage, or HTTP the server would not
// write itself) at once or trickled, then a close or more requests, or a silent close or
// reset.
// Requests the script does not answer go to a fallback handler (e.g. the sandbox
// vendors of ordergate/sandbox/sandbox.hpp), or get 404.

#include "ordergate/http/message.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ordergate::testing {

/// What a fake vendor received.
struct recorded_request {
  std::string method;
  std::string target;  ///< path and query, as sent
  http::fields headers;
  std::string body;
  bool keep_alive = true;  ///< the request let the connection stay open

  std::string path() const;   ///< target up to '?'
  std::string query() const;  ///< target after '?', raw (still percent-encoded), or ""
  /// The header's value, or "" when absent.
  std::string header(std::string_view name) const;
};

/// Name/value pairs of a query string or form body, percent-decoded, in order. A '+'
/// stays a '+' (the gateway must encode a space as %20), and a malformed escape is kept
/// as it is, so that wrong encodings show up in comparisons.
using form_pairs = std::vector<std::pair<std::string, std::string>>;
form_pairs decode_form(std::string_view text);
/// `pairs` as "name=value" lines, decoded: readable in a failed comparison.
std::string to_text(const form_pairs& pairs);

/// How a fake vendor answers one request.
struct vendor_reply {
  enum class kind { answer, raw_bytes, close, hang };
  kind k = kind::answer;
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string raw;  ///< the bytes of a `raw_bytes` reply
  /// `raw_bytes`: after them the connection stays open for the next request (they are
  /// whole answers); otherwise it is closed.
  bool keep_open = false;
  /// After the reply, wait for the next request and close without reading it: the
  /// kernel then resets the connection, as when a server's keep-alive timer fires while
  /// a request is on its way.
  bool close_unread_next = false;
  std::chrono::milliseconds byte_gap{0};  ///< > 0: `raw` is written one byte at a time
  std::chrono::milliseconds delay{0};     ///< wait before answering
  bool held = false;                      ///< wait for fake_vendor::release_held() first
  bool reset = false;  ///< `raw_bytes` and `close` end with a TCP reset instead of a FIN

  /// An answer with a JSON body.
  static vendor_reply json(unsigned status, std::string body);
  /// An answer with any content type.
  static vendor_reply text(unsigned status, std::string body, std::string content_type);
  /// `bytes` written as they are (not HTTP), then the connection is closed.
  static vendor_reply garbage(std::string bytes);
  /// `bytes` written as they are (e.g. a hand-made chunked answer), then a close.
  static vendor_reply raw_http(std::string bytes);
  /// `bytes` (whole answers, e.g. interim ones before the last) written as they are; the
  /// connection stays open for the next request.
  static vendor_reply raw_answer(std::string bytes);
  /// `bytes` written one at a time, `gap` apart, then a close.
  static vendor_reply trickle(std::string bytes, std::chrono::milliseconds gap);
  /// The connection is closed without a byte of answer.
  static vendor_reply close_without_answer();
  /// `bytes` (possibly none) written as they are, then the connection is reset (RST).
  static vendor_reply reset_after(std::string bytes);
  /// Nothing is ever written; the connection stays open until the vendor is destroyed.
  static vendor_reply hang();
};

/// The bytes of an HTTP/1.1 answer with Content-Length and the extra header lines given
/// ("Name: value\r\n" each), for raw replies.
std::string answer_bytes(unsigned status, std::string_view body,
                         std::string_view extra_headers = {});

/// Decides the reply to the `index`-th request (0-based, over all connections);
/// nullopt hands the request to the fallback handler.
using vendor_script =
    std::function<std::optional<vendor_reply>(const recorded_request& req, std::size_t index)>;

struct vendor_options {
  /// PEM certificate chain and key to serve HTTPS with (e.g. tests/data/tls/server.pem
  /// and server.key); empty: plain HTTP.
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::shared_ptr<http::handler> fallback;
};

class fake_vendor {
 public:
  explicit fake_vendor(vendor_script script, vendor_options options = {});
  ~fake_vendor();
  fake_vendor(const fake_vendor&) = delete;
  fake_vendor& operator=(const fake_vendor&) = delete;

  unsigned short port() const noexcept { return port_; }
  /// "http://127.0.0.1:PORT" (https:// with a certificate) followed by `path_prefix`.
  std::string url(std::string_view path_prefix = {}) const;

  std::vector<recorded_request> requests() const;
  /// The last request received (a default one before any).
  recorded_request last_request() const;
  std::size_t request_count() const;
  std::size_t connections() const;         ///< connections accepted
  std::size_t closed_connections() const;  ///< connections that ended, by either side
  /// Waits until at least `n` requests arrived; false after `limit`.
  bool wait_for_requests(std::size_t n,
                         std::chrono::milliseconds limit = std::chrono::seconds(20)) const;

  /// Replaces the script for requests that arrive from now on.
  void set_script(vendor_script script);

  /// Lets every held reply (and every later one) be written.
  void release_held();

  struct impl;

 private:
  // Declared first, destroyed last: destroying it destroys the suspended connection
  // coroutines, which hold references to impl_.
  std::unique_ptr<boost::asio::io_context> ioc_;
  std::shared_ptr<impl> impl_;
  std::thread thread_;
  unsigned short port_ = 0;
  bool tls_ = false;
};

/// A script that answers every request with `reply`.
vendor_script always(vendor_reply reply);

/// A Webasyst whose shop.order.getInfo shows the order in state `state` (as the cancel
/// routes read it first); every other request goes to `rest`.
vendor_script order_in_state(std::string state, vendor_script rest);

/// A port on 127.0.0.1 where nothing listens (connections are refused).
unsigned short refusing_port();

}  // namespace ordergate::testing
