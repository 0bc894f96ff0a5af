#pragma once
// JSON helpers for comparing answers and reading log lines.

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace ordergate::testing {

/// `text` re-written compactly with every object's keys sorted, so that two documents
/// compare equal as strings when they are equal as JSON; "<not JSON: text>" otherwise.
std::string canonical_json(std::string_view text);

/// Parses `text`; a document whose HasParseError() is true when it is not JSON.
rapidjson::Document parse_json(std::string_view text);

/// The string member `key` of the JSON object `text`, or nullopt.
std::optional<std::string> json_string(std::string_view text, const char* key);

/// json_string, or "" when there is no such string member.
std::string json_field(std::string_view text, const char* key);

/// True when `line` is a JSON log line whose "event" is `event`.
bool is_event(std::string_view line, std::string_view event);

/// True when `line` is a JSON access-log line (it has a "request_id" and no "event").
bool is_access_line(std::string_view line);

}  // namespace ordergate::testing
