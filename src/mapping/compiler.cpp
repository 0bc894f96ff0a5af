#include "mapping/compiler.hpp"
#include "mapping/type_check.hpp"

#include "mapping/builtins.hpp"
#include "mapping/expression_ast.hpp"

#include <algorithm>

namespace ordergate::mapping {

compile_context::compile_context(const source_file& file, diagnostics& diags, file_storage& storage)
    : file_(file), diags_(diags), storage_(storage) {}

std::uint32_t compile_context::new_slot() noexcept {
  return max_slots_++;
}

const symbol* compile_context::find(std::string_view name) const noexcept {
  for (auto it = symbols_.rbegin(); it != symbols_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

std::vector<std::string> compile_context::visible_names() const {
  std::vector<std::string> names;
  for (const symbol& s : symbols_)
    names.push_back(s.name);
  return names;
}

bool is_expression(std::string_view s) noexcept {
  return !s.empty() && s[0] == '=' && !(s.size() > 1 && s[1] == '=');
}

std::string suggest(std::string_view name, const std::vector<std::string>& candidates) {
  // Levenshtein distance; suggest only close matches.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
      row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

namespace {

codec::node literal_node(std::pmr::memory_resource& pool, const source_node& n) {
  switch (n.t) {
    case source_node::type::null:
      return codec::node::make_null();
    case source_node::type::boolean:
      return codec::node::make_boolean(n.boolean);
    case source_node::type::number:
      return codec::node::make_number(codec::store(pool, n.text));
    case source_node::type::string:
      return codec::node::make_string(codec::store(pool, n.text));
    case source_node::type::array: {
      auto* items = static_cast<codec::node*>(
          pool.allocate(sizeof(codec::node) * (n.items.size() + 1), alignof(codec::node)));
      for (std::size_t i = 0; i < n.items.size(); ++i)
        items[i] = literal_node(pool, n.items[i]);
      return codec::node::make_array(items, static_cast<std::uint32_t>(n.items.size()));
    }
    case source_node::type::object: {
      auto* members = static_cast<codec::member*>(
          pool.allocate(sizeof(codec::member) * (n.members.size() + 1), alignof(codec::member)));
      for (std::size_t i = 0; i < n.members.size(); ++i) {
        members[i] = {codec::store(pool, n.members[i].key),
                      literal_node(pool, *n.members[i].value)};
      }
      return codec::node::make_object(members, static_cast<std::uint32_t>(n.members.size()));
    }
  }
  return codec::node::make_null();
}

}  // namespace

value literal_value(std::pmr::memory_resource& pool, const source_node& n) {
  switch (n.t) {
    case source_node::type::null:
      return value::null();
    case source_node::type::boolean:
      return value::boolean(n.boolean);
    case source_node::type::string:
      return value::string(codec::store(pool, n.text));
    case source_node::type::number:
      if (const auto d = decimal::parse(n.text)) return value::number(*d);
      break;
    default:
      break;
  }
  void* p = pool.allocate(sizeof(codec::node), alignof(codec::node));
  return value::of(new (p) codec::node(literal_node(pool, n)));
}

expr compile_literal(compile_context& ctx, const source_node& n) {
  expr e;
  e.constant = literal_value(ctx.pool(), n);
  e.where = ctx.at(n.offset);
  return e;
}

namespace {

class expression_compiler {
 public:
  expression_compiler(compile_context& ctx, const source_node& n) : ctx_(ctx), node_(n) {}

  std::optional<expr> run(const ast& root) {
    expr e = compile(root);
    if (!ok_) return std::nullopt;
    return e;
  }

 private:
  std::uint32_t file_offset(std::uint32_t ast_offset) const {
    return string_char_offset(ctx_.file(), node_, 1 + ast_offset);  // +1 for the leading '='
  }
  location at(std::uint32_t ast_offset) const { return ctx_.at(file_offset(ast_offset)); }
  expr fail(std::uint32_t ast_offset, std::string message) {
    ctx_.error(file_offset(ast_offset), std::move(message));
    ok_ = false;
    return expr();
  }

  expr compile(const ast& a) {
    expr e;
    e.where = at(a.offset);
    switch (a.op) {
      case ast_op::null_literal:
        return e;
      case ast_op::true_literal:
        e.constant = value::boolean(true);
        return e;
      case ast_op::false_literal:
        e.constant = value::boolean(false);
        return e;
      case ast_op::omit_literal:
        e.constant = value::omit();
        return e;
      case ast_op::number_literal: {
        const auto d = decimal::parse(a.text);
        if (!d) return fail(a.offset, "number " + a.text + " is out of range");
        e.constant = value::number(*d);
        return e;
      }
      case ast_op::string_literal:
        e.constant = value::string(ctx_.intern(a.text));
        return e;
      case ast_op::name:
        return name(a, e);
      case ast_op::member:
        return member(a, e);
      case ast_op::call:
        return call(a, e);
      case ast_op::lambda:
        return fail(a.offset,
                    "a lambda ('" + a.text +
                        " => ...') can only be an argument of map, filter, first, sum, any or all");
      case ast_op::index:
        e.op = expr_op::index;
        break;
      case ast_op::negate:
        e.op = expr_op::negate;
        break;
      case ast_op::logical_not:
        e.op = expr_op::logical_not;
        break;
      case ast_op::conditional:
        e.op = expr_op::conditional;
        break;
      case ast_op::array_literal:
        e.op = expr_op::array;
        break;
      case ast_op::object_literal:
        e.op = expr_op::object;
        for (const std::string& k : a.keys)
          e.keys.push_back(ctx_.intern(k));
        break;
      case ast_op::binary:
        e.op = expr_op::binary;
        e.bin = a.bin;
        break;
    }
    for (const auto& child : a.children)
      e.args.push_back(compile(*child));
    if (!ok_) return e;
    if (e.op == expr_op::binary) check_binary(a, e);
    // Folding an operation already refused would report it a second time.
    if (!ok_) return e;
    return fold(std::move(e), a.offset);
  }

  void check_binary(const ast& a, const expr& e) {
    const bool arithmetic = e.bin == expr_binary::add || e.bin == expr_binary::sub ||
                            e.bin == expr_binary::mul || e.bin == expr_binary::div ||
                            e.bin == expr_binary::mod;
    if (!arithmetic) return;
    for (const expr& side : e.args) {
      const static_type t = type_of(side);
      if (t != static_type::unknown && t != static_type::number) {
        fail(a.offset,
             "'" + std::string(binary_op_text(a.bin)) + "' needs numbers, got " +
                 std::string(static_type_name(t)) +
                 (t == static_type::string ? " (convert it with number(), or join strings with ++)"
                                           : ""));
        return;
      }
    }
  }

  /// Replaces an expression whose inputs are all constant by its value.
  expr fold(expr e, std::uint32_t offset) {
    if (e.op == expr_op::conditional && e.args[0].is_constant()) {
      expr chosen = std::move(e.args[truthy(e.args[0].constant) ? 1 : 2]);
      return chosen;
    }
    if (e.op == expr_op::binary && e.bin == expr_binary::coalesce && e.args[0].is_constant()) {
      expr chosen = std::move(e.args[e.args[0].constant.is_nothing() ? 1 : 0]);
      return chosen;
    }
    if (e.op == expr_op::slot || e.op == expr_op::lambda || e.op == expr_op::constant) return e;
    if (e.op == expr_op::call && !e.fn->pure) return e;
    for (const expr& arg : e.args) {
      if (!arg.is_constant()) return e;
    }
    frame scratch(ctx_.pool(), 0);
    const value v = evaluate(e, scratch);
    if (scratch.failed()) {
      std::string message = scratch.failure()->message;
      const std::string suffix = " (" + e.where.to_string() + ")";
      if (message.size() > suffix.size() && message.ends_with(suffix))
        message.resize(message.size() - suffix.size());
      return fail(offset, message);
    }
    expr folded;
    folded.constant = v;
    folded.where = e.where;
    return folded;
  }

  expr name(const ast& a, expr& e) {
    const symbol* s = ctx_.find(a.text);
    if (!s) {
      std::string hint =
          ctx_.tables().count(a.text) ? " (a table: use lookup(" + a.text + ", key))" : "";
      if (hint.empty()) hint = suggest(a.text, ctx_.visible_names());
      return fail(a.offset, "unknown name '" + a.text + "'" + hint);
    }
    if (s->form != symbol::kind::slot) return fail(a.offset, group_hint(*s));
    e.op = expr_op::slot;
    e.slot = s->slot;
    return e;
  }

  static std::string group_hint(const symbol& s) {
    std::string fields;
    if (s.form == symbol::kind::group) {
      for (const auto& [n, slot] : s.fields)
        fields += (fields.empty() ? "" : ", ") + s.name + "." + n;
    } else {
      for (const auto& [n, v] : s.values)
        fields += (fields.empty() ? "" : ", ") + s.name + "." + n;
    }
    if (fields.empty()) fields = "(none declared)";
    return "'" + s.name + "' is a group of names: use one of " + fields;
  }

  expr member(const ast& a, expr& e) {
    const ast& target = *a.children[0];
    if (target.op == ast_op::name) {
      const symbol* s = ctx_.find(target.text);
      if (s && s->form == symbol::kind::group) {
        for (const auto& [n, slot] : s->fields) {
          if (n == a.text) {
            e.op = expr_op::slot;
            e.slot = slot;
            return e;
          }
        }
        std::vector<std::string> names;
        for (const auto& [n, slot] : s->fields)
          names.push_back(n);
        return fail(a.offset, "'" + s->name + "' has no '" + a.text + "'" + suggest(a.text, names) +
                                  "; " + group_hint(*s));
      }
      if (s && s->form == symbol::kind::constants) {
        for (const auto& [n, v] : s->values) {
          if (n == a.text) {
            e.constant = v;
            return e;
          }
        }
        std::vector<std::string> names;
        for (const auto& [n, v] : s->values)
          names.push_back(n);
        return fail(a.offset,
                    "unknown " + s->name + " value '" + a.text + "'" + suggest(a.text, names));
      }
    }
    e.op = expr_op::member;
    e.key = ctx_.intern(a.text);
    e.args.push_back(compile(target));
    return ok_ ? fold(std::move(e), a.offset) : e;
  }

  expr call(const ast& a, expr& e) {
    const builtin* fn = find_builtin(a.text);
    if (!fn) {
      std::vector<std::string> names;
      for (const builtin* b : all_builtins())
        names.emplace_back(b->name);
      return fail(a.offset, "unknown function '" + a.text + "'" + suggest(a.text, names));
    }
    const auto argc = a.children.size();
    if (argc < fn->min_args || argc > fn->max_args) {
      const std::string range =
          fn->min_args == fn->max_args
              ? std::to_string(fn->min_args)
              : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args);
      return fail(a.offset, a.text + "() takes " + range + " argument" +
                                (fn->max_args == 1 ? "" : "s") + ", got " + std::to_string(argc));
    }
    e.op = expr_op::call;
    e.fn = fn;
    for (std::size_t i = 0; i < argc; ++i) {
      const ast& arg = *a.children[i];
      const param p = i < fn->params.size() ? fn->params[i] : param::any;
      const std::string which = "argument " + std::to_string(i + 1) + " of " + a.text + "()";
      if (p == param::lambda) {
        if (arg.op != ast_op::lambda)
          return fail(arg.offset, which + " must be a lambda such as item => item.price");
        e.args.push_back(lambda(arg));
      } else if (arg.op == ast_op::lambda) {
        return fail(arg.offset, which + " cannot be a lambda");
      } else if (p == param::table) {
        const auto it = arg.op == ast_op::name ? ctx_.tables().find(arg.text) : ctx_.tables().end();
        if (it == ctx_.tables().end()) {
          std::vector<std::string> names;
          for (const auto& [n, t] : ctx_.tables())
            names.push_back(n);
          return fail(arg.offset,
                      which + " must be the name of a table declared in \"tables\"" +
                          (arg.op == ast_op::name ? suggest(arg.text, names) : std::string()));
        }
        e.aux = &it->second;
        expr placeholder;
        placeholder.where = at(arg.offset);
        e.args.push_back(std::move(placeholder));
      } else {
        expr compiled = compile(arg);
        if (!ok_) return e;
        const static_type t = type_of(compiled);
        if (!accepts(p, t)) {
          return fail(arg.offset, which + " must be " + std::string(param_text(p)) + ", got " +
                                      std::string(static_type_name(t)));
        }
        e.args.push_back(std::move(compiled));
      }
      if (!ok_) return e;
    }
    if (fn->prepare) {
      prepare_env env{e, nullptr, ctx_.pool(), {}};
      fn->prepare(env);
      if (!env.error.empty()) return fail(a.offset, a.text + "(): " + env.error);
    }
    return fold(std::move(e), a.offset);
  }

  expr lambda(const ast& a) {
    expr e;
    e.op = expr_op::lambda;
    e.where = at(a.offset);
    e.slot = ctx_.new_slot();
    ctx_.push(symbol{a.text, symbol::kind::slot, e.slot, {}, {}});
    e.args.push_back(compile(*a.children[0]));
    ctx_.pop();
    return e;
  }

  compile_context& ctx_;
  const source_node& node_;
  bool ok_ = true;
};

}  // namespace

std::optional<expr> compile_expression(compile_context& ctx, const source_node& n) {
  const std::string_view text = std::string_view(n.text).substr(1);
  parse_failure failure{0, {}};
  const auto tree = parse_expression(text, failure);
  if (!tree) {
    ctx.error(string_char_offset(ctx.file(), n, 1 + failure.offset),
              "syntax error: " + failure.message);
    return std::nullopt;
  }
  return expression_compiler(ctx, n).run(*tree);
}

std::optional<expr> compile_value(compile_context& ctx, const source_node& n) {
  if (n.is_string() && is_expression(n.text)) return compile_expression(ctx, n);
  if (n.is_string() && n.text.starts_with("==")) {
    expr e;
    e.constant = value::string(ctx.intern(std::string_view(n.text).substr(1)));
    e.where = ctx.at(n.offset);
    return e;
  }
  return compile_literal(ctx, n);
}

}  // namespace ordergate::mapping
