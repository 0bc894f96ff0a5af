#pragma once
// Compiling upstream calls (steps), route responses and body formats.

#include "mapping/sections.hpp"

namespace ordergate::mapping {

/// Compiles a step object. `fixed_name` names steps whose name is implied (a
/// job's "source" and "sink"); otherwise the object's "name" is required. The
/// step's answer group (<name>.status/.headers/.body) is pushed on ctx for
/// whatever is compiled after it.
/// `extra_keys` are allowed in the object and left to the caller.
std::optional<step> compile_step(compile_context& ctx, const source_node& n,
                                 std::string_view fixed_name,
                                 const std::vector<std::string_view>& extra_keys = {});

/// Compiles a "response" object.
std::optional<response_spec> compile_response(compile_context& ctx, const source_node& n);

}  // namespace ordergate::mapping
