#pragma once
// The parsed (not yet compiled) form of a mapping expression.

#include "ordergate/mapping/expression.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ordergate::mapping {

enum class ast_op : std::uint8_t {
  null_literal,
  true_literal,
  false_literal,
  number_literal,  // text: the literal
  string_literal,  // text: the decoded string
  omit_literal,
  name,    // text: the identifier
  member,  // children[0] . text
  index,   // children[0][children[1]]
  call,    // text: function name; children: arguments
  lambda,  // text: parameter name; children[0]: body
  negate,
  logical_not,
  binary,          // op: which; children[0], children[1]
  conditional,     // children: condition, then, else
  array_literal,   // children: elements
  object_literal,  // keys[i] -> children[i]
};

struct ast {
  ast_op op = ast_op::null_literal;
  expr_binary bin = expr_binary::add;
  std::string text;
  std::uint32_t offset = 0;  ///< character index in the expression text
  std::vector<std::unique_ptr<ast>> children;
  std::vector<std::string> keys;
  std::uint32_t depth = 1;  ///< levels of this subtree, at most max_expression_depth
};

/// How deeply an expression may nest (brackets, calls, operators chained or prefixed):
/// far more than a person writes, and bounded so that parsing, compiling, evaluating and
/// freeing an expression, which recurse once per level, never exhaust the stack.
inline constexpr std::uint32_t max_expression_depth = 256;

struct parse_failure {
  std::uint32_t offset;
  std::string message;
};

/// Parses an expression; on failure fills `error` and returns nullptr.
std::unique_ptr<ast> parse_expression(std::string_view text, parse_failure& error);

}  // namespace ordergate::mapping
