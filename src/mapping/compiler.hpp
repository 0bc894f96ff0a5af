#pragma once
// Turns parsed expressions into compiled ones: resolves names to slots and
// constants, functions to builtins, checks what can be checked at load, and folds
// constant parts.

#include "mapping/source.hpp"
#include "mapping/tables.hpp"
#include "ordergate/mapping/expression.hpp"
#include "ordergate/mapping/output_template.hpp"

#include <map>
#include <memory_resource>
#include <optional>
#include <string>
#include <vector>

namespace ordergate::mapping {

/// A name expressions can use.
struct symbol {
  enum class kind : std::uint8_t {
    slot,       ///< a variable in a frame slot
    group,      ///< a name with fixed fields, each a slot (request.body, search.status...)
    constants,  ///< a name with fixed constant fields (config.x)
  };
  std::string name;
  kind form = kind::slot;
  std::uint32_t slot = 0;
  std::vector<std::pair<std::string, std::uint32_t>> fields;  ///< group fields
  std::vector<std::pair<std::string, value>> values;          ///< constant fields
};

/// What a compiled file owns: its constants and tables. Compiled expressions point
/// into it, so the compiled route, job or document keeps it alive.
struct file_storage {
  std::pmr::monotonic_buffer_resource pool;
  std::map<std::string, compiled_table, std::less<>> tables;
  /// Table libraries whose tables were copied in (their values live in their pools).
  std::vector<std::shared_ptr<const file_storage>> libraries;
};

/// Everything compilation of one file needs.
class compile_context {
 public:
  compile_context(const source_file& file, diagnostics& diags, file_storage& storage);

  const source_file& file() const noexcept { return file_; }
  diagnostics& diags() noexcept { return diags_; }
  std::pmr::memory_resource& pool() noexcept { return storage_.pool; }

  std::uint32_t new_slot() noexcept;
  std::uint32_t slot_count() const noexcept { return max_slots_; }

  void push(symbol s) { symbols_.push_back(std::move(s)); }
  void pop() { symbols_.pop_back(); }
  std::size_t depth() const noexcept { return symbols_.size(); }
  void pop_to(std::size_t depth) { symbols_.resize(depth); }
  const symbol* find(std::string_view name) const noexcept;
  std::vector<std::string> visible_names() const;

  std::map<std::string, compiled_table, std::less<>>& tables() noexcept { return storage_.tables; }

  /// Documents that "$use" can name (compiled before the files that use them).
  using document_map = std::map<std::string, std::shared_ptr<const compiled_document>, std::less<>>;
  const document_map* documents = nullptr;
  /// Why the file being compiled cannot run (missing configuration), also of used documents.
  std::vector<std::string>* unavailable = nullptr;
  /// Where the values of `"secret": true` config entries go (redacted from answers).
  std::vector<std::string>* secrets = nullptr;

  location at(std::uint32_t offset) const { return file_.locate(offset); }
  void error(std::uint32_t offset, std::string message) {
    diags_.add(at(offset), std::move(message));
  }

  /// Copies `s` into the pool (constants and keys live as long as the compiled file).
  std::string_view intern(std::string_view s) { return codec::store(storage_.pool, s); }

 private:
  const source_file& file_;
  diagnostics& diags_;
  file_storage& storage_;
  std::vector<symbol> symbols_;
  std::uint32_t max_slots_ = 0;
};

/// True when a string value of a mapping file is an expression ("= ...").
/// A literal string that starts with '=' is written "==...".
bool is_expression(std::string_view s) noexcept;

/// Compiles the expression in string node `n` (which starts with '=').
std::optional<expr> compile_expression(compile_context& ctx, const source_node& n);

/// A constant expression holding the JSON value `n` (copied into the pool).
expr compile_literal(compile_context& ctx, const source_node& n);

/// A compiled expression for a value of a mapping file: an expression string, or a
/// literal (where a literal string "==x" means "=x").
std::optional<expr> compile_value(compile_context& ctx, const source_node& n);

/// Compiles an output template (literals, "= expressions", $for/$if/$use directives).
std::optional<template_node> compile_template(compile_context& ctx, const source_node& n);

/// Compiles a "let" object: each name is bound in order and visible to the next
/// ones and to whatever is compiled after it (the caller pops them).
std::optional<std::vector<binding>> compile_lets(compile_context& ctx, const source_node& n);

/// True when a name can be a variable: letters, digits, '_' and not starting with a digit.
bool valid_name(std::string_view name) noexcept;

/// "did you mean 'x'?" for the closest candidate, or "".
std::string suggest(std::string_view name, const std::vector<std::string>& candidates);

/// The constant value of a JSON node of a mapping file, built in `pool`.
value literal_value(std::pmr::memory_resource& pool, const source_node& n);

}  // namespace ordergate::mapping
