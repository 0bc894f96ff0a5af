#include "mapping/expression_ast.hpp"
#include "mapping/expression_lexer.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace ordergate::mapping {

std::string_view binary_op_text(expr_binary op) noexcept {
  switch (op) {
    case expr_binary::add:
      return "+";
    case expr_binary::sub:
      return "-";
    case expr_binary::mul:
      return "*";
    case expr_binary::div:
      return "/";
    case expr_binary::mod:
      return "%";
    case expr_binary::concat:
      return "++";
    case expr_binary::eq:
      return "==";
    case expr_binary::ne:
      return "!=";
    case expr_binary::lt:
      return "<";
    case expr_binary::le:
      return "<=";
    case expr_binary::gt:
      return ">";
    case expr_binary::ge:
      return ">=";
    case expr_binary::logical_and:
      return "and";
    case expr_binary::logical_or:
      return "or";
    case expr_binary::coalesce:
      return "??";
  }
  return "?";
}

namespace {

class parser {
 public:
  parser(std::string_view text, parse_failure& error) : lex_(text), error_(error) { advance(); }

  std::unique_ptr<ast> parse() {
    auto e = expression();
    if (e && cur_.kind != tok::end)
      return fail(cur_.offset, "unexpected " + describe(cur_) + " after the expression");
    return e;
  }

 private:
  void advance() {
    cur_ = lex_.next();
    if (cur_.kind == tok::error && !failed_) fail(cur_.offset, cur_.text);
  }

  std::unique_ptr<ast> fail(std::uint32_t offset, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ = {offset, std::move(message)};
    }
    return nullptr;
  }

  static std::string describe(const token& t) {
    switch (t.kind) {
      case tok::end:
        return "end of expression";
      case tok::identifier:
        return "name '" + t.text + "'";
      case tok::number:
        return "number " + t.text;
      case tok::string:
        return "string";
      default:
        return "symbol";
    }
  }

  bool expect(tok k, std::string_view what) {
    if (failed_) return false;
    if (cur_.kind != k) {
      fail(cur_.offset, "expected " + std::string(what) + ", found " + describe(cur_));
      return false;
    }
    advance();
    return true;
  }

  static std::unique_ptr<ast> make(ast_op op, std::uint32_t offset) {
    auto n = std::make_unique<ast>();
    n->op = op;
    n->offset = offset;
    return n;
  }

  /// Makes `child` the next child of `parent`; false (and a failure) when that makes the
  /// tree deeper than max_expression_depth. Evaluating, compiling and freeing the tree
  /// recurse once per level, so a chain such as `1+1+1+...` must be bounded as well as
  /// brackets are.
  bool adopt(ast& parent, std::unique_ptr<ast> child) {
    parent.depth = std::max(parent.depth, child->depth + 1);
    parent.children.push_back(std::move(child));
    if (parent.depth <= max_expression_depth) return true;
    fail(parent.offset, too_deep());
    return false;
  }

  static std::string too_deep() {
    return "the expression is nested deeper than " + std::to_string(max_expression_depth) +
           " levels (split it with let)";
  }

  std::unique_ptr<ast> binary(expr_binary op, std::uint32_t offset, std::unique_ptr<ast> l,
                              std::unique_ptr<ast> r) {
    auto n = make(ast_op::binary, offset);
    n->bin = op;
    if (!adopt(*n, std::move(l)) || !adopt(*n, std::move(r))) return nullptr;
    return n;
  }

  /// Counts one level of the parser's own recursion while it lives.
  class nesting {
   public:
    explicit nesting(parser& p) : p_(p) { ++p_.nesting_; }
    ~nesting() { --p_.nesting_; }
    nesting(const nesting&) = delete;
    nesting& operator=(const nesting&) = delete;
    bool too_deep() const { return p_.nesting_ > max_expression_depth; }

   private:
    parser& p_;
  };

  // expression := coalesce ('?' expression ':' expression)?
  std::unique_ptr<ast> expression() {
    const nesting level(*this);
    if (level.too_deep()) return fail(cur_.offset, too_deep());
    auto cond = coalesce();
    if (!cond || cur_.kind != tok::question) return cond;
    const std::uint32_t at = cur_.offset;
    advance();
    auto then = expression();
    if (!then || !expect(tok::colon, "':' of the conditional")) return nullptr;
    auto otherwise = expression();
    if (!otherwise) return nullptr;
    auto n = make(ast_op::conditional, at);
    if (!adopt(*n, std::move(cond)) || !adopt(*n, std::move(then)) ||
        !adopt(*n, std::move(otherwise))) {
      return nullptr;
    }
    return n;
  }

