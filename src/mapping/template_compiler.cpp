#include "mapping/compiler.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/xml.hpp"
#include "ordergate/mapping/mapping.hpp"

namespace ordergate::mapping {
namespace {

/// True when nothing under `n` is computed, so it can be one constant.
bool is_static(const source_node& n) {
  switch (n.t) {
    case source_node::type::string:
      return !n.text.starts_with("=");
    case source_node::type::array:
      for (const source_node& item : n.items) {
        if (!is_static(item)) return false;
      }
      return true;
    case source_node::type::object:
      for (const source_member& m : n.members) {
        if (m.key.starts_with("$") || !is_static(*m.value)) return false;
      }
      return true;
    default:
      return true;
  }
}

bool is_directive(const source_node& n) {
  for (const source_member& m : n.members) {
    if (m.key.starts_with("$") && !m.key.starts_with("$$")) return true;
  }
  return false;
}

/// The member `key: v` as XML, `<key>v</key>`, when `v` is not an array or an object
/// (which XML writes by the options of the writer, unknown here); empty otherwise, and
/// when XML cannot carry the member (the writer then refuses it with its message).
std::string prepare_xml_member(const codec::member_key& key, const value& v) {
  if (v.type() == vtype::array || v.type() == vtype::object) return {};
  static const codec::xml_encode_options options = [] {
    codec::xml_encode_options o;
    o.root = "r";
    o.declaration = false;
    return o;
  }();
  std::string text;
  {
    codec::xml_writer w(text, options);
    w.begin_object();
    w.key(key);
    write_value(w, v);
    w.end_object();
    if (w.failed()) return {};
  }
  // The member without the root element around it: <r>...</r>.
  const std::size_t open = options.root.size() + 2;  // "<r>"; "</r>" is one byte more
  return text.substr(open, text.size() - 2 * open - 1);
}

/// The member `key: value` as text when `value` is a constant that is written (see
/// tfield::prepared); empty otherwise.
codec::prepared_text prepare_member(const codec::member_key& key, const template_node& value) {
  if (value.kind != tnode_kind::value || !value.e.is_constant() || value.e.constant.is_omit())
    return {};
  codec::prepared_text text;
  {
    codec::json_writer w(text.json);
    w.key(key);
    write_value(w, value.e.constant);
  }
  text.xml = prepare_xml_member(key, value.e.constant);
  return text;
}

class template_compiler {
 public:
  explicit template_compiler(compile_context& ctx) : ctx_(ctx) {}

  std::optional<template_node> compile(const source_node& n) {
    template_node t;
    t.where = ctx_.at(n.offset);
    if (is_static(n) && !(n.is_string() && n.text.starts_with("=="))) {
      t.e = compile_literal(ctx_, n);
      return t;
    }
    switch (n.t) {
      case source_node::type::string: {
        auto e = compile_value(ctx_, n);
        if (!e) return std::nullopt;
        t.e = std::move(*e);
        return t;
      }
      case source_node::type::array: {
        t.kind = tnode_kind::array;
        bool ok = true;
        for (const source_node& item : n.items) {
          auto c = compile(item);
          if (c) t.items.push_back(std::move(*c));
          ok = ok && c.has_value();
        }
        return ok ? std::optional<template_node>(std::move(t)) : std::nullopt;
      }
      case source_node::type::object:
        if (is_directive(n)) return directive(n, std::move(t));
        return object(n, std::move(t));
      default:
        t.e = compile_literal(ctx_, n);
        return t;
    }
  }

 private:
  std::optional<template_node> object(const source_node& n, template_node t) {
    t.kind = tnode_kind::object;
    bool ok = true;
    for (const source_member& m : n.members) {
      auto c = compile(*m.value);
      ok = ok && c.has_value();
      if (!c) continue;
      // "$$name" writes a key that starts with '$'.
      const std::string_view key =
          m.key.starts_with("$$") ? std::string_view(m.key).substr(1) : m.key;
      codec::member_key prepared_key(ctx_.intern(key));
      codec::prepared_text prepared = prepare_member(prepared_key, *c);
      t.fields.push_back({std::move(prepared_key), std::move(*c), std::move(prepared)});
    }
    return ok ? std::optional<template_node>(std::move(t)) : std::nullopt;
  }

  /// Checks that a directive object has only `allowed` keys and all of `required`.
  bool keys_ok(const source_node& n, std::string_view directive,
               std::initializer_list<std::string_view> allowed,
               std::initializer_list<std::string_view> required) {
    bool ok = true;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (const source_member& m : n.members) {
      bool known = false;
      for (std::string_view a : allowed)
        known = known || m.key == a;
      if (!known) {
        ctx_.error(m.key_offset, "unknown key '" + m.key + "' in a " + std::string(directive) +
                                     " directive" + suggest(m.key, names) +
                                     " (allowed: " + join(allowed) + ")");
        ok = false;
      }
    }
    for (std::string_view r : required) {
      if (!n.find(r)) {
        ctx_.error(n.offset,
                   "a " + std::string(directive) + " directive needs '" + std::string(r) + "'");
        ok = false;
      }
    }
    return ok;
  }

  static std::string join(std::initializer_list<std::string_view> items) {
    std::string out;
    for (std::string_view i : items)
      out += (out.empty() ? "" : ", ") + std::string(i);
    return out;
  }

