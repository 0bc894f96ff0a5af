// ordergate playground [DIR]: a page to edit a mapping and a golden case and watch the
// answer change. Wiring only: the site and its API live in tooling/playground.

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "ordergate/http/server.hpp"
#include "ordergate/tooling/playground.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace ordergate::app {
namespace {

constexpr const char* help =
    R"(usage: ordergate playground [DIR] [--listen ADDRESS:PORT] [--allow-remote]

Serves a page (default http://127.0.0.1:4195/) to try changes to the mappings of
DIR (default: mappings): pick a mapping and one of its golden cases, edit the
mapping, the request and the recorded upstream answers, and see the answer, each
upstream request and the differences from the expected answer as you type.
Mapping errors are marked where they are, with the message `ordergate check`
prints. It runs the production loader, compiler and route handler offline, as
`ordergate test` does; the edited mapping is never written. "Save as new case"
writes DIR/tests/<mapping>/<name>/case.jsonc.

There is no login and the page writes files: it listens on 127.0.0.1 only, unless
--listen names another address and --allow-remote is given too. Request limits are
the gateway's (ORDERGATE_MAX_BODY_BYTES...). SIGTERM or SIGINT stops it.

examples:
  ordergate playground
  ordergate playground /etc/ordergate/mappings --listen 127.0.0.1:8095)";

struct options {
  std::string dir = "mappings";
  std::string listen = "127.0.0.1:4195";
  bool allow_remote = false;
};

options parse(arguments args) {
  options o;
  bool dir_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--listen" && i + 1 < args.size()) {
      o.listen = args[++i];
    } else if (a == "--allow-remote") {
      o.allow_remote = true;
    } else if (!a.starts_with("--") && !dir_given) {
      o.dir = a;
      dir_given = true;
    } else {
      throw std::runtime_error("unexpected argument '" + std::string(a) + "' (see --help)");
    }
  }
  return o;
}

}  // namespace

int run_playground(arguments args) {
  if (wants_help(args)) {
    std::puts(help);
    return 0;
  }
  const options o = parse(args);
  http::server_settings settings;
  settings.listen = parse_listen(o.listen, "--listen");
  settings.limits = server_limits_from_environment();
  settings.single_thread = true;  // run by this thread alone, below
  if (!settings.listen.address().is_loopback() && !o.allow_remote) {
    throw std::runtime_error("--listen " + o.listen +
                             " is not a loopback address; the playground has no login and "
                             "writes files: add --allow-remote to serve it there anyway");
  }
  if (!std::filesystem::is_directory(o.dir))
    throw std::runtime_error(o.dir + " is not a folder of mapping files");

  boost::asio::io_context ioc(1);
  auto api = std::make_shared<const tooling::playground::workspace>(o.dir);
  http::server server(ioc, settings, tooling::playground::make_site(api));
  const auto bound = server.start();
  if (!bound)
    throw std::runtime_error("cannot listen on " + o.listen + ": " + bound.error().message());
  const std::string address = bound->address().is_v6() ? "[" + bound->address().to_string() + "]"
                                                       : bound->address().to_string();
  std::printf("ordergate playground: http://%s:%u/ (mappings: %s)\n", address.c_str(),
              static_cast<unsigned>(bound->port()), o.dir.c_str());
  std::fflush(stdout);

  boost::asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    // Nothing is long-running: close the connections and stop.
    server.drain(std::chrono::milliseconds(0), std::chrono::seconds(2), [&ioc] { ioc.stop(); });
  });
  ioc.run();
  std::puts("ordergate playground: stopped");
  return 0;
}

}  // namespace ordergate::app
