// ordergate serve: the long-running gateway. Wiring only: settings, mappings,
// server, signals (SIGTERM drain, SIGHUP reload) and scheduled jobs.

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "ordergate/core/redact.hpp"
#include "ordergate/http/server.hpp"
#include "ordergate/http/upstream_client.hpp"
#include "ordergate/jobs/scheduler.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/ops/access_log.hpp"
#include "ordergate/ops/event_fields.hpp"
#include "ordergate/ops/process_metrics.hpp"
#include "ordergate/pipeline/gateway.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <thread>

namespace ordergate::app {
namespace {

constexpr const char* help = R"(usage: ordergate serve

Runs the gateway: every route of the mapping files in $ORDERGATE_MAPPINGS on
$ORDERGATE_LISTEN, /healthz, /readyz and /metrics, and the jobs that have an
interval. Vendor URLs and tokens come from the environment (see
docs/operations.md); a route whose variables are unset answers 503 naming them.

Signals: SIGTERM or SIGINT drains (readiness turns 503, requests in flight
finish, then exit 0); SIGHUP reloads the mapping folder and keeps the old
mappings when a file is invalid.

examples:
  ORDERGATE_LISTEN=127.0.0.1:8080 WEBASYST_URL=https://shop.example \
  WEBASYST_TOKEN=... IMSHOP_KEY=... ordergate serve
  kill -HUP $(pidof ordergate)   # reload mappings)";

/// Each request allocates and frees the same few hundred kilobytes (its arena, the
/// answer's block, the output). glibc gives the top of the heap back to the system
/// whenever 128 KB of it is free, so a request that ended that way shrank the heap and
/// the next one grew it again: a `brk` call every other request (strace -c). Up to
/// 2 MB of freed memory is kept instead (what glibc itself settles on once a 1 MB block
/// has been mapped and freed); blocks up to 1 MB come from the heap, not from mmap
/// (whose blocks would be unmapped and faulted in again each time).
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 2 << 20);
}

std::vector<std::string> error_lines(const mapping::diagnostics& d) {
  std::vector<std::string> lines;
  for (const auto& item : d.items())
    lines.push_back(item.to_string());
  return lines;
}

void log_unavailable(const mapping::mapping_set& set) {
  for (const auto& r : set.routes) {
    if (r->unavailable.empty()) continue;
    auto missing = r->unavailable;  // an invalid value is quoted, and may be a secret
    for (std::string& why : missing)
      core::redact(why, r->secrets);
    ops::log_event("warn", "route_not_configured",
                   ops::event_fields().add("route", r->label()).add("missing", missing).str());
  }
}

http::upstream_client_settings with_metrics(http::upstream_client_settings s,
                                            ops::registry& registry) {
  s.metrics = &registry;
  return s;
}

/// Everything `serve` runs, wired once.
class gateway_process {
 public:
  explicit gateway_process(settings s)
      : settings_(std::move(s)),
        ioc_(1),
        workers_(make_workers(settings_.threads)),
        client_(ioc_.get_executor(), with_metrics(settings_.upstream, registry_)),
        caller_(std::make_shared<pipeline::client_caller>(client_)),
        health_(std::make_shared<pipeline::gateway_health>()),
        process_metrics_(registry_, ORDERGATE_VERSION),
        signals_(ioc_, SIGTERM, SIGINT, SIGHUP),
        jobs_(ioc_.get_executor(), caller_, job_settings_of(settings_), registry_) {}

  int run() {
    const auto env = mapping::process_environment();
    auto loaded = mapping::load_folder(settings_.mappings, env);
    if (!loaded.mappings) {
      for (const auto& line : error_lines(loaded.errors))
        std::fprintf(stderr, "%s\n", line.c_str());
      ops::log_event("error", "mappings_invalid",
                     ops::event_fields().add("folder", settings_.mappings).str());
      return 1;
    }
    auto observer = std::make_shared<pipeline::gateway_observer>(
        registry_, settings_.access_log ? std::make_shared<ops::access_log>() : nullptr);
    server_.emplace(
        ioc_, with_contexts(settings_.server),
        pipeline::build_gateway(*loaded.mappings, caller_, registry_, health_, settings_.limits),
        observer);
    const auto bound = server_->start();
    if (!bound) {
      ops::log_event("error", "listen_failed",
                     ops::event_fields().add("error", bound.error().message()).str());
      return 1;
    }
    health_->loaded = true;
    process_metrics_.serving();
    log_unavailable(*loaded.mappings);
    jobs_.schedule(*loaded.mappings);
    ops::log_event(
        "info", "listening",
        ops::event_fields()
            .add("address", bound->address().to_string() + ":" + std::to_string(bound->port()))
            .add("mappings", settings_.mappings)
            .add("routes", static_cast<std::int64_t>(loaded.mappings->routes.size()))
            .add("threads", static_cast<std::int64_t>(settings_.threads))
            .str());
    std::fflush(stdout);
    wait_for_signal();
    std::vector<std::thread> threads;
    for (const auto& worker : workers_) {
      threads.emplace_back([&context = *worker] {
        // Kept running while it has no connection; stopped with the main io_context.
        const auto work = boost::asio::make_work_guard(context);
        context.run();
      });
    }
    ioc_.run();
    for (const auto& worker : workers_)
      worker->stop();
    for (auto& t : threads)
      t.join();
    ops::log_event("info", "stopped");
    return 0;
  }

