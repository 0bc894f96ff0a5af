// ordergate: the command line. Wiring only; every command lives in its own file.

#include "app/commands.hpp"

#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

namespace {

constexpr const char* usage =
    R"(ordergate - an order-format gateway between shops, Imshop, gift-card and marketing platforms

usage: ordergate <command> [options]

commands:
  serve                 run the gateway (routes and jobs of $ORDERGATE_MAPPINGS)
  sync JOB              run a job once (e.g. ordergate sync giftcard-market)
  check [DIR]           validate every mapping file of DIR (default: mappings)
  test [DIR]            run the golden cases of DIR/tests
  translate FILE ...    evaluate one mapping offline on given documents
  playground [DIR]      a page to edit a mapping and its golden cases, answers as you type

Run `ordergate <command> --help` for a command's options and examples.
)";

}  // namespace

namespace ordergate::app {

bool wants_help(arguments args) {
  for (std::string_view a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

}  // namespace ordergate::app

int main(int argc, char** argv) {
  std::vector<std::string_view> all(argv + 1, argv + argc);
  if (all.empty() || all[0] == "-h" || all[0] == "--help" || all[0] == "help") {
    std::fputs(usage, all.empty() ? stderr : stdout);
    return all.empty() ? 2 : 0;
  }
  const std::string_view command = all[0];
  const ordergate::app::arguments rest(all.data() + 1, all.size() - 1);
  try {
    if (command == "check") return ordergate::app::run_check(rest);
    if (command == "test") return ordergate::app::run_test(rest);
    if (command == "translate") return ordergate::app::run_translate(rest);
    if (command == "serve") return ordergate::app::run_serve(rest);
    if (command == "sync") return ordergate::app::run_sync(rest);
    if (command == "playground") return ordergate::app::run_playground(rest);
    if (command == "version" || command == "--version") {
      std::puts("ordergate " ORDERGATE_VERSION);
      return 0;
    }
  } catch (const std::exception& e) {
    // Load-time failures (unreadable CA file, bad listen address...) end up here.
    std::fprintf(stderr, "ordergate %.*s: %s\n", static_cast<int>(command.size()), command.data(),
                 e.what());
    return 1;
  }
  std::fprintf(stderr, "ordergate: unknown command '%.*s'\n\n%s", static_cast<int>(command.size()),
               command.data(), usage);
  return 2;
}
