#include "mapping/sections.hpp"

#include "mapping/time_format.hpp"

#include <boost/url/parse.hpp>

#include <set>

namespace ordergate::mapping {

object_reader::object_reader(compile_context& ctx, const source_node& n, std::string_view what,
                             const std::vector<std::string_view>& allowed)
    : ctx_(ctx), n_(n), what_(what) {
  if (!n.is_object()) {
    ctx.error(n.offset, std::string(what) + " must be an object");
    ok_ = false;
    return;
  }
  std::vector<std::string> names(allowed.begin(), allowed.end());
  std::set<std::string, std::less<>> seen;
  for (const source_member& m : n.members) {
    if (!seen.insert(m.key).second) {
      ctx.error(m.key_offset, "duplicate key '" + m.key + "' in " + what_);
      ok_ = false;
    }
    bool known = false;
    for (std::string_view a : allowed)
      known = known || a == m.key;
    if (!known) {
      std::string hint = suggest(m.key, names);
      if (hint.empty()) {
        hint = " (allowed:";
        for (std::string_view a : allowed)
          hint += " " + std::string(a);
        hint += ")";
      }
      ctx.error(m.key_offset, "unknown key '" + m.key + "' in " + what_ + hint);
      ok_ = false;
    }
  }
}

const source_node* object_reader::get(std::string_view key) const {
  return n_.is_object() ? n_.find(key) : nullptr;
}

const source_node* object_reader::require(std::string_view key) {
  const source_node* v = get(key);
  if (!v && n_.is_object()) {
    ctx_.error(n_.offset, what_ + " needs '" + std::string(key) + "'");
    ok_ = false;
  }
  return v;
}

std::optional<std::string> read_string(compile_context& ctx, const source_node& n,
                                       std::string_view what) {
  if (!n.is_string()) {
    ctx.error(n.offset, std::string(what) + " must be a string");
    return std::nullopt;
  }
  return n.text;
}

std::optional<std::int64_t> read_integer(compile_context& ctx, const source_node& n,
                                         std::string_view what, std::int64_t min,
                                         std::int64_t max) {
  const auto d = n.t == source_node::type::number ? decimal::parse(n.text) : std::nullopt;
  const auto v = d ? d->to_int64() : std::nullopt;
  if (!v || *v < min || *v > max) {
    ctx.error(n.offset, std::string(what) + " must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_boolean(compile_context& ctx, const source_node& n,
                                 std::string_view what) {
  if (n.t != source_node::type::boolean) {
    ctx.error(n.offset, std::string(what) + " must be true or false");
    return std::nullopt;
  }
  return n.boolean;
}

namespace {

/// Checks and normalises one configuration value; returns why it is unusable, or "".
std::string normalise(std::string_view type, const std::string& variable, std::string& text) {
  if (type == "string") return {};
  if (type == "url") {
    const auto url = boost::urls::parse_absolute_uri(text);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
      return variable + " is not an http:// or https:// URL";
    }
    if (url->has_query() || url->has_fragment())
      return variable + " must not have a query or fragment";
    while (!text.empty() && text.back() == '/')
      text.pop_back();
    return {};
  }
  if (type == "timezone") {
    return find_zone(text) ? std::string()
                           : variable + " is not a known IANA time zone: '" + text + "'";
  }
  if (type == "integer") {
    const auto d = decimal::parse(text);
    return d && d->is_integer() ? std::string() : variable + " is not an integer: '" + text + "'";
  }
  if (type == "boolean") {
    return text == "true" || text == "false" ? std::string() : variable + " must be true or false";
  }
  return {};
}

std::string placeholder(std::string_view type, const std::vector<std::string>& one_of) {
  if (!one_of.empty()) return one_of.front();
  if (type == "url") return "http://unset.invalid";
  if (type == "timezone") return "UTC";
  if (type == "integer") return "0";
  if (type == "boolean") return "false";
  return "";
}

value config_value(compile_context& ctx, std::string_view type, const std::string& text) {
  if (type == "integer") return value::number(*decimal::parse(text));
  if (type == "boolean") return value::boolean(text == "true");
  return value::string(ctx.intern(text));
}

}  // namespace

bool compile_config(compile_context& ctx, const source_node* config, const environment& env,
                    std::vector<std::string>& unavailable) {
  symbol s;
  s.name = "config";
  s.form = symbol::kind::constants;
  bool ok = true;
  if (config) {
    if (!config->is_object()) {
      ctx.error(config->offset, "\"config\" must be an object of entries");
      return false;
    }
    for (const source_member& m : config->members) {
      if (!valid_name(m.key)) {
        ctx.error(m.key_offset,
                  "'" + m.key + "' is not a valid config name (letters, digits and '_')");
        ok = false;
        continue;
      }
      const source_node& spec = *m.value;
      std::string variable, type = "string";
      std::optional<std::string> fallback;
      std::vector<std::string> one_of;
      bool optional = false;
      bool secret = false;
      if (spec.is_string()) {
        variable = spec.text;  // shorthand: "name": "ENV_VARIABLE"
      } else {
        object_reader r(ctx, spec, "config entry '" + m.key + "'",
                        {"env", "default", "type", "secret", "optional", "one_of", "description"});
        ok = ok && r.ok();
        if (const auto* e = r.require("env")) variable = read_string(ctx, *e, "env").value_or("");
        if (const auto* d = r.get("default")) {
          if (d->t == source_node::type::number || d->t == source_node::type::boolean) {
            fallback =
                d->t == source_node::type::boolean ? (d->boolean ? "true" : "false") : d->text;
          } else {
            fallback = read_string(ctx, *d, "default");
          }
        }
        if (const auto* t = r.get("type")) {
          type = read_string(ctx, *t, "type").value_or("string");
          if (type != "string" && type != "url" && type != "timezone" && type != "integer" &&
              type != "boolean") {
            ctx.error(t->offset, "config type must be string, url, timezone, integer or boolean");
            ok = false;
          }
        }
        if (const auto* sec = r.get("secret")) {
          const auto flag = read_boolean(ctx, *sec, "secret");
          ok = flag.has_value() && ok;
          secret = flag.value_or(false);
        }
        if (const auto* o = r.get("optional"))
          optional = read_boolean(ctx, *o, "optional").value_or(false);
        if (const auto* list = r.get("one_of")) {
          if (!list->is_array()) ctx.error(list->offset, "one_of must be an array of strings");
          for (const source_node& item : list->items)
            one_of.push_back(item.text);
        }
        if (fallback) {
          std::string probe = *fallback;
          if (const std::string why = normalise(type, "the default of " + m.key, probe);
              !why.empty()) {
            ctx.error(spec.offset, why);
            ok = false;
          }
        }
      }
      std::optional<std::string> text = variable.empty() ? std::nullopt : env(variable);
      if (!text || text->empty()) text = fallback;
      if (secret && text && ctx.secrets) ctx.secrets->push_back(*text);
      value v;
      std::string why;
      if (!text) {
        if (!optional) why = variable + " is not set";
      } else if (why = normalise(type, variable, *text); !why.empty()) {
      } else if (!one_of.empty() &&
                 std::find(one_of.begin(), one_of.end(), *text) == one_of.end()) {
        std::string list;
        for (const std::string& o : one_of)
          list += (list.empty() ? "" : ", ") + o;
        why = variable + " must be one of " + list + ", not '" + *text + "'";
      } else {
        v = config_value(ctx, type, *text);
      }
      if (!why.empty()) {
        // The file stays valid and its routes answer 503; a placeholder of the right
        // type keeps load-time checks of expressions that use the value meaningful.
        unavailable.push_back(std::move(why));
        v = config_value(ctx, type, placeholder(type, one_of));
      }
      s.values.emplace_back(m.key, v);
    }
  }
  ctx.push(std::move(s));
  return ok;
}

bool compile_tables(compile_context& ctx, const source_node* tables) {
  if (!tables) return true;
  if (!tables->is_object()) {
    ctx.error(tables->offset, "\"tables\" must be an object of tables");
    return false;
  }
  bool ok = true;
  for (const source_member& m : tables->members) {
    if (!valid_name(m.key)) {
      ctx.error(m.key_offset,
                "'" + m.key + "' is not a valid table name (letters, digits and '_')");
      ok = false;
      continue;
    }
    if (!m.value->is_object()) {
      ctx.error(m.value->offset, "table '" + m.key + "' must be an object of entries");
      ok = false;
      continue;
    }
    compiled_table table;
    table.name = m.key;
    table.where = ctx.at(m.key_offset);
    for (const source_member& entry : m.value->members) {
      const value v = literal_value(ctx.pool(), *entry.value);
      if (entry.key == "$default") {
        table.fallback = v;
        continue;
      }
      const std::string_view key =
          entry.key.starts_with("$$") ? std::string_view(entry.key).substr(1) : entry.key;
      if (!table.entries.emplace(ctx.intern(key), v).second) {
        ctx.error(entry.key_offset, "duplicate entry '" + entry.key + "' in table " + m.key);
        ok = false;
      }
    }
    if (ctx.tables().count(m.key)) {
      ctx.error(m.key_offset,
                "table '" + m.key + "' is already defined by a table library of this folder");
      ok = false;
      continue;
    }
    ctx.tables().emplace(m.key, std::move(table));
  }
  return ok;
}

namespace {

std::optional<check_type> check_type_from(std::string_view name) {
  static constexpr std::pair<std::string_view, check_type> names[] = {
      {"any", check_type::any},         {"string", check_type::string},
      {"integer", check_type::integer}, {"number", check_type::number},
      {"boolean", check_type::boolean}, {"object", check_type::object},
      {"array", check_type::array},     {"digits", check_type::digits},
  };
  for (const auto& [n, t] : names) {
    if (n == name) return t;
  }
  return std::nullopt;
}

/// "integer?", "string|null", "digits".
bool parse_type_list(compile_context& ctx, const source_node& at, std::string text, check& out) {
  if (text.ends_with("?")) {
    out.optional = true;
    text.pop_back();
  }
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t bar = text.find('|', pos);
    const std::string name =
        text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos);
    if (name == "null") {
      out.nullable = true;
    } else if (const auto t = check_type_from(name)) {
      out.types.push_back(*t);
    } else {
      ctx.error(
          at.offset,
          "unknown type '" + name +
              "' (types: any, string, integer, number, boolean, object, array, digits, null)");
      return false;
    }
    if (bar == std::string::npos) break;
    pos = bar + 1;
  }
  return true;
}

/// A text known at load: a literal string, or an expression of config values and
/// literals (so that a check can depend on configuration).
std::optional<std::string> constant_text(compile_context& ctx, const source_node& n,
                                         std::string_view what) {
  if (!n.is_string()) {
    ctx.error(n.offset, std::string(what) + " must be a string");
    return std::nullopt;
  }
  auto e = compile_value(ctx, n);
  if (!e) return std::nullopt;
  if (!e->is_constant() || e->constant.type() != vtype::string) {
    ctx.error(n.offset, std::string(what) +
                            " must be known at load: a string, or an expression of config values");
    return std::nullopt;
  }
  return std::string(e->constant.as_string());
}

}  // namespace

