#pragma once
// A small blocking HTTP client for tests, with a deadline on every wait so a broken
// server fails a test instead of hanging it. Runs its own io_context on the test thread.

#include "ordergate/http/message.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::http::testing {

using namespace std::chrono_literals;

class test_client {
 public:
  explicit test_client(const tcp::endpoint& server) : stream_(ioc_) { stream_.connect(server); }

  /// Writes raw bytes; false when the server has closed the connection.
  bool send(std::string_view raw) {
    boost::system::error_code ec;
    asio::write(stream_.socket(), asio::buffer(raw.data(), raw.size()), ec);
    return !ec;
  }

  /// Reads one answer; nullopt (and last_error()) when none arrives within `limit`.
  std::optional<response> receive(bool head = false, std::chrono::milliseconds limit = 5s) {
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(16u << 20);
    parser.skip(head);
    stream_.expires_after(limit);
    beast::http::async_read(stream_, buffer_, parser,
                            [this](boost::system::error_code ec, std::size_t) { error_ = ec; });
    run();
    if (error_) return std::nullopt;
    return parser.release();
  }

  /// True when the server closes the connection (EOF or reset) within `limit`;
  /// anything the server still sends is discarded.
  bool closed_by_server(std::chrono::milliseconds limit = 5s) {
    buffer_.clear();
    stream_.expires_after(limit);
    bool closed = false;
    read_until_error(closed);
    run();
    return closed;
  }

  boost::system::error_code last_error() const { return error_; }
  beast::tcp_stream& stream() { return stream_; }

 private:
  void read_until_error(bool& closed) {
    stream_.async_read_some(asio::buffer(sink_),
                            [this, &closed](boost::system::error_code ec, std::size_t) {
                              if (!ec) return read_until_error(closed);
                              closed = ec != beast::error::timeout;
                              error_ = ec;
                            });
  }
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::array<char, 4096> sink_{};
  boost::system::error_code error_;
};

/// "GET <target> HTTP/1.1" with a Host header and the extra header lines given.
inline std::string raw_get(std::string_view target, std::string_view extra_headers = {}) {
  std::string raw = "GET ";
  raw.append(target).append(" HTTP/1.1\r\nHost: test\r\n").append(extra_headers);
  raw.append("\r\n");
  return raw;
}

}  // namespace ordergate::http::testing
