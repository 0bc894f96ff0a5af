// Tables and explicit failures: lookup, fail.

#include "mapping/builtins.hpp"
#include "mapping/tables.hpp"

namespace ordergate::mapping {

std::optional<std::string_view> table_key(const value& v, std::string& scratch) {
  switch (v.type()) {
    case vtype::string:
      return v.as_string();
    case vtype::number: {
      const auto d = numeric(v);
      if (!d) return std::nullopt;
      scratch = d->to_string();
      return std::string_view(scratch);
    }
    case vtype::boolean:
      return v.as_boolean() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

namespace {

value fn_lookup(const call_env& env) {
  const auto* table = static_cast<const compiled_table*>(env.call.aux);
  std::string scratch;
  const auto key = table_key(env.args[1], scratch);
  if (key) {
    const auto it = table->entries.find(*key);
    if (it != table->entries.end()) return it->second;
  }
  if (env.argc > 2) return env.args[2];
  if (table->fallback) return *table->fallback;
  // Not env.fail(): the message names the table, not the function.
  env.frame.fail(core::errc::unmappable,
                 describe(env.args[1]) + " has no entry in table " + table->name, &env.args[1],
                 env.call.where);
  return {};
}

value fn_fail(const call_env& env) {
  const value& message = env.args[0];
  std::string text =
      message.type() == vtype::string ? std::string(message.as_string()) : describe(message);
  env.frame.fail(core::errc::unmappable, text, nullptr, env.call.where);
  return {};
}

const builtin table[] = {
    // lookup's own message names the table: "\"Lost\" has no entry in table market_status".
    {"lookup", 2, 3, {param::table, param::any, param::any}, static_type::unknown, true, fn_lookup},
    {"fail", 1, 1, {param::string}, static_type::null, false, fn_fail},
};

}  // namespace

std::span<const builtin> table_builtins() noexcept {
  return table;
}

}  // namespace ordergate::mapping
