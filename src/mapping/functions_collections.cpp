// Arrays and objects: count, sum, first, last, map, filter, any, all, values,
// keys, join, contains.

#include "mapping/builtins.hpp"

#include <vector>

namespace ordergate::mapping {
namespace {

/// Collects the items of argument 0 (array elements or object values).
bool items_of(const call_env& env, std::vector<value>& out) {
  if (!for_each_item(env.args[0], [&](const value& v) { out.push_back(v); })) {
    env.fail("expected an array or an object, got " + describe(env.args[0]), 0);
    return false;
  }
  return true;
}

value make_array(const call_env& env, const std::vector<value>& items) {
  value* out = allocate_values(env.frame.arena(), items.size());
  std::copy(items.begin(), items.end(), out);
  return value::array(out, static_cast<std::uint32_t>(items.size()));
}

value fn_count(const call_env& env) {
  const value& v = env.args[0];
  if (v.is_nothing()) return value::number(decimal::from_int(0));
  if (v.type() != vtype::array && v.type() != vtype::object) {
    return env.fail("expected an array or an object, got " + describe(v), 0);
  }
  return value::number(decimal::from_int(v.size()));
}

value fn_sum(const call_env& env) {
  decimal total;
  bool ok = true;
  const bool mapped = env.argc > 1;
  const bool iterable = for_each_item(env.args[0], [&](const value& item) {
    if (!ok) return;
    const value v = mapped ? env.apply(1, item) : item;
    if (env.frame.failed()) {
      ok = false;
      return;
    }
    const auto d = numeric(v);
    if (!d) {
      env.frame.fail(core::errc::unmappable,
                     "sum(): expected numbers, got " + describe(v) +
                         (v.type() == vtype::string ? " (convert it with number())" : ""),
                     &v, env.call.where);
      ok = false;
      return;
    }
    const auto next = decimal::add(total, *d);
    if (!next) {
      env.frame.fail(core::errc::unmappable, "sum(): arithmetic overflow", nullptr, env.call.where);
      ok = false;
      return;
    }
    total = *next;
  });
  if (!iterable) return env.fail("expected an array or an object, got " + describe(env.args[0]), 0);
  return ok ? value::number(total) : value();
}

/// Items for which the lambda (argument 1, when given) is truthy, up to `limit`.
bool select(const call_env& env, std::vector<value>& out, std::size_t limit) {
  std::vector<value> all;
  if (!items_of(env, all)) return false;
  for (const value& item : all) {
    if (out.size() >= limit) break;
    if (env.argc > 1) {
      const value keep = env.apply(1, item);
      if (env.frame.failed()) return false;
      if (!truthy(keep)) continue;
    }
    out.push_back(item);
  }
  return true;
}

value fn_first(const call_env& env) {
  std::vector<value> out;
  if (!select(env, out, 1)) return {};
  return out.empty() ? value() : out.front();
}

value fn_last(const call_env& env) {
  std::vector<value> all;
  if (!items_of(env, all)) return {};
  return all.empty() ? value() : all.back();
}

value fn_filter(const call_env& env) {
  std::vector<value> out;
  if (!select(env, out, SIZE_MAX)) return {};
  return make_array(env, out);
}

value fn_map(const call_env& env) {
  std::vector<value> all;
  if (!items_of(env, all)) return {};
  std::vector<value> out;
  out.reserve(all.size());
  for (const value& item : all) {
    value v = env.apply(1, item);
    if (env.frame.failed()) return {};
    if (!v.is_omit()) out.push_back(v);
  }
  return make_array(env, out);
}

value quantifier(const call_env& env, bool want_all) {
  std::vector<value> all;
  if (!items_of(env, all)) return {};
  for (const value& item : all) {
    const bool t = truthy(env.apply(1, item));
    if (env.frame.failed()) return {};
    if (t != want_all) return value::boolean(!want_all);
  }
  return value::boolean(want_all);
}

value fn_any(const call_env& env) {
  return quantifier(env, false);
}
value fn_all(const call_env& env) {
  return quantifier(env, true);
}

value fn_values(const call_env& env) {
  std::vector<value> all;
  if (!items_of(env, all)) return {};
  return make_array(env, all);
}

value fn_keys(const call_env& env) {
  const value& v = env.args[0];
  std::vector<value> out;
  if (const codec::node* n = v.node(); n && n->is_object()) {
    for (const codec::member& m : n->members())
      out.push_back(value::string(m.key));
  } else if (v.type() == vtype::object) {
    for (const field& f : v.computed_fields())
      out.push_back(value::string(f.key));
  } else if (!v.is_nothing()) {
    return env.fail("expected an object, got " + describe(v), 0);
  }
  return make_array(env, out);
}

value fn_join(const call_env& env) {
  std::vector<value> all;
  if (!items_of(env, all)) return {};
  const std::string_view sep = env.argc > 1 ? env.args[1].as_string() : std::string_view();
  std::string out;
  bool first = true;
  for (const value& item : all) {
    if (item.is_nothing()) continue;
    if (!first) out += sep;
    first = false;
    if (item.type() == vtype::string) {
      out += item.as_string();
    } else if (const auto d = numeric(item)) {
      out += d->to_string();
    } else {
      return env.fail("can only join strings and numbers, got " + describe(item), 0);
    }
  }
  return value::string(env.keep(out));
}

value fn_contains(const call_env& env) {
  const value& haystack = env.args[0];
  const value& needle = env.args[1];
  if (haystack.type() == vtype::string) {
    if (needle.type() != vtype::string)
      return env.fail("expected a string to look for, got " + describe(needle), 1);
    return value::boolean(haystack.as_string().find(needle.as_string()) != std::string_view::npos);
  }
  bool found = false;
  if (!for_each_item(haystack, [&](const value& v) { found = found || values_equal(v, needle); })) {
    return env.fail("expected a string, an array or an object, got " + describe(haystack), 0);
  }
  return value::boolean(found);
}

constexpr param A = param::array;
constexpr param L = param::lambda;
constexpr param X = param::any;

const builtin table[] = {
    {"count", 1, 1, {A}, static_type::number, true, fn_count},
    {"sum", 1, 2, {A, L}, static_type::number, true, fn_sum},
    {"first", 1, 2, {A, L}, static_type::unknown, true, fn_first},
    {"last", 1, 1, {A}, static_type::unknown, true, fn_last},
    {"map", 2, 2, {A, L}, static_type::array, true, fn_map},
    {"filter", 2, 2, {A, L}, static_type::array, true, fn_filter},
    {"any", 2, 2, {A, L}, static_type::boolean, true, fn_any},
    {"all", 2, 2, {A, L}, static_type::boolean, true, fn_all},
    {"values", 1, 1, {A}, static_type::array, true, fn_values},
    {"keys", 1, 1, {A}, static_type::array, true, fn_keys},
    {"join", 1, 2, {A, param::string}, static_type::string, true, fn_join},
    {"contains", 2, 2, {X, X}, static_type::boolean, true, fn_contains},
};

}  // namespace

std::span<const builtin> collection_builtins() noexcept {
  return table;
}

}  // namespace ordergate::mapping
