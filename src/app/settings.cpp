#include "app/settings.hpp"

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace ordergate::app {
namespace {

const char* get(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

std::uint64_t number(const char* name, std::uint64_t fallback, std::uint64_t min,
                     std::uint64_t max) {
  const char* v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*end != '\0' || n < min || n > max) {
    throw std::runtime_error(std::string(name) + " must be a whole number from " +
                             std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

}  // namespace

http::tcp::endpoint parse_listen(const std::string& text, const std::string& what) {
  // "0.0.0.0:8080", "127.0.0.1:0", "[::]:8080", ":8080"
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error(what + " must look like address:port");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  char* end = nullptr;
  const unsigned long port = std::strtoul(text.c_str() + colon + 1, &end, 10);
  if (ec || *end != '\0' || port > 65535 || colon + 1 == text.size()) {
    throw std::runtime_error(what + " must look like address:port, e.g. 127.0.0.1:8080");
  }
  return {address, static_cast<unsigned short>(port)};
}

http::server_limits server_limits_from_environment() {
  http::server_limits limits;
  limits.body_bytes = number("ORDERGATE_MAX_BODY_BYTES", limits.body_bytes, 1, 1ull << 30);
  limits.header_bytes = static_cast<std::uint32_t>(
      number("ORDERGATE_MAX_HEADER_BYTES", limits.header_bytes, 512, 1u << 20));
  limits.idle_timeout = std::chrono::seconds(number("ORDERGATE_IDLE_TIMEOUT_SECONDS", 30, 1, 3600));
  limits.request_timeout =
      std::chrono::seconds(number("ORDERGATE_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600));
  limits.max_connections =
      number("ORDERGATE_MAX_CONNECTIONS", limits.max_connections, 1, 1'000'000);
  return limits;
}

settings settings_from_environment() {
  settings s;
  s.server.listen = parse_listen(get("ORDERGATE_LISTEN") ? get("ORDERGATE_LISTEN") : "0.0.0.0:8080",
                                 "ORDERGATE_LISTEN");
  if (const char* m = get("ORDERGATE_MAPPINGS")) s.mappings = m;
  if (const char* d = get("ORDERGATE_STATE_DIR")) s.state_dir = d;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  s.threads = static_cast<unsigned>(number("ORDERGATE_THREADS", cores, 1, 256));
  // serve runs one io_context per thread (cli_serve.cpp): none is run by two.
  s.server.single_thread = s.upstream.single_thread = true;
  s.drain_grace = std::chrono::seconds(number("ORDERGATE_DRAIN_GRACE_SECONDS", 2, 0, 600));
  s.drain_deadline = std::chrono::seconds(number("ORDERGATE_DRAIN_SECONDS", 10, 0, 3600));
  s.server.limits = server_limits_from_environment();
  s.limits.inbound.max_bytes = s.server.limits.body_bytes;
  s.limits.upstream.max_bytes =
      number("ORDERGATE_UPSTREAM_MAX_ANSWER_BYTES", s.limits.upstream.max_bytes, 1024, 1ull << 30);
  s.upstream.max_connections_per_service = number(
      "ORDERGATE_UPSTREAM_MAX_CONNECTIONS", s.upstream.max_connections_per_service, 1, 100'000);
  s.upstream.queue_timeout =
      std::chrono::milliseconds(number("ORDERGATE_UPSTREAM_QUEUE_TIMEOUT_MS", 1'000, 0, 600'000));
  if (const char* ca = get("ORDERGATE_CA_FILE")) s.upstream.ca_file = ca;
  if (const char* log = get("ORDERGATE_ACCESS_LOG")) {
    const std::string v = log;
    if (v != "on" && v != "off") throw std::runtime_error("ORDERGATE_ACCESS_LOG must be on or off");
    s.access_log = v == "on";
  }
  return s;
}

jobs::job_settings job_settings_of(const settings& s) {
  jobs::job_settings js;
  js.state_dir = s.state_dir;
  js.limits = s.limits;
  return js;
}

}  // namespace ordergate::app