  std::unique_ptr<ast> coalesce() {
    auto left = logical_or();
    while (left && cur_.kind == tok::coalesce) {
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = logical_or();
      if (!right) return nullptr;
      left = binary(expr_binary::coalesce, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> logical_or() {
    auto left = logical_and();
    while (left && cur_.kind == tok::kw_or) {
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = logical_and();
      if (!right) return nullptr;
      left = binary(expr_binary::logical_or, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> logical_and() {
    auto left = logical_not();
    while (left && cur_.kind == tok::kw_and) {
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = logical_not();
      if (!right) return nullptr;
      left = binary(expr_binary::logical_and, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> logical_not() {
    if (cur_.kind != tok::kw_not) return comparison();
    const nesting level(*this);
    if (level.too_deep()) return fail(cur_.offset, too_deep());
    const std::uint32_t at = cur_.offset;
    advance();
    auto operand = logical_not();
    if (!operand) return nullptr;
    auto n = make(ast_op::logical_not, at);
    if (!adopt(*n, std::move(operand))) return nullptr;
    return n;
  }

  std::unique_ptr<ast> comparison() {
    auto left = concatenation();
    if (!left) return nullptr;
    expr_binary op;
    switch (cur_.kind) {
      case tok::eq:
        op = expr_binary::eq;
        break;
      case tok::ne:
        op = expr_binary::ne;
        break;
      case tok::lt:
        op = expr_binary::lt;
        break;
      case tok::le:
        op = expr_binary::le;
        break;
      case tok::gt:
        op = expr_binary::gt;
        break;
      case tok::ge:
        op = expr_binary::ge;
        break;
      default:
        return left;
    }
    const std::uint32_t at = cur_.offset;
    advance();
    auto right = concatenation();
    if (!right) return nullptr;
    return binary(op, at, std::move(left), std::move(right));
  }

  std::unique_ptr<ast> concatenation() {
    auto left = additive();
    while (left && cur_.kind == tok::concat) {
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = additive();
      if (!right) return nullptr;
      left = binary(expr_binary::concat, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> additive() {
    auto left = multiplicative();
    while (left && (cur_.kind == tok::plus || cur_.kind == tok::minus)) {
      const expr_binary op = cur_.kind == tok::plus ? expr_binary::add : expr_binary::sub;
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = multiplicative();
      if (!right) return nullptr;
      left = binary(op, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> multiplicative() {
    auto left = unary();
    while (left &&
           (cur_.kind == tok::star || cur_.kind == tok::slash || cur_.kind == tok::percent)) {
      const expr_binary op = cur_.kind == tok::star    ? expr_binary::mul
                             : cur_.kind == tok::slash ? expr_binary::div
                                                       : expr_binary::mod;
      const std::uint32_t at = cur_.offset;
      advance();
      auto right = unary();
      if (!right) return nullptr;
      left = binary(op, at, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<ast> unary() {
    if (cur_.kind != tok::minus) return postfix();
    const nesting level(*this);
    if (level.too_deep()) return fail(cur_.offset, too_deep());
    const std::uint32_t at = cur_.offset;
    advance();
    auto operand = unary();
    if (!operand) return nullptr;
    if (operand->op == ast_op::number_literal && operand->text[0] != '-') {
      operand->text.insert(0, "-");
      operand->offset = at;
      return operand;
    }
    auto n = make(ast_op::negate, at);
    if (!adopt(*n, std::move(operand))) return nullptr;
    return n;
  }

  std::unique_ptr<ast> postfix() {
    auto left = primary();
    while (left && !failed_) {
      if (cur_.kind == tok::dot) {
        advance();
        if (cur_.kind != tok::identifier && cur_.kind != tok::string && !is_keyword(cur_.kind)) {
          return fail(cur_.offset, "expected a member name after '.', found " + describe(cur_));
        }
        auto n = make(ast_op::member, cur_.offset);
        n->text =
            cur_.kind == tok::string || cur_.kind == tok::identifier ? cur_.text : keyword_text();
        advance();
        if (!adopt(*n, std::move(left))) return nullptr;
        left = std::move(n);
      } else if (cur_.kind == tok::lbracket) {
        const std::uint32_t at = cur_.offset;
        advance();
        auto index = expression();
        if (!index || !expect(tok::rbracket, "']'")) return nullptr;
        auto n = make(ast_op::index, at);
        if (!adopt(*n, std::move(left)) || !adopt(*n, std::move(index))) return nullptr;
        left = std::move(n);
      } else {
        break;
      }
    }
    return left;
  }

  static bool is_keyword(tok k) {
    return k == tok::kw_and || k == tok::kw_or || k == tok::kw_not || k == tok::kw_true ||
           k == tok::kw_false || k == tok::kw_null || k == tok::kw_omit;
  }

  std::string keyword_text() const {
    switch (cur_.kind) {
      case tok::kw_and:
        return "and";
      case tok::kw_or:
        return "or";
      case tok::kw_not:
        return "not";
      case tok::kw_true:
        return "true";
      case tok::kw_false:
        return "false";
      case tok::kw_null:
        return "null";
      case tok::kw_omit:
        return "omit";
      default:
        return cur_.text;
    }
  }

  std::unique_ptr<ast> primary() {
    if (failed_) return nullptr;
    const token t = cur_;
    switch (t.kind) {
      case tok::number:
        advance();
        return literal(ast_op::number_literal, t);
      case tok::string:
        advance();
        return literal(ast_op::string_literal, t);
      case tok::kw_true:
        advance();
        return make(ast_op::true_literal, t.offset);
      case tok::kw_false:
        advance();
        return make(ast_op::false_literal, t.offset);
      case tok::kw_null:
        advance();
        return make(ast_op::null_literal, t.offset);
      case tok::kw_omit:
        advance();
        return make(ast_op::omit_literal, t.offset);
      case tok::identifier:
        advance();
        if (cur_.kind == tok::lparen) return call(t);
        return literal(ast_op::name, t);
      case tok::lparen: {
        advance();
        auto inner = expression();
        if (!inner || !expect(tok::rparen, "')'")) return nullptr;
        return inner;
      }
      case tok::lbracket:
        return array_literal();
      case tok::lbrace:
        return object_literal();
      default:
        return fail(t.offset, "expected a value, found " + describe(t));
    }
  }

  static std::unique_ptr<ast> literal(ast_op op, const token& t) {
    auto n = make(op, t.offset);
    n->text = t.text;
    return n;
  }

  std::unique_ptr<ast> call(const token& name) {
    auto n = make(ast_op::call, name.offset);
    n->text = name.text;
    advance();  // '('
    if (cur_.kind != tok::rparen) {
      while (true) {
        auto arg = argument();
        if (!arg) return nullptr;
        if (!adopt(*n, std::move(arg))) return nullptr;
        if (cur_.kind != tok::comma) break;
        advance();
      }
    }
    if (!expect(tok::rparen, "',' or ')' in the argument list")) return nullptr;
    return n;
  }

  /// An argument may be a lambda: `name => expression`.
  std::unique_ptr<ast> argument() {
    if (cur_.kind == tok::identifier) {
      lexer probe = lex_;
      const token after = probe.next();
      if (after.kind == tok::arrow) {
        auto n = make(ast_op::lambda, cur_.offset);
        n->text = cur_.text;
        advance();
        advance();
        auto body = expression();
        if (!body) return nullptr;
        if (!adopt(*n, std::move(body))) return nullptr;
        return n;
      }
    }
    return expression();
  }

  std::unique_ptr<ast> array_literal() {
    auto n = make(ast_op::array_literal, cur_.offset);
    advance();
    while (cur_.kind != tok::rbracket) {
      auto item = expression();
      if (!item) return nullptr;
      if (!adopt(*n, std::move(item))) return nullptr;
      if (cur_.kind != tok::comma) break;
      advance();
    }
    if (!expect(tok::rbracket, "',' or ']' in the array")) return nullptr;
    return n;
  }

  std::unique_ptr<ast> object_literal() {
    auto n = make(ast_op::object_literal, cur_.offset);
    advance();
    while (cur_.kind != tok::rbrace) {
      if (cur_.kind != tok::identifier && cur_.kind != tok::string) {
        return fail(cur_.offset, "expected a key in the object, found " + describe(cur_));
      }
      n->keys.push_back(cur_.text);
      advance();
      if (!expect(tok::colon, "':' after the key")) return nullptr;
      auto item = expression();
      if (!item) return nullptr;
      if (!adopt(*n, std::move(item))) return nullptr;
      if (cur_.kind != tok::comma) break;
      advance();
    }
    if (!expect(tok::rbrace, "',' or '}' in the object")) return nullptr;
    return n;
  }

  lexer lex_;
  token cur_;
  parse_failure& error_;
  bool failed_ = false;
  std::uint32_t nesting_ = 0;  ///< levels of expression(), unary() and logical_not() open
};

}  // namespace

std::unique_ptr<ast> parse_expression(std::string_view text, parse_failure& error) {
  parser p(text, error);
  auto result = p.parse();
  if (error.message.empty()) return result;
  return nullptr;
}

}  // namespace ordergate::mapping
