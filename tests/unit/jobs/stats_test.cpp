// Every metric is declared once, in its module's table (ops, pipeline, jobs, http), and
// docs/operations.md lists exactly those, with the same kind and labels.

#include "ordergate/jobs/stats.hpp"
#include "ordergate/core/file.hpp"
#include "ordergate/http/stats.hpp"
#include "ordergate/ops/stats.hpp"
#include "ordergate/pipeline/stats.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ordergate;

namespace {

std::vector<ops::metric_def> every_metric() {
  std::vector<ops::metric_def> out;
  out.insert(out.end(), ops::stats::all.begin(), ops::stats::all.end());
  out.insert(out.end(), pipeline::stats::all.begin(), pipeline::stats::all.end());
  out.insert(out.end(), jobs::stats::all.begin(), jobs::stats::all.end());
  out.insert(out.end(), http::stats::all.begin(), http::stats::all.end());
  return out;
}

std::string kind_name(ops::metric_kind k) {
  switch (k) {
    case ops::metric_kind::counter:
      return "counter";
    case ops::metric_kind::gauge:
      return "gauge";
    case ops::metric_kind::histogram:
      return "histogram";
  }
  return "?";
}

/// "counter `route`, `status`" for a definition, as the docs table writes it.
std::string signature(const ops::metric_def& d) {
  std::string out = kind_name(d.kind);
  for (std::size_t i = 0; i < d.label_count(); ++i)
    out += (i == 0 ? " " : ", ") + std::string("`") + std::string(d.label_names[i]) + "`";
  return out;
}

/// The rows of the metrics table of docs/operations.md: name -> "kind `label`, ...".
std::map<std::string, std::string> documented_metrics() {
  const auto text = core::read_file(std::string(ORDERGATE_SOURCE_DIR) + "/docs/operations.md");
  BOOST_REQUIRE(text);
  std::map<std::string, std::string> out;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("| `ordergate_")) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      while (!cell.empty() && cell.front() == ' ')
        cell.erase(0, 1);
      while (!cell.empty() && cell.back() == ' ')
        cell.pop_back();
      cells.push_back(cell);
    }
    BOOST_REQUIRE_GE(cells.size(), 3u);
    // Labels may carry explanations in parentheses: keep the `names` only.
    std::string labels;
    for (std::size_t at = cells[2].find('`'); at != std::string::npos;
         at = cells[2].find('`', at)) {
      const std::size_t end = cells[2].find('`', at + 1);
      const std::string name = cells[2].substr(at, end - at + 1);
      const std::size_t open = cells[2].rfind('(', at);
      const std::size_t close = cells[2].rfind(')', at);
      const bool in_parentheses =
          open != std::string::npos && (close == std::string::npos || close < open);
      if (!in_parentheses) labels += (labels.empty() ? " " : ", ") + name;
      at = end + 1;
    }
    out[cells[0].substr(1, cells[0].size() - 2)] = cells[1] + labels;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stats_tables)

BOOST_AUTO_TEST_CASE(every_metric_is_declared_in_one_table_only) {
  std::set<std::string_view> names;
  for (const ops::metric_def& d : every_metric())
    BOOST_TEST(names.insert(d.name).second, d.name << " is declared twice");
}

BOOST_AUTO_TEST_CASE(operations_md_lists_every_declared_metric_with_its_kind_and_labels) {
  const auto documented = documented_metrics();
  for (const ops::metric_def& d : every_metric()) {
    const auto it = documented.find(std::string(d.name));
    BOOST_TEST_REQUIRE((it != documented.end()), d.name << " is not in docs/operations.md");
    BOOST_TEST(it->second == signature(d), d.name);
  }
  BOOST_TEST(documented.size() == every_metric().size(),
             "docs/operations.md lists a metric no table declares");
}

BOOST_AUTO_TEST_SUITE_END()
