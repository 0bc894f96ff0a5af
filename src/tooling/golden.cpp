// Golden cases on disk (`ordergate test`): find the case folders, read each case and
// its defaults, load the mappings with the case's environment, run, report.

#include "ordergate/tooling/golden.hpp"

#include "ordergate/core/file.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace ordergate::tooling::golden {
namespace {

namespace fs = std::filesystem;

std::string report_of(const case_problems& problems, const std::string& file) {
  std::string report;
  for (const case_problem& p : problems)
    report += "  broken case: " + file + ": " + p.to_string() + "\n";
  return report;
}

}  // namespace

std::vector<test_case> find_cases(const std::string& mappings_dir) {
  std::vector<test_case> cases;
  const fs::path root = fs::path(mappings_dir) / "tests";
  std::error_code ec;
  for (fs::directory_iterator m(root, ec), end; !ec && m != end; m.increment(ec)) {
    std::error_code inner;
    if (!m->is_directory(inner)) continue;
    for (fs::directory_iterator c(m->path(), inner); !inner && c != end; c.increment(inner)) {
      std::error_code ignored;  // a folder that cannot be read has no case to run
      if (c->is_directory(ignored) && fs::exists(c->path() / "case.jsonc", ignored)) {
        cases.push_back(
            {m->path().filename().string(), c->path().filename().string(), c->path().string()});
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const test_case& a, const test_case& b) {
    return std::tie(a.mapping, a.name) < std::tie(b.mapping, b.name);
  });
  return cases;
}

outcome run_case(const test_case& tc, const std::string& mappings_dir) {
  const fs::path dir(tc.dir);
  const auto text = core::read_file((dir / "case.jsonc").string());
  if (!text) return {false, "  broken case: cannot read " + (dir / "case.jsonc").string() + "\n"};
  const auto checked =
      parse_case(*text, {dir.string(), (fs::path(mappings_dir) / "tests").string()});
  if (!checked) return {false, report_of(checked.error(), "case.jsonc")};
  case_defaults defaults;
  const fs::path defaults_file = dir.parent_path() / "defaults.jsonc";
  std::error_code ignored;
  if (fs::exists(defaults_file, ignored)) {
    const auto defaults_text = core::read_file(defaults_file.string());
    if (!defaults_text)
      return {false, "  broken case: cannot read " + defaults_file.string() + "\n"};
    auto parsed = parse_defaults(*defaults_text);
    if (!parsed) return {false, report_of(parsed.error(), "defaults.jsonc")};
    defaults = std::move(*parsed);
  }
  const auto loaded = mapping::load_folder(mappings_dir, case_environment(defaults, *checked));
  if (!loaded.mappings) {
    outcome o;
    for (const auto& d : loaded.errors.items())
      o.report += "  " + d.to_string() + "\n";
    return o;
  }
  const auto result = run(*loaded.mappings, tc.mapping, *checked, defaults);
  if (!result) return {false, report_of(result.error(), "case.jsonc")};
  outcome o;
  o.passed = result->passed();
  for (const std::string& d : result->found)
    o.report += "  " + d + "\n";
  return o;
}

}  // namespace ordergate::tooling::golden
