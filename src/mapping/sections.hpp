#pragma once
// Reading the sections of a mapping file: strict key checking (unknown keys are
// errors, with suggestions), configuration from the environment, tables, input
// checks.

#include "mapping/compiler.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <initializer_list>
#include <string_view>

namespace ordergate::mapping {

/// Reads an object of a mapping file, reporting keys that are not allowed.
class object_reader {
 public:
  object_reader(compile_context& ctx, const source_node& n, std::string_view what,
                const std::vector<std::string_view>& allowed);

  /// The member `key`, or nullptr.
  const source_node* get(std::string_view key) const;
  /// The member `key`; reports it missing when absent.
  const source_node* require(std::string_view key);
  bool ok() const noexcept { return ok_; }
  const source_node& node() const noexcept { return n_; }

 private:
  compile_context& ctx_;
  const source_node& n_;
  std::string what_;
  bool ok_ = true;
};

/// A string member; reports a wrong type.
std::optional<std::string> read_string(compile_context& ctx, const source_node& n,
                                       std::string_view what);
/// An integer member within [min, max].
std::optional<std::int64_t> read_integer(compile_context& ctx, const source_node& n,
                                         std::string_view what, std::int64_t min, std::int64_t max);
std::optional<bool> read_boolean(compile_context& ctx, const source_node& n, std::string_view what);

/// Compiles "config" into the `config` symbol (pushed on ctx); entries whose
/// variable is unset (without a default) or invalid add to `unavailable`.
bool compile_config(compile_context& ctx, const source_node* config, const environment& env,
                    std::vector<std::string>& unavailable);

/// Compiles "tables" into ctx.tables().
bool compile_tables(compile_context& ctx, const source_node* tables);

/// Compiles a check: "integer", "digits?", "string|null", or {"type": ..., "optional": ...}.
/// `aliases` is given for the check of an object's field, which may name other names.
std::optional<check> compile_check(compile_context& ctx, const source_node& spec, bool strings_only,
                                   std::vector<std::string>* aliases = nullptr);

/// Compiles an object of field checks ({"userIdentifier": "digits", ...}) into an object check.
std::optional<check> compile_fields(compile_context& ctx, const source_node& fields,
                                    bool strings_only);

}  // namespace ordergate::mapping
