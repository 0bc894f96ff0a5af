#pragma once
// The text side of golden cases, shared by the case reader and the playground: JSONC
// parsed with positions in errors, bounded nesting, compact rewriting.

#include "ordergate/http/upstream_client.hpp"
#include "ordergate/tooling/golden.hpp"

#include <rapidjson/document.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ordergate::tooling::golden {

/// Cases, defaults and expected files may nest this deep and no deeper.
constexpr unsigned max_depth = 128;

/// Parses JSONC (comments, trailing commas) into `doc` without recursion. Returns the
/// error, "syntax error at line L, column C: what", or nullopt.
std::optional<std::string> parse_jsonc(std::string_view text, rapidjson::Document& doc);

/// The path of the first array or object nested deeper than max_depth, if any.
std::optional<std::string> too_deep(const rapidjson::Value& v);

/// `v` written as compact JSON.
std::string compact_json(const rapidjson::Value& v);

/// The text of the file a case names `name` (relative to files.dir), or why it cannot
/// be read: "'<name>' is outside the tests folder" (symbolic links followed) or
/// "cannot read '<name>'".
boost::system::result<std::string, std::string> read_case_file(const case_files& files,
                                                               const std::string& name);

/// The transport failures a case may give, by name.
const std::array<std::pair<std::string_view, http::upstream_errc>, 6>& failure_names();

}  // namespace ordergate::tooling::golden