std::optional<check> compile_check(compile_context& ctx, const source_node& spec, bool strings_only,
                                   std::vector<std::string>* aliases) {
  check out;
  out.strings_only = strings_only;
  if (spec.is_string()) {
    if (!parse_type_list(ctx, spec, spec.text, out)) return std::nullopt;
    note_only_a_type(out);
    return out;
  }
  std::vector<std::string_view> keys = {"type",   "optional", "nullable",   "min",
                                        "max",    "one_of",   "pattern",    "message",
                                        "fields", "items",    "description"};
  if (aliases) keys.push_back("aliases");
  object_reader r(ctx, spec, "a field check", keys);
  if (!r.ok()) return std::nullopt;
  bool ok = true;
  if (const auto* t = r.get("type")) {
    if (t->is_array()) {
      for (const source_node& item : t->items)
        ok = item.is_string() && parse_type_list(ctx, item, item.text, out) && ok;
    } else {
      ok = t->is_string() && parse_type_list(ctx, *t, t->text, out);
    }
  }
  if (const auto* o = r.get("optional"))
    out.optional = read_boolean(ctx, *o, "optional").value_or(false);
  if (const auto* n = r.get("nullable"))
    out.nullable = read_boolean(ctx, *n, "nullable").value_or(false);
  for (const char* bound : {"min", "max"}) {
    if (const auto* b = r.get(bound)) {
      const auto d = b->t == source_node::type::number ? decimal::parse(b->text) : std::nullopt;
      if (!d) {
        ctx.error(b->offset, std::string(bound) + " must be a number");
        ok = false;
      }
      (std::string_view(bound) == "min" ? out.min : out.max) = d;
    }
  }
  if (const auto* list = r.get("one_of")) {
    if (!list->is_array()) {
      ctx.error(list->offset, "one_of must be an array of strings");
      ok = false;
    } else {
      for (const source_node& item : list->items)
        out.one_of.push_back(item.text);
    }
  }
  if (const auto* p = r.get("pattern")) {
    const auto text = constant_text(ctx, *p, "pattern");
    std::string error;
    if (text) out.pattern = compile_pattern(*text, error);
    if (text && !out.pattern) ctx.error(p->offset, "pattern is not a regular expression: " + error);
    if (out.pattern) out.pattern_text = *text;
    ok = ok && out.pattern;
  }
  if (const auto* m = r.get("message")) {
    const auto text = constant_text(ctx, *m, "message");
    ok = ok && text;
    out.message = text.value_or("");
  }
  if (const auto* list = aliases ? r.get("aliases") : nullptr) {
    if (!list->is_array()) {
      ctx.error(list->offset, "aliases must be an array of field names");
      ok = false;
    } else {
      for (const source_node& item : list->items) {
        if (!item.is_string()) {
          ctx.error(item.offset, "aliases must be an array of field names");
          ok = false;
        } else {
          aliases->push_back(item.text);
        }
      }
    }
  }
  if (const auto* fields = r.get("fields")) {
    auto nested = compile_fields(ctx, *fields, strings_only);
    ok = ok && nested.has_value();
    if (nested) out.fields = std::move(nested->fields);
  }
  if (const auto* items = r.get("items")) {
    auto nested = compile_check(ctx, *items, strings_only);
    ok = ok && nested.has_value();
    if (nested) out.items = std::make_shared<check>(std::move(*nested));
  }
  if (!ok) return std::nullopt;
  note_only_a_type(out);
  return out;
}

std::optional<check> compile_fields(compile_context& ctx, const source_node& fields,
                                    bool strings_only) {
  if (!fields.is_object()) {
    ctx.error(fields.offset, "expected an object of field checks, e.g. {\"id\": \"digits\"}");
    return std::nullopt;
  }
  check out;
  out.types = {check_type::object};
  out.strings_only = strings_only;
  bool ok = true;
  for (const source_member& m : fields.members) {
    std::vector<std::string> aliases;
    auto c = compile_check(ctx, *m.value, strings_only, &aliases);
    ok = ok && c.has_value();
    if (c) out.fields.push_back({m.key, std::move(aliases), std::move(*c), {}});
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ordergate::mapping
