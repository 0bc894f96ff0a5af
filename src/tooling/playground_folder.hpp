#pragma once
// What the playground's API knows of a mapping folder (its mappings with golden cases,
// their files and defaults), and the pieces every API call shares: reading a JSON
// request and answering an error.

#include "ordergate/tooling/golden.hpp"
#include "ordergate/tooling/playground.hpp"
#include "tooling/playground_json.hpp"
#include "tooling/playground_parts.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::tooling::playground {

/// A mapping that has golden cases.
struct mapping_entry {
  std::string name;   ///< what tests/<name>/ is called: the route's file stem or document's name
  std::string file;   ///< its mapping file in the folder, e.g. "imshop-order-history.jsonc"
  std::string kind;   ///< "route" or "document"
  std::string label;  ///< "POST /imshop/order-history", "document giftcard-market-order"
  std::vector<std::string> cases;

  bool document() const { return kind == "document"; }
  bool has_case(std::string_view c) const;
};

/// The mappings of `dir` that have golden cases, sorted by name.
std::vector<mapping_entry> catalogue(const std::string& dir);

/// The entry named `name`, or null.
const mapping_entry* find_entry(const std::vector<mapping_entry>& entries, std::string_view name);

/// The mapping files directly in `dir` (*.json, *.jsonc), sorted, as load_folder reads them.
std::vector<std::string> mapping_files(const std::string& dir);

/// The defaults.jsonc of a mapping's cases (none: empty defaults).
boost::system::result<golden::case_defaults, golden::case_problems> read_defaults(
    const std::string& dir, const mapping_entry& entry);

/// Where the files of a case in the folder `case_dir` are read from.
golden::case_files files_of(const std::string& dir, const std::string& case_dir);

/// An error answer: {"error": code, "message": message}.
api_answer error_answer(unsigned status, std::string_view code, std::string_view message);

/// "case_errors": each problem with the part it is in (the first step of its path).
void write_case_errors(json_out& out, const golden::case_problems& problems);

/// A JSON object request of the API.
class api_request {
 public:
  /// Parses `body`; on failure, `error()` is the 400 answer.
  explicit api_request(std::string_view body);

  const std::optional<api_answer>& error() const { return error_; }

  /// The string member `key`; nullopt (and an error answer) when absent or not a string.
  std::optional<std::string> text(const char* key);
  /// The string member `key` when there is one (no error otherwise).
  std::optional<std::string> optional_text(const char* key) const;
  /// The member "parts": an object of strings.
  std::optional<case_parts> parts();

 private:
  rapidjson::Document doc_;
  std::optional<api_answer> error_;
};

}  // namespace ordergate::tooling::playground
