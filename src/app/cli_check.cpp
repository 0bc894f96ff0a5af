// ordergate check [DIR]: validate every mapping file, listing every error.

#include "app/commands.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <cstdio>
#include <string>

namespace ordergate::app {

int run_check(arguments args) {
  if (wants_help(args)) {
    std::puts(R"(usage: ordergate check [DIR]

Validates and compiles every mapping file (*.json, *.jsonc) of DIR (default:
mappings) as the gateway would at start, and lists every error as
file:line:col: message. Exit status 1 when there is any.

Configuration comes from the environment; a route whose variables are not set
is reported as a note (it would answer 503), not as an error.

examples:
  ordergate check
  ordergate check /etc/ordergate/mappings)");
    return 0;
  }
  const std::string dir = args.empty() ? "mappings" : std::string(args[0]);
  const auto loaded = mapping::load_folder(dir, mapping::process_environment());
  for (const auto& d : loaded.errors.items())
    std::printf("%s\n", d.to_string().c_str());
  if (!loaded.mappings) {
    std::printf("%zu error%s in %s\n", loaded.errors.size(), loaded.errors.size() == 1 ? "" : "s",
                dir.c_str());
    return 1;
  }
  const auto& set = *loaded.mappings;
  for (const auto& r : set.routes) {
    for (const std::string& why : r->unavailable) {
      std::printf("note: %s %s would answer 503: %s\n", r->method.c_str(), r->path.c_str(),
                  why.c_str());
    }
  }
  for (const auto& j : set.jobs) {
    for (const std::string& why : j->unavailable)
      std::printf("note: job %s cannot run: %s\n", j->name.c_str(), why.c_str());
  }
  std::printf("ok: %zu files, %zu routes, %zu jobs, %zu documents\n", loaded.files.size(),
              set.routes.size(), set.jobs.size(), set.documents.size());
  return 0;
}

}  // namespace ordergate::app
