#include "support/http_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/string_body.hpp>
// GCC 12 with the sanitizers reports a false -Wmaybe-uninitialized inside Beast's
// parser (an optional returned as boost::none) where put() is inlined here. (clang has
// no such warning, and would warn about the unknown name.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/beast/http/parser.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace ordergate::testing {
namespace {

namespace bhttp = boost::beast::http;

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

std::string http_answer::header(std::string_view name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : std::string(it->value());
}

std::string make_request(std::string_view method, std::string_view target, std::string_view body,
                         const header_list& headers) {
  std::string raw;
  raw.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [name, value] : headers)
    raw.append(name).append(": ").append(value).append("\r\n");
  if (!body.empty() || method == "POST")
    raw.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  raw.append("\r\n").append(body);
  return raw;
}

std::string post_json(std::string_view target, std::string_view body, header_list headers) {
  headers.emplace_back("Content-Type", "application/json");
  return make_request("POST", target, body, headers);
}

client_connection::client_connection(unsigned short port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

client_connection::~client_connection() {
  if (fd_ >= 0) ::close(fd_);
}

void client_connection::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

void client_connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  closed_ = true;
}

bool client_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool client_connection::read_more(std::chrono::steady_clock::time_point deadline) {
  if (closed_) return false;
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;  // timeout
    break;
  }
  char chunk[16384];
  ssize_t n;
  do {
    n = ::recv(fd_, chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    closed_ = true;  // EOF or reset
    return false;
  }
  pending_.append(chunk, static_cast<std::size_t>(n));
  received_ += static_cast<std::size_t>(n);
  return true;
}

std::optional<http_answer> client_connection::receive(std::chrono::milliseconds limit, bool head) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.skip(head);
  parser.body_limit(64u << 20);
  for (;;) {
    boost::system::error_code ec;
    if (!pending_.empty()) {
      const std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec && ec != bhttp::error::need_more) return std::nullopt;
      if (parser.is_done()) break;
      if (!ec && !pending_.empty()) continue;  // the parser took a piece; offer the rest
    }
    if (!read_more(deadline)) {
      // Closed before a byte of this answer: nothing to end (put_eof asserts on that).
      if (!closed_ || !parser.got_some()) return std::nullopt;
      parser.put_eof(ec);
      if (ec || !parser.is_done()) return std::nullopt;
      break;
    }
  }
  auto message = parser.release();
  http_answer answer;
  answer.status = message.result_int();
  answer.version = message.version();
  answer.keep_alive = message.keep_alive();
  for (const auto& field : message)
    answer.headers.insert(field.name_string(), field.value());
  answer.body = std::move(message.body());
  return answer;
}

bool client_connection::wait_closed(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!closed_) {
    pending_.clear();
    if (!read_more(deadline) && !closed_) return false;
  }
  return true;
}

std::optional<http_answer> round_trip(unsigned short port, std::string_view raw,
                                      std::chrono::milliseconds limit) {
  client_connection connection(port);
  if (!connection.send(raw)) return std::nullopt;
  return connection.receive(limit);
}

}  // namespace ordergate::testing
