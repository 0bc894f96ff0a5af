#pragma once
// Compiled mapping expressions and the frame they are evaluated in. An expression
// is compiled once at load: names are resolved to frame slots or constants,
// functions to their implementation, constant parts are folded. Evaluation does no
// name lookups and never re-parses.

#include "ordergate/core/error.hpp"
#include "ordergate/mapping/diagnostics.hpp"
#include "ordergate/mapping/value.hpp"

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::mapping {

struct builtin;
class evaluator;

enum class expr_op : std::uint8_t {
  constant,  ///< `constant`
  slot,      ///< a variable: frame slot `slot`
  member,    ///< args[0].`key`
  index,     ///< args[0][args[1]]
  call,      ///< `fn`(args...)
  lambda,    ///< parameter in `slot`, body args[0]; only as a function argument
  negate,
  logical_not,
  binary,       ///< `bin`(args[0], args[1])
  conditional,  ///< args[0] ? args[1] : args[2]
  array,        ///< [args...]
  object,       ///< {keys[i]: args[i]}
};

enum class expr_binary : std::uint8_t {
  add,
  sub,
  mul,
  div,
  mod,
  concat,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logical_and,
  logical_or,
  coalesce,
};

/// How an operator is written in a mapping expression: "+", "??", "and"...
std::string_view binary_op_text(expr_binary op) noexcept;

/// One node of a compiled expression tree. Strings it points to live in the
/// compiled mapping's constant pool.
struct expr {
  expr_op op = expr_op::constant;
  expr_binary bin = expr_binary::add;
  std::uint32_t slot = 0;
  value constant;
  std::string_view key;
  codec::position_hint key_hint;  ///< where `key` was last found in an input object
  std::vector<std::string_view> keys;
  const builtin* fn = nullptr;
  const void* aux = nullptr;  ///< data a function prepared at load (a table, a zone...)
  std::vector<expr> args;
  location where;

  bool is_constant() const noexcept { return op == expr_op::constant; }
};

/// An input document an error can point into, and what its errors count as.
struct frame_root {
  const codec::node* root = nullptr;
  std::string_view label;  ///< prefix of paths into it, e.g. "" for the request body
  core::errc code = core::errc::unmappable;
};

/// Why an evaluation failed: the typed error, the input path and the mapping location.
struct eval_failure {
  core::errc code = core::errc::unmappable;
  std::string message;  ///< includes the path and location, ready for the answer
  std::string path;     ///< input path of the offending value, when it came from an input
};

/// Per-evaluation state: variable slots, the arena for computed values, the first error.
class frame {
 public:
  frame(std::pmr::memory_resource& arena, std::uint32_t slot_count);
  /// A frame with its own slots that shares `parent`'s arena, roots and failure
  /// (for rendering a document used by another mapping).
  frame(frame& parent, std::uint32_t slot_count);
  frame(const frame&) = delete;
  frame& operator=(const frame&) = delete;

  value& slot(std::uint32_t i) noexcept { return slots_[i]; }
  std::pmr::memory_resource& arena() noexcept { return arena_; }

  /// Registers an input so that errors about its nodes can name their path.
  void add_root(frame_root root) { top_->roots_.push_back(root); }

  /// Records the first failure. When `culprit` refers to an input node, the message
  /// starts with its path and the code is that of its root (e.g. 502 for an upstream answer).
  void fail(core::errc code, std::string_view message, const value* culprit, const location& where);
  bool failed() const noexcept { return top_->failure_.has_value(); }
  const std::optional<eval_failure>& failure() const noexcept { return top_->failure_; }
  void clear_failure() noexcept { top_->failure_.reset(); }

  /// The path of `n` inside a registered root ("data[3].status"), or nullopt.
  std::optional<std::string> path_of(const codec::node* n, const frame_root** root = nullptr) const;

 private:
  frame* top_;  ///< the frame that owns roots and failure (itself, or a parent's top)
  std::pmr::memory_resource& arena_;
  std::pmr::vector<value> slots_;
  std::pmr::vector<frame_root> roots_;  ///< in the arena, like the slots
  std::optional<eval_failure> failure_;
};

/// evaluate() for any node; evaluate() calls it for all but the commonest.
value evaluate_compound(const expr& e, frame& frame);

/// Evaluates `e` in `frame`. On failure `frame.failed()` is set and null is returned.
/// The commonest nodes, constants, variables (`price` in `price * quantity`) and a
/// variable's member (`order.id`), are read here inline, without a call.
inline value evaluate(const expr& e, frame& frame) {
  if (e.op == expr_op::slot) return frame.slot(e.slot);
  if (e.op == expr_op::constant) return e.constant;
  if (e.op == expr_op::member && e.args[0].op == expr_op::slot)
    return frame.slot(e.args[0].slot).member(e.key, &e.key_hint);
  return evaluate_compound(e, frame);
}

}  // namespace ordergate::mapping
