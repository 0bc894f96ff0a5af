#pragma once
// Comparing expected documents of golden cases with actual output.

#include "ordergate/codec/document.hpp"
#include "ordergate/tooling/golden.hpp"

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace ordergate::tooling::golden {

/// Compares an expected JSON value (objects compare regardless of member order,
/// numbers by their exact text; {"$contains": "text"} matches a string holding
/// text, {"$any": true} anything) with an actual document.
void compare_json(const rapidjson::Value& expected, const codec::node& actual,
                  const std::string& path, differences& out);

/// Compares two texts exactly; on a difference, shows where with some context.
void compare_text(const std::string& expected, const std::string& actual, const std::string& what,
                  differences& out);

/// A compact, shortened rendering for messages.
std::string show(const rapidjson::Value& v);
std::string show(const codec::node& n);

}  // namespace ordergate::tooling::golden
