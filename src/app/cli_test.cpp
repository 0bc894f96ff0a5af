// ordergate test [DIR]: run the golden cases shipped with the mappings.

#include "app/commands.hpp"
#include "ordergate/tooling/golden.hpp"

#include <cstdio>
#include <string>

namespace ordergate::app {

int run_test(arguments args) {
  if (wants_help(args)) {
    std::puts(R"(usage: ordergate test [DIR] [--only MAPPING[/CASE]]

Runs the golden cases of DIR/tests (DIR defaults to mappings): for each
DIR/tests/<mapping>/<case>/case.jsonc, the mapping runs offline on the case's
request and recorded upstream answers; the calls it makes and the answer it gives
are compared with the case's expectations. Differences are shown as
"- expected" / "+ actual" lines with their path. Exit status 1 on any failure.

examples:
  ordergate test
  ordergate test mappings --only imshop-order-history
  ordergate test mappings --only giftcard-market-import/unknown-status)");
    return 0;
  }
  std::string dir = "mappings";
  std::string only;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--only" && i + 1 < args.size()) {
      only = args[++i];
    } else {
      dir = args[i];
    }
  }
  const auto cases = tooling::golden::find_cases(dir);
  std::size_t passed = 0, failed = 0;
  for (const auto& c : cases) {
    const std::string id = c.mapping + "/" + c.name;
    if (!only.empty() && id != only && c.mapping != only) continue;
    const auto result = tooling::golden::run_case(c, dir);
    if (result.passed) {
      ++passed;
      std::printf("PASS %s\n", id.c_str());
    } else {
      ++failed;
      std::printf("FAIL %s\n%s", id.c_str(), result.report.c_str());
    }
  }
  if (passed + failed == 0) {
    std::printf("no golden cases found under %s/tests\n", dir.c_str());
    return 1;
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace ordergate::app
