// ordergate-sandbox: serves fake Webasyst, Imshop, gift-card and market APIs on one
// listener, so that ordergate can be run and tried with curl without real vendors.
// Wiring only: the vendors live in the ordergate_sandbox library.

#include "ordergate/codec/json.hpp"
#include "ordergate/http/exchange_log.hpp"
#include "ordergate/http/server.hpp"
#include "ordergate/ops/access_log.hpp"
#include "ordergate/sandbox/sandbox.hpp"

#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using namespace ordergate;

constexpr std::string_view usage =
    "usage: ordergate-sandbox [--listen HOST:PORT] [--data DIR] [--threads N]\n"
    "                         [--webasyst-token T] [--imshop-key K]\n"
    "                         [--giftcard-token T] [--market-token T]\n"
    "Serves fake vendors under /shop, /imshop, /giftcard and /market.\n"
    "Defaults: --listen 127.0.0.1:9090 --data tests/data --threads 2\n";

struct options {
  std::string listen = "127.0.0.1:9090";
  unsigned threads = 2;
  sandbox::settings vendors;
};

/// Parses argv; prints usage and exits on --help or a mistake.
options parse_options(int argc, char** argv) {
  options o;
  auto fail = [](std::string_view why) {
    std::fprintf(stderr, "ordergate-sandbox: %.*s\n%.*s", static_cast<int>(why.size()), why.data(),
                 static_cast<int>(usage.size()), usage.data());
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fwrite(usage.data(), 1, usage.size(), stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) fail("missing value after " + std::string(flag));
    const std::string value = argv[++i];
    if (flag == "--listen") {
      o.listen = value;
    } else if (flag == "--data") {
      o.vendors.data_dir = value;
    } else if (flag == "--threads") {
      o.threads = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
      if (o.threads < 1 || o.threads > 64) fail("--threads must be 1..64");
    } else if (flag == "--webasyst-token") {
      o.vendors.webasyst_token = value;
    } else if (flag == "--imshop-key") {
      o.vendors.imshop_key = value;
    } else if (flag == "--giftcard-token") {
      o.vendors.giftcard_token = value;
    } else if (flag == "--market-token") {
      o.vendors.market_token = value;
    } else {
      fail("unknown option " + std::string(flag));
    }
  }
  return o;
}

/// "127.0.0.1:9090" or "[::1]:9090"; throws on anything else.
http::tcp::endpoint parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("--listen needs HOST:PORT");
  std::string host(text.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port(text.substr(colon + 1));
  const unsigned long p = std::strtoul(port.c_str(), nullptr, 10);
  if (port.empty() || p > 65535) throw std::invalid_argument("--listen has a bad port");
  return {asio::ip::make_address(host), static_cast<unsigned short>(p)};
}

/// One access-log line per exchange, as the gateway writes them.
class access_observer final : public http::server_observer {
 public:
  void exchange_done(const http::request& req, const http::response& res, const http::exchange& ex,
                     std::chrono::microseconds duration, std::size_t bytes_in,
                     std::size_t bytes_out) override {
    http::log_exchange(log_, req, res, ex, duration, bytes_in, bytes_out);
  }

 private:
  ops::access_log log_;
};

/// `"listen":"...","urls":{...}` for the start line.
std::string start_fields(const http::tcp::endpoint& at) {
  std::string host = at.address().to_string();
  if (at.address().is_v6()) host = "[" + host + "]";
  const std::string base = "http://" + host + ":" + std::to_string(at.port());
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("listen");
  w.string(host + ":" + std::to_string(at.port()));
  w.key("urls");
  w.begin_object();
  w.key("WEBASYST_URL");
  w.string(base + std::string(sandbox::webasyst_prefix));
  w.key("IMSHOP_STATUS_URL");
  w.string(base + std::string(sandbox::imshop_prefix) + "/status");
  w.key("GIFTCARD_URL");
  w.string(base + std::string(sandbox::giftcard_prefix));
  w.key("MARKET_URL");
  w.string(base + std::string(sandbox::market_prefix));
  w.end_object();
  w.end_object();
  return out.substr(1, out.size() - 2);  // the inside of the object, for log_event
}

int run(const options& o) {
  auto vendors = sandbox::make_vendors(o.vendors);
  asio::io_context ioc(static_cast<int>(o.threads));
  http::server_settings settings;
  settings.listen = parse_endpoint(o.listen);
  settings.single_thread = o.threads == 1;
  http::server server(ioc, settings, vendors, std::make_shared<access_observer>());
  const auto bound = server.start();
  if (!bound) {
    std::fprintf(stderr, "ordergate-sandbox: cannot listen on %s: %s\n", o.listen.c_str(),
                 bound.error().message().c_str());
    return 1;
  }
  ops::log_event("info", "sandbox_started", start_fields(*bound));

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    server.drain(std::chrono::milliseconds{0}, std::chrono::seconds{5}, [&] { ioc.stop(); });
  });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < o.threads; ++i)
    pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool)
    t.join();
  ops::log_event("info", "sandbox_stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ordergate-sandbox: %s\n", e.what());
    return 1;
  }
}