  std::optional<template_node> directive(const source_node& n, template_node t) {
    if (n.find("$for")) return for_each(n, std::move(t));
    if (n.find("$if")) return conditional(n, std::move(t));
    if (n.find("$use")) return use(n, std::move(t));
    for (const source_member& m : n.members) {
      if (m.key.starts_with("$") && !m.key.starts_with("$$")) {
        ctx_.error(m.key_offset, "unknown directive '" + m.key +
                                     "' (directives: $for, $if, $use; write '$" + m.key +
                                     "' for a literal key starting with '$')");
        break;
      }
    }
    return std::nullopt;
  }

  std::optional<expr> expression(const source_node& n, std::string_view what) {
    if (!n.is_string() || !is_expression(n.text)) {
      ctx_.error(n.offset,
                 std::string(what) + " must be an expression (a string starting with '=')");
      return std::nullopt;
    }
    return compile_expression(ctx_, n);
  }

  std::optional<template_node> for_each(const source_node& n, template_node t) {
    if (!keys_ok(n, "$for", {"$for", "$in", "$where", "$let", "$yield"}, {"$for", "$in", "$yield"}))
      return std::nullopt;
    const source_node& var = *n.find("$for");
    if (!var.is_string() || !valid_name(var.text)) {
      ctx_.error(var.offset, "$for names the loop variable, e.g. \"$for\": \"item\"");
      return std::nullopt;
    }
    t.kind = tnode_kind::for_each;
    auto in = expression(*n.find("$in"), "$in");
    if (!in) return std::nullopt;
    t.e = std::move(*in);
    const std::size_t depth = ctx_.depth();
    t.slot = ctx_.new_slot();
    ctx_.push(symbol{var.text, symbol::kind::slot, t.slot, {}, {}});
    bool ok = true;
    if (const source_node* where = n.find("$where")) {
      auto filter = expression(*where, "$where");
      ok = filter.has_value();
      if (filter) t.filter = std::make_unique<expr>(std::move(*filter));
    }
    if (const source_node* lets = n.find("$let")) {
      auto bound = compile_lets(ctx_, *lets);
      ok = ok && bound.has_value();
      if (bound) t.lets = std::move(*bound);
    }
    auto body = compile(*n.find("$yield"));
    ctx_.pop_to(depth);
    if (!ok || !body) return std::nullopt;
    t.items.push_back(std::move(*body));
    return t;
  }

  std::optional<template_node> conditional(const source_node& n, template_node t) {
    if (!keys_ok(n, "$if", {"$if", "$then", "$else"}, {"$if", "$then"})) return std::nullopt;
    t.kind = tnode_kind::conditional;
    auto cond = expression(*n.find("$if"), "$if");
    auto then = compile(*n.find("$then"));
    std::optional<template_node> otherwise;
    if (const source_node* e = n.find("$else")) {
      otherwise = compile(*e);
      if (!otherwise) return std::nullopt;
    }
    if (!cond || !then) return std::nullopt;
    t.e = std::move(*cond);
    t.items.push_back(std::move(*then));
    if (otherwise) t.items.push_back(std::move(*otherwise));
    return t;
  }

  std::optional<template_node> use(const source_node& n, template_node t) {
    if (!keys_ok(n, "$use", {"$use", "$with"}, {"$use", "$with"})) return std::nullopt;
    const source_node& name = *n.find("$use");
    t.kind = tnode_kind::use;
    const auto* docs = ctx_.documents;
    const auto it = docs && name.is_string() ? docs->find(name.text) : decltype(docs->end()){};
    if (!docs || !name.is_string() || it == docs->end()) {
      std::vector<std::string> names;
      if (docs) {
        for (const auto& [k, d] : *docs)
          names.push_back(k);
      }
      ctx_.error(name.offset, "$use names a document mapping (a file with \"document\"); '" +
                                  name.text + "' is not one" + suggest(name.text, names));
      return std::nullopt;
    }
    t.document = it->second;
    if (ctx_.unavailable) {
      ctx_.unavailable->insert(ctx_.unavailable->end(), t.document->unavailable.begin(),
                               t.document->unavailable.end());
    }
    if (ctx_.secrets) {
      ctx_.secrets->insert(ctx_.secrets->end(), t.document->secrets.begin(),
                           t.document->secrets.end());
    }
    auto with = expression(*n.find("$with"), "$with");
    if (!with) return std::nullopt;
    t.e = std::move(*with);
    return t;
  }

  compile_context& ctx_;
};

}  // namespace

bool valid_name(std::string_view name) noexcept {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

std::optional<template_node> compile_template(compile_context& ctx, const source_node& n) {
  return template_compiler(ctx).compile(n);
}

std::optional<std::vector<binding>> compile_lets(compile_context& ctx, const source_node& n) {
  if (!n.is_object()) {
    ctx.error(n.offset,
              "\"let\" is an object of names and expressions, e.g. {\"page\": \"= "
              "request.body.page ?? 1\"}");
    return std::nullopt;
  }
  std::vector<binding> out;
  bool ok = true;
  for (const source_member& m : n.members) {
    if (!valid_name(m.key)) {
      ctx.error(m.key_offset, "'" + m.key + "' is not a valid name (letters, digits and '_')");
      ok = false;
      continue;
    }
    auto e = compile_value(ctx, *m.value);
    binding b{ctx.new_slot(), e ? std::move(*e) : expr()};
    ok = ok && e.has_value();
    ctx.push(symbol{m.key, symbol::kind::slot, b.slot, {}, {}});
    out.push_back(std::move(b));
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ordergate::mapping
