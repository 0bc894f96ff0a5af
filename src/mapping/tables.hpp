#pragma once
// Lookup tables declared in a mapping file, compiled to hash maps at load.

#include "ordergate/mapping/diagnostics.hpp"
#include "ordergate/mapping/value.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ordergate::mapping {

struct compiled_table {
  std::string name;
  std::unordered_map<std::string_view, value> entries;  ///< keys and values live in the pool
  std::optional<value> fallback;                        ///< the table's "default", if any
  location where;
};

/// The key text of a lookup: strings as they are, numbers in shortest form,
/// booleans as true/false; nullopt for anything else.
std::optional<std::string_view> table_key(const value& v, std::string& scratch);

}  // namespace ordergate::mapping
