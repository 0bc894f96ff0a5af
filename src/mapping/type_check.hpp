#pragma once
// What the compiler knows of an expression's type at load: enough to refuse a call
// such as round("x") before any request arrives. Unknown types (a member of a vendor
// answer) are accepted and checked when the expression runs.

#include "mapping/builtins.hpp"
#include "ordergate/mapping/expression.hpp"

#include <string_view>

namespace ordergate::mapping {

/// The type `e` always has, or static_type::unknown.
static_type type_of(const expr& e);

/// True when an argument of type `t` can be passed as `p` (unknown always can).
bool accepts(param p, static_type t);

/// "a number", "a string"...: what `p` needs, for messages.
std::string_view param_text(param p);

}  // namespace ordergate::mapping
