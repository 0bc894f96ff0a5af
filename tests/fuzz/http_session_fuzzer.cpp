// The inbound HTTP side as a client's bytes drive it: the real session (parser with its
// limits, Expect: 100-continue, pipelining, chunked bodies, the request rules, error
// answers, graceful close) in front of the real gateway (router, ops endpoints, every
// bundled route answered offline), over an in-process socket pair, on one thread.
//
// Input: its first byte sets how the rest is cut into writes (1-16 bytes, or n*64), the
// rest is what the client sends; then the client half-closes and reads until the server
// closes. Invariants: every answer is finished (a Content-Length equal to its body, or a
// HEAD answer without body), carries an X-Request-Id, errors are JSON, and every access
// log line parses as JSON.
#include "fuzz_mappings.hpp"
#include "http/server_state.hpp"
#include "http/session.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/pipeline/gateway.hpp"
#include "ordergate/tooling/offline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <memory_resource>

using namespace ordergate;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using local_socket = asio::local::stream_protocol::socket;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// The gateway over the bundled mappings, every vendor call answered by the sample order.
struct world {
  ops::registry registry;
  std::shared_ptr<http::handler> gateway;

  world() {
    std::signal(SIGPIPE, SIG_IGN);
    const auto loaded = mapping::load_folder(std::string(ORDERGATE_SOURCE_DIR) + "/mappings",
                                             fuzz::bundled_environment());
    if (!loaded.mappings) fuzz::broken("the bundled mappings do not load");
    auto caller = std::make_shared<tooling::recording_caller>();
    for (const auto& route : loaded.mappings->routes) {
      for (const auto& step : route->steps) {
        tooling::recorded_answer answer;
        answer.body = std::string(fuzz::sample_order);
        answer.headers.set(bhttp::field::content_type, "application/json");
        caller->answers[step.name] = answer;
      }
    }
    auto health = std::make_shared<pipeline::gateway_health>();
    health->loaded = true;
    gateway = pipeline::build_gateway(*loaded.mappings, caller, registry, health);
  }
};

/// The gateway's own observer (metrics, access log into memory), plus the invariants.
class checking_observer final : public http::server_observer {
 public:
  checking_observer(ops::registry& registry, std::FILE* log)
      : inner_(registry, std::make_shared<ops::access_log>(log)) {}

  void connection_opened() override { inner_.connection_opened(); }
  void connection_closed() override { inner_.connection_closed(); }
  void exchange_done(const http::request& req, const http::response& res, const http::exchange& ex,
                     std::chrono::microseconds duration, std::size_t bytes_in,
                     std::size_t bytes_out) override {
    inner_.exchange_done(req, res, ex, duration, bytes_in, bytes_out);
    const unsigned status = res.result_int();
    if (status < 100 || status > 599) fuzz::broken("status " + std::to_string(status));
    if (res["X-Request-Id"].empty()) fuzz::broken("an answer without X-Request-Id");
    const bool head = req.method() == http::verb::head;
    if (!head && status >= 200 && status != 204 && status != 304 &&
        res[bhttp::field::content_length] != std::to_string(res.body().size())) {
      fuzz::broken("Content-Length differs from the body", res.body());
    }
    if (head && !res.body().empty()) fuzz::broken("a HEAD answer with a body");
    if (status >= 400 && !head) {
      std::pmr::monotonic_buffer_resource arena;
      const auto body = codec::decode_json_copy(res.body(), arena);
      if (!body || !body->find("error") || !body->find("message")) {
        fuzz::broken("an error answer that is not {error, message}", res.body());
      }
    }
  }

 private:
  pipeline::gateway_observer inner_;
};

asio::awaitable<void> send_all(local_socket& client, std::string_view bytes, std::size_t piece) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(piece, bytes.size());
    auto [ec, written] =
        co_await asio::async_write(client, asio::buffer(bytes.data(), n), use_tuple);
    if (ec) co_return;  // the server closed: it answered an error, or had enough
    bytes.remove_prefix(n);
  }
  boost::system::error_code ignored;
  client.shutdown(asio::socket_base::shutdown_send, ignored);
}

asio::awaitable<void> read_all(local_socket& client) {
  char sink[16384];
  for (;;) {
    auto [ec, n] = co_await client.async_read_some(asio::buffer(sink), use_tuple);
    if (ec) co_return;
  }
}

void check_log(char* text, std::size_t size) {
  std::string_view lines(text, size);
  while (!lines.empty()) {
    const std::string_view line = fuzz::take_line(lines);
    std::pmr::monotonic_buffer_resource arena;
    if (!codec::decode_json_copy(line, arena)) fuzz::broken("an access log line is not JSON", line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static world w;
  if (size == 0) return 0;
  const unsigned cut = data[0];
  const std::size_t piece = cut < 16 ? cut + 1 : cut * 64;
  const std::string_view bytes = fuzz::as_text(data + 1, size - 1);

  char* log_text = nullptr;
  std::size_t log_size = 0;
  std::FILE* log = open_memstream(&log_text, &log_size);
  {
    asio::io_context ioc;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) fuzz::broken("socketpair");
    http::tcp::socket server_side(ioc);
    local_socket client(ioc);
    server_side.assign(http::tcp::v4(), fds[0]);
    client.assign(asio::local::stream_protocol(), fds[1]);

    http::server_settings settings;
    settings.limits.header_bytes = 2048;
    settings.limits.body_bytes = 16384;
    auto state = std::make_shared<http::server_state>(
        ioc, settings, w.gateway, std::make_shared<checking_observer>(w.registry, log));
    if (!state->try_admit()) fuzz::broken("no connection slot");
    http::session::start(std::make_shared<http::session>(state, std::move(server_side)));
    asio::co_spawn(ioc, read_all(client), asio::detached);
    asio::co_spawn(ioc, send_all(client, bytes, piece), asio::detached);
    ioc.run();
  }
  std::fclose(log);
  check_log(log_text, log_size);
  std::free(log_text);
  return 0;
}
