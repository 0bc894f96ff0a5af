#pragma once
// Golden cases: tests that ship with the mappings. Each case folder
// mappings/tests/<mapping>/<case>/case.jsonc gives the inbound request, the
// upstream answers by step, the calls the mapping must make and the answer it
// must give (or, for a document mapping, its input and output). An optional
// mappings/tests/<mapping>/defaults.jsonc gives "env" and request "headers"
// shared by the mapping's cases.

#include <string>
#include <vector>

namespace ordergate::tooling::golden {

struct test_case {
  std::string mapping;  ///< the mapping file's name without extension
  std::string name;     ///< the case folder's name
  std::string dir;      ///< the case folder
};

/// Every case under `mappings_dir`/tests, sorted by mapping and name.
std::vector<test_case> find_cases(const std::string& mappings_dir);

struct outcome {
  bool passed = false;
  std::string report;  ///< what differs, one difference per line ("- expected", "+ actual")
};

/// Loads the mappings of `mappings_dir` with the case's environment and runs the case.
outcome run_case(const test_case& c, const std::string& mappings_dir);

}  // namespace ordergate::tooling::golden
