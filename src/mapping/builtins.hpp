#pragma once
// The functions of the mapping language: each declares its arity and parameter
// kinds (checked at load), whether it can be folded at load, an optional load-time
// preparation (resolve a table, a zone, a template) and its implementation.

#include "ordergate/mapping/expression.hpp"

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace ordergate::mapping {

/// What a parameter accepts, as far as the compiler can tell.
enum class param : std::uint8_t {
  any,
  number,  ///< a number (or something whose type is only known at run time)
  string,
  array,   ///< an array or an object (whose values are iterated)
  lambda,  ///< `x => expression`, evaluated by the function itself
  table,   ///< the bare name of a table declared in the file
  time,
};

/// Static type of an expression: a vtype, or `unknown` until run time.
enum class static_type : std::uint8_t {
  unknown,
  null,
  boolean,
  number,
  string,
  array,
  object,
  time
};

std::string_view static_type_name(static_type t) noexcept;

/// What an implementation gets: evaluated arguments (lambdas and tables are not
/// evaluated) and helpers to report errors and apply lambdas.
struct call_env {
  const expr& call;
  mapping::frame& frame;
  const value* args;
  std::uint32_t argc;

  /// Records a failure blaming argument `culprit` (or none when -1) and returns null.
  value fail(std::string_view message, int culprit = -1,
             core::errc code = core::errc::unmappable) const;
  /// Evaluates the lambda given as argument `i` with its parameter bound to `v`.
  value apply(std::uint32_t i, const value& v) const;
  /// Copies a computed string into the arena.
  std::string_view keep(std::string_view s) const;
};

/// What the load-time preparation of a call sees.
struct prepare_env {
  expr& call;
  const void* tables;  ///< the file's tables (opaque here; see compiler)
  std::pmr::memory_resource& pool;
  std::string error;  ///< set to refuse the call at load
};

struct builtin {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;
  std::array<param, 4> params;  ///< kinds of the first four parameters (extra: any)
  static_type result;
  bool pure;  ///< same arguments, same result: may be folded at load
  value (*eval)(const call_env& env);
  void (*prepare)(prepare_env& env) = nullptr;
};

/// The function named `name`, or nullptr.
const builtin* find_builtin(std::string_view name) noexcept;

/// Every function (for "did you mean" suggestions and documentation checks).
std::span<const builtin* const> all_builtins() noexcept;

// Each group of functions lives in its own file and lists itself here.
std::span<const builtin> conversion_builtins() noexcept;
std::span<const builtin> text_builtins() noexcept;
std::span<const builtin> collection_builtins() noexcept;
std::span<const builtin> time_builtins() noexcept;
std::span<const builtin> table_builtins() noexcept;

/// A human description of a value for error messages: `"Lost"`, `12.5`, `null`, `an object`.
std::string describe(const value& v);

}  // namespace ordergate::mapping
