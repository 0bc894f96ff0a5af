#pragma once
// Declared checks of inbound documents: required fields and their types. A route
// rejects bad input with 400 and the path of the first problem before mapping it.

#include "ordergate/codec/document.hpp"
#include "ordergate/mapping/decimal.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ordergate::mapping {

enum class check_type : std::uint8_t {
  any,
  string,
  integer,
  number,
  boolean,
  object,
  array,
  digits,  ///< a string of digits, or a non-negative integer
};

struct field_check;

/// A compiled regular expression of a check (`pattern`); opaque to keep Boost.Regex
/// out of this header.
struct compiled_pattern;

/// Compiles `text` (Perl/ECMAScript syntax) for a full match; nullptr and `error` set
/// when it is not a valid expression.
std::shared_ptr<const compiled_pattern> compile_pattern(std::string_view text, std::string& error);

/// What one value must look like.
struct check {
  std::vector<check_type> types;    ///< accepted types (empty: any)
  bool optional = false;            ///< may be absent
  bool nullable = false;            ///< may be null
  std::optional<decimal> min, max;  ///< numbers: bounds; strings and arrays: length bounds
  std::vector<std::string> one_of;  ///< allowed string values
  /// Strings (and numbers, by their text as written) must match it as a whole.
  std::shared_ptr<const compiled_pattern> pattern;
  std::string pattern_text;
  /// Replaces the generic "must be ..." of a failed type, bound, one_of or pattern check.
  std::string message;
  std::vector<field_check> fields;  ///< objects: their fields
  std::shared_ptr<check> items;     ///< arrays: every element
  bool strings_only = false;        ///< query parameters: values are text ("12" is an integer)
  /// Set at load when one type is all there is to check (no bounds, one_of, pattern,
  /// message, fields or items): a value of that type passes without a full check.
  bool only_a_type = false;
};

/// Sets `only_a_type` of `c` from what it checks.
void note_only_a_type(check& c) noexcept;

struct field_check {
  std::string name;
  /// Other names the field may be sent under; the first present of name, aliases is checked.
  std::vector<std::string> aliases;
  check rule;
  /// Where `name` was last found: senders write their members in the same order.
  codec::position_hint position;
};

struct check_failure {
  std::string path;
  std::string message;
};

/// Checks `n` against `rule`; `path` prefixes the reported path.
std::optional<check_failure> validate(const check& rule, const codec::node& n,
                                      const std::string& path = {});

}  // namespace ordergate::mapping
