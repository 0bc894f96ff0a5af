#pragma once
// Webasyst's search hashes as the sandbox shop reads them:
// "search/contact_id=3||4&update_datetime>=2026-11-30 19:15:30". Conditions compare an
// order column with `=`, `!=`, `>=`, `<=`, `>` or `<`; `||` separates alternatives.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::sandbox {

struct hash_condition {
  std::string field;
  std::string op;                   ///< "=", "!=", ">=", "<=", ">", "<"
  std::vector<std::string> values;  ///< alternatives (`||`)
};

/// The conditions of `hash` (after "search/"); a condition without an operator is
/// dropped, as Webasyst ignores what it cannot read.
std::vector<hash_condition> parse_search_hash(std::string_view hash);

/// Whether a column holding `actual` (nullopt: SQL NULL, which matches nothing)
/// satisfies `c`. Integers compare as numbers, anything else as text.
bool satisfies(const hash_condition& c, const std::optional<std::string>& actual);

/// SQL order of two column values: NULL first, integers as numbers, else text.
int compare_columns(const std::optional<std::string>& a, const std::optional<std::string>& b);

}  // namespace ordergate::sandbox