 private:
  // One io_context per further thread, each run by that thread alone: its connections
  // and their upstream connections stay on it, with no strand and no lock shared with
  // the other threads (the main io_context also runs the listener, signals and jobs).
  static std::vector<std::unique_ptr<boost::asio::io_context>> make_workers(unsigned threads) {
    std::vector<std::unique_ptr<boost::asio::io_context>> workers;
    for (unsigned i = 1; i < threads; ++i)
      workers.push_back(std::make_unique<boost::asio::io_context>(1));
    return workers;
  }

  http::server_settings with_contexts(http::server_settings s) {
    s.connection_contexts = {&ioc_};
    for (const auto& worker : workers_)
      s.connection_contexts.push_back(worker.get());
    return s;
  }

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        reload();
        wait_for_signal();
        return;
      }
      drain(signal);
    });
  }

  void reload() {
    auto loaded = mapping::load_folder(settings_.mappings, mapping::process_environment());
    // Metrics before the log line: whoever reads the line may look at /metrics next.
    if (!loaded.mappings) {
      process_metrics_.reload_failed();
      ops::log_event("error", "reload_failed",
                     ops::event_fields()
                         .add("kept", "previous mappings")
                         .add("errors", error_lines(loaded.errors))
                         .str());
      return;
    }
    try {
      server_->set_handler(
          pipeline::build_gateway(*loaded.mappings, caller_, registry_, health_, settings_.limits));
    } catch (const std::exception& e) {
      process_metrics_.reload_failed();
      ops::log_event(
          "error", "reload_failed",
          ops::event_fields().add("kept", "previous mappings").add("error", e.what()).str());
      return;
    }
    log_unavailable(*loaded.mappings);
    jobs_.schedule(*loaded.mappings);
    process_metrics_.reload_succeeded();
    ops::log_event("info", "reloaded",
                   ops::event_fields()
                       .add("routes", static_cast<std::int64_t>(loaded.mappings->routes.size()))
                       .str());
  }

  void drain(int signal) {
    health_->draining = true;  // /readyz answers 503 from now on
    process_metrics_.draining();
    ops::log_event(
        "info", "draining",
        ops::event_fields()
            .add("signal", signal == SIGTERM ? "SIGTERM" : "SIGINT")
            .add("grace_seconds", static_cast<double>(settings_.drain_grace.count()) / 1000)
            .add("deadline_seconds", static_cast<double>(settings_.drain_deadline.count()) / 1000)
            .str());
    std::fflush(stdout);
    jobs_.stop();
    signals_.cancel();
    server_->drain(settings_.drain_grace, settings_.drain_deadline, [this] {
      // Every connection is closed: nothing is left in flight.
      jobs_.stop();
      ioc_.stop();
    });
  }

  settings settings_;
  // Declared before the io_context so that it outlives it: a drain that hits its deadline
  // stops the io_context with sessions still alive, and destroying the io_context's
  // pending handlers ends those sessions, whose observer updates these metrics.
  ops::registry registry_;
  boost::asio::io_context ioc_;
  // Destroyed before the main io_context, after the client: their connections' pending
  // handlers end sessions whose shared state has timers on the main io_context, and the
  // client, going first, has handed its idle connections back to their own io_contexts.
  std::vector<std::unique_ptr<boost::asio::io_context>> workers_;
  http::upstream_client client_;
  std::shared_ptr<pipeline::client_caller> caller_;
  std::shared_ptr<pipeline::gateway_health> health_;
  ops::process_metrics process_metrics_;
  boost::asio::signal_set signals_;
  jobs::scheduler jobs_;
  std::optional<http::server> server_;
};

}  // namespace

int run_serve(arguments args) {
  if (wants_help(args)) {
    std::puts(help);
    return 0;
  }
  keep_freed_memory();
  gateway_process process(settings_from_environment());
  return process.run();
}

}  // namespace ordergate::app
