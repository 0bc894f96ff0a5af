#pragma once
// Golden cases: tests that ship with the mappings. Each case folder
// mappings/tests/<mapping>/<case>/case.jsonc gives the inbound request, the
// upstream answers by step, the calls the mapping must make and the answer it
// must give (or, for a document mapping, its input and output). An optional
// mappings/tests/<mapping>/defaults.jsonc gives "env" and request "headers"
// shared by the mapping's cases.
//
// Three steps, shared by `ordergate test` and the playground: parse_case checks a
// case's text, run runs a checked case on loaded mappings, and run_case does both
// for a case folder on disk.

#include "ordergate/core/error.hpp"
#include "ordergate/http/upstream_client.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"

#include <rapidjson/document.h>
#include <boost/system/result.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ordergate::tooling::golden {

/// A case folder on disk.
struct test_case {
  std::string mapping;  ///< the mapping file's name without extension
  std::string name;     ///< the case folder's name
  std::string dir;      ///< the case folder
};

/// Every case under `mappings_dir`/tests, sorted by mapping and name.
std::vector<test_case> find_cases(const std::string& mappings_dir);

/// Something wrong with a case: where in it (e.g. "upstream.search.status", empty for
/// the whole case) and what.
struct case_problem {
  std::string path;
  std::string message;

  /// "path: message", or the message alone when there is no path.
  std::string to_string() const;
};

using case_problems = std::vector<case_problem>;

/// Where the `*_file` names of a case are read: relative to `dir`, and only when the
/// file is inside `root` (the tests folder), so that a case cannot read other files.
struct case_files {
  std::string dir;
  std::string root;
};

/// Headers (or variables) in the order the case gives them.
using name_values = std::vector<std::pair<std::string, std::string>>;

/// A body as a case gives it.
struct body_spec {
  enum class kind : std::uint8_t {
    none,
    json,  ///< "body", or "body_file" naming a .json file: sent as given, compared as data
    text,  ///< "body_text", or "body_file" naming another file: the exact text
    form,  ///< "form" (expectations only): compared as an object of strings
  };
  kind given_as = kind::none;
  std::string text;          ///< the bytes sent: a "body" written compactly, or the file's text
  std::string content_type;  ///< the Content-Type it implies, unless headers give one
  const rapidjson::Value* data = nullptr;  ///< json and form expectations: what is compared
};

/// The inbound request of a route case.
struct request_spec {
  std::optional<std::string> method;  ///< default: the route's method
  std::optional<std::string> path;    ///< default: the route's path
  std::optional<std::string> query;   ///< without '?'
  name_values headers;
  body_spec body;
};

/// What one step answers.
struct answer_spec {
  unsigned status = 200;
  std::optional<http::upstream_errc> failure;  ///< a transport failure instead of an answer
  name_values headers;
  body_spec body;
};

/// What one call must look like; only what is given is compared.
struct call_expectation {
  bool called = true;  ///< false (null in the case): the step must not be called
  std::optional<std::string> method;
  std::optional<std::string> url;
  name_values headers;
  body_spec body;
};

struct response_expectation {
  std::optional<unsigned> status;
  name_values headers;
  body_spec body;
};

/// A case read and checked, with every `*_file` read.
struct checked_case {
  std::map<std::string, std::string> env;  ///< over the defaults' env
  bool document = false;                   ///< a document case (input) instead of a route case

  // A route case.
  request_spec request;
  std::map<std::string, answer_spec, std::less<>> upstream;  ///< by step name
  /// Every call the route must make, by step, in the case's order; nullopt: not compared.
  std::optional<std::vector<std::pair<std::string, call_expectation>>> calls;
  std::optional<response_expectation> response;

  // A document case.
  std::string input;                         ///< the input's JSON text
  const rapidjson::Value* output = nullptr;  ///< the expected output...
  const rapidjson::Value* error = nullptr;   ///< ...or the expected error answer

  /// What the rapidjson pointers above point into.
  std::vector<std::shared_ptr<const rapidjson::Document>> storage;
};

/// Reads and checks a case's text (JSONC). Every problem is reported with its path:
/// unknown keys, two bodies in one place, a status outside 100-599, an unknown
/// failure, nesting deeper than 128 levels, a file that cannot be read or lies
/// outside `files.root`.
boost::system::result<checked_case, case_problems> parse_case(std::string_view text,
                                                              const case_files& files);

/// What defaults.jsonc gives every case of a mapping.
struct case_defaults {
  std::map<std::string, std::string> env;
  name_values request_headers;
};

/// Reads and checks a defaults.jsonc text.
boost::system::result<case_defaults, case_problems> parse_defaults(std::string_view text);

/// The environment a case's mappings load with: the defaults' env overridden by the
/// case's (the process environment is not used, so that cases are reproducible).
mapping::environment case_environment(const case_defaults& defaults, const checked_case& c);

/// Differences as readable lines: "<path>:\n    - expected ...\n    + actual   ...".
using differences = std::vector<std::string>;

/// What running a case produced.
struct run_result {
  std::vector<recorded_call> calls;      ///< every upstream request the route rendered
  std::vector<std::string> unanswered;   ///< steps called without an answer in the case
  std::optional<http::response> answer;  ///< a route's answer
  std::optional<std::string> output;     ///< a document's output (JSON)
  std::optional<core::failure> failure;  ///< a document's failure
  differences found;                     ///< against the case's expectations
  bool passed() const { return found.empty(); }
};

/// Runs `c` on the route or document named `mapping` of `set` (loaded with
/// case_environment), exactly as the gateway would answer, offline.
boost::system::result<run_result, case_problems> run(const mapping::mapping_set& set,
                                                     std::string_view mapping,
                                                     const checked_case& c,
                                                     const case_defaults& defaults);

struct outcome {
  bool passed = false;
  std::string report;  ///< what differs, one difference per line ("- expected", "+ actual")
};

/// Reads the case folder `c` and its defaults, loads the mappings of `mappings_dir`
/// with the case's environment and runs the case (`ordergate test`).
outcome run_case(const test_case& c, const std::string& mappings_dir);

}  // namespace ordergate::tooling::golden
