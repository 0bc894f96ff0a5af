// ordergate sync JOB: run one job once (for cron or a Kubernetes CronJob).

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "ordergate/http/upstream_client.hpp"
#include "ordergate/jobs/job_runner.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>

namespace ordergate::app {

int run_sync(arguments args) {
  if (wants_help(args) || args.empty()) {
    std::puts(R"(usage: ordergate sync JOB [--since POSITION] [--reset-state]

Runs the job JOB of $ORDERGATE_MAPPINGS once: reads every page of its source,
sends the items whose state changed since it was last sent to its sink (in
batches, or one by one), and records what was accepted in
$ORDERGATE_STATE_DIR/JOB.state.json. Prints one JSON summary line. Exit status 0
only when everything that changed was sent; 1 when items were skipped or not
accepted (they are sent again next run) or the run could not finish; 3 when
another run of the job holds its lock.

Jobs with a cursor (webasyst-imshop) read from their watermark; their first run
sends nothing and starts from the source's newest position.

--since POSITION  jobs with a cursor: read from POSITION instead of the watermark
                  (a backfill, e.g. --since "2026-11-01 00:00:00"); items whose
                  state was already sent are not sent again
--reset-state     set a corrupted state file aside and start again

examples:
  ordergate sync giftcard-market
  ordergate sync webasyst-imshop --since "2026-11-01 00:00:00"
  ORDERGATE_STATE_DIR=/var/lib/ordergate ordergate sync giftcard-market)");
    return args.empty() ? 2 : 0;
  }
  const std::string name(args[0]);
  settings s = settings_from_environment();
  jobs::job_settings js = job_settings_of(s);
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--reset-state") {
      js.reset_state = true;
    } else if (args[i] == "--since" && i + 1 < args.size() && !args[i + 1].empty()) {
      js.since = std::string(args[++i]);
    } else {
      std::fprintf(stderr, "ordergate sync: %s '%.*s' (see ordergate sync --help)\n",
                   args[i] == "--since" ? "--since needs a position, after" : "unknown option",
                   static_cast<int>(args[i].size()), args[i].data());
      return 2;
    }
  }
  const auto loaded = mapping::load_folder(s.mappings, mapping::process_environment());
  if (!loaded.mappings) {
    for (const auto& d : loaded.errors.items())
      std::fprintf(stderr, "%s\n", d.to_string().c_str());
    return 1;
  }
  std::shared_ptr<const mapping::compiled_job> job;
  for (const auto& j : loaded.mappings->jobs) {
    if (j->name == name) job = j;
  }
  if (!job) {
    std::fprintf(stderr, "ordergate sync: no job named '%s' in %s\n", name.c_str(),
                 s.mappings.c_str());
    return 2;
  }
  if (js.since && !job->cursor) {
    std::fprintf(
        stderr,
        "ordergate sync: job %s pages by number, not from a cursor: --since does not apply\n",
        name.c_str());
    return 2;
  }
  boost::asio::io_context ioc;
  http::upstream_client client(ioc.get_executor(), s.upstream);
  pipeline::client_caller caller(client);
  jobs::run_summary summary;
  boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<void> { summary = co_await jobs::run_job(*job, caller, js); },
      [&ioc](std::exception_ptr e) {
        // The run is over: pooled upstream connections and their cleanup timer must not
        // keep the process alive until they expire.
        ioc.stop();
        if (e) std::rethrow_exception(e);
      });
  ioc.run();
  jobs::report(summary, nullptr);
  switch (summary.result) {
    case jobs::run_summary::outcome::ok:
      return 0;
    case jobs::run_summary::outcome::locked:
      return 3;
    default:
      return 1;
  }
}

}  // namespace ordergate::app
