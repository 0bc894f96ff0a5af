// Conversions and numbers: number, integer, string, boolean, round, floor, ceil,
// abs, min, max, parse_number, type, exists.

#include "mapping/builtins.hpp"
#include "mapping/time_format.hpp"

#include <algorithm>

namespace ordergate::mapping {
namespace {

/// The decimal of a number, or of a string holding JSON number text.
/// The number a value holds or spells; `shortest` is set to the shortest form of spelt
/// text when that is part of it (decimal::parse), so that the number is written out
/// without being formatted. The text outlives the number: an input's, or the arena's.
std::optional<decimal> to_decimal(const value& v, std::string_view& shortest) {
  shortest = {};
  if (const codec::node* n = v.node()) {
    // A number or a string read from an input (Webasyst's "1500.0000"): its text.
    if (n->is_number() || n->is_string()) return decimal::parse(n->text(), shortest);
    return std::nullopt;
  }
  if (auto d = numeric(v)) return d;
  if (v.type() == vtype::string) return decimal::parse(v.as_string(), shortest);
  return std::nullopt;
}

value fn_number(const call_env& env) {
  const value& v = env.args[0];
  std::string_view shortest;
  if (const auto d = to_decimal(v, shortest)) return value::number(*d, shortest);
  if (v.is_nothing()) return env.fail("expected a number, got null", 0);
  return env.fail(describe(v) + " is not a number", 0);
}

value fn_integer(const call_env& env) {
  const value& v = env.args[0];
  std::string_view shortest;
  const auto d = to_decimal(v, shortest);
  if (!d) {
    if (v.is_nothing()) return env.fail("expected an integer, got null", 0);
    return env.fail(describe(v) + " is not an integer", 0);
  }
  if (!d->is_integer()) return env.fail(describe(v) + " is not an integer", 0);
  return value::number(*d, shortest);
}

value fn_string(const call_env& env) {
  const value& v = env.args[0];
  switch (v.type()) {
    case vtype::string:
      return v;
    case vtype::number: {
      char buf[48];
      const auto d = numeric(v);
      if (!d) return env.fail(describe(v) + " is too large to convert", 0);
      return value::string(env.keep({buf, d->format(buf)}));
    }
    case vtype::boolean:
      return value::string(v.as_boolean() ? "true" : "false");
    case vtype::time: {
      char buf[40];
      return value::string(env.keep({buf, format_rfc3339_utc_ms(v.as_time(), buf)}));
    }
    case vtype::null:
    case vtype::omit:
      return env.fail("expected a value, got null", 0);
    default:
      return env.fail("cannot convert " + describe(v) + " to a string", 0);
  }
}

value fn_boolean(const call_env& env) {
  const value& v = env.args[0];
  if (v.type() == vtype::boolean) return value::boolean(v.as_boolean());
  if (v.type() == vtype::string) {
    const std::string_view s = v.as_string();
    if (s == "true" || s == "1") return value::boolean(true);
    if (s == "false" || s == "0") return value::boolean(false);
  }
  if (const auto d = numeric(v)) {
    if (d->is_zero()) return value::boolean(false);
    if (decimal::compare(*d, decimal::from_int(1)) == 0) return value::boolean(true);
  }
  return env.fail(describe(v) + " is not a boolean (true, false, \"true\", \"false\", 1 or 0)", 0);
}

/// The argument as a number for math functions; strings must be converted first.
std::optional<decimal> math_arg(const call_env& env, std::uint32_t i) {
  if (auto d = numeric(env.args[i])) return d;
  const value& v = env.args[i];
  env.fail("expected a number, got " + describe(v) +
               (v.type() == vtype::string ? " (convert it with number())" : ""),
           static_cast<int>(i));
  return std::nullopt;
}

constexpr std::string_view bad_round_digits = "digits must be an integer from 0 to 18";

/// round()'s digits as an int, or nullopt when they are not an integer from 0 to 18.
std::optional<int> round_digits(const decimal& d) noexcept {
  const auto n = d.to_int64();
  if (!n || *n < 0 || *n > 18) return std::nullopt;
  return static_cast<int>(*n);
}

/// Constant digits (`round(x, 2)`, nearly always) are checked at load and kept with the
/// call, so that rounding converts nothing per value.
void prepare_round(prepare_env& env) {
  if (env.call.args.size() < 2 || !env.call.args[1].is_constant()) return;
  const auto d = numeric(env.call.args[1].constant);
  const auto digits = d ? round_digits(*d) : std::nullopt;
  if (!digits) {
    env.error = bad_round_digits;
    return;
  }
  void* p = env.pool.allocate(sizeof(int), alignof(int));
  env.call.aux = new (p) int(*digits);
}

value fn_round(const call_env& env) {
  const auto x = math_arg(env, 0);
  if (!x) return {};
  int digits = 0;
  if (const auto* prepared = static_cast<const int*>(env.call.aux)) {
    digits = *prepared;
  } else if (env.argc > 1) {
    const auto d = math_arg(env, 1);
    if (!d) return {};
    const auto n = round_digits(*d);
    if (!n) return env.fail(bad_round_digits, 1);
    digits = *n;
  }
  return value::number(x->round(digits));
}

value fn_floor(const call_env& env) {
  const auto x = math_arg(env, 0);
  return x ? value::number(x->floor()) : value();
}

value fn_ceil(const call_env& env) {
  const auto x = math_arg(env, 0);
  return x ? value::number(x->ceil()) : value();
}

value fn_abs(const call_env& env) {
  const auto x = math_arg(env, 0);
  return x ? value::number(x->abs()) : value();
}

value extreme(const call_env& env, int sign) {
  const auto a = math_arg(env, 0);
  if (!a) return {};
  const auto b = math_arg(env, 1);
  if (!b) return {};
  return value::number(decimal::compare(*a, *b) * sign >= 0 ? *a : *b);
}

value fn_min(const call_env& env) {
  return extreme(env, -1);
}
value fn_max(const call_env& env) {
  return extreme(env, 1);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// "100 ₽" -> 100, "1 000,50 руб." -> 1000.50, "-12.5%" -> -12.5. Spaces (also
/// no-break ones) group thousands; a separator that occurs once is the decimal
/// one, one that occurs several times groups thousands; with both '.' and ',' the
/// last one is the decimal separator.
value fn_parse_number(const call_env& env) {
  const value& v = env.args[0];
  if (auto d = numeric(v)) return value::number(*d);
  if (v.type() != vtype::string) return env.fail("expected a string, got " + describe(v), 0);
  const std::string_view s = v.as_string();
  std::size_t start = 0;
  while (start < s.size() && !is_digit(s[start]))
    ++start;
  if (start == s.size()) return env.fail(describe(v) + " holds no number", 0);
  const bool negative = start > 0 && s[start - 1] == '-';
  std::string raw;  // digits and separators as found
  std::size_t i = start;
  while (i < s.size()) {
    const char c = s[i];
    if (is_digit(c) || c == '.' || c == ',') {
      raw += c;
      ++i;
    } else if (c == ' ' || c == '\'') {
      ++i;
    } else if (s.compare(i, 2, "\xC2\xA0") == 0 || s.compare(i, 3, "\xE2\x80\xAF") == 0) {
      i += s[i] == '\xC2' ? 2 : 3;  // no-break spaces used as thousands separators
    } else {
      break;
    }
  }
  while (!raw.empty() && !is_digit(raw.back()))
    raw.pop_back();
  const auto dots = std::count(raw.begin(), raw.end(), '.');
  const auto commas = std::count(raw.begin(), raw.end(), ',');
  char decimal_sep = 0;
  if (dots && commas) {
    decimal_sep = raw.find_last_of(".,") == raw.rfind('.') ? '.' : ',';
  } else if (dots == 1) {
    decimal_sep = '.';
  } else if (commas == 1) {
    decimal_sep = ',';
  }
  std::string text = negative ? "-" : "";
  for (char c : raw) {
    if (is_digit(c))
      text += c;
    else if (c == decimal_sep)
      text += '.';
  }
  const auto d = decimal::parse(text);
  if (!d) return env.fail(describe(v) + " holds no number that fits", 0);
  return value::number(*d);
}

value fn_type(const call_env& env) {
  return value::string(vtype_name(env.args[0].type()));
}

value fn_exists(const call_env& env) {
  return value::boolean(!env.args[0].is_nothing());
}

constexpr param P_ANY = param::any;
constexpr param P_NUM = param::number;

const builtin table[] = {
    {"number", 1, 1, {P_ANY}, static_type::number, true, fn_number},
    {"integer", 1, 1, {P_ANY}, static_type::number, true, fn_integer},
    {"string", 1, 1, {P_ANY}, static_type::string, true, fn_string},
    {"boolean", 1, 1, {P_ANY}, static_type::boolean, true, fn_boolean},
    {"round", 1, 2, {P_NUM, P_NUM}, static_type::number, true, fn_round, prepare_round},
    {"floor", 1, 1, {P_NUM}, static_type::number, true, fn_floor},
    {"ceil", 1, 1, {P_NUM}, static_type::number, true, fn_ceil},
    {"abs", 1, 1, {P_NUM}, static_type::number, true, fn_abs},
    {"min", 2, 2, {P_NUM, P_NUM}, static_type::number, true, fn_min},
    {"max", 2, 2, {P_NUM, P_NUM}, static_type::number, true, fn_max},
    {"parse_number", 1, 1, {param::string}, static_type::number, true, fn_parse_number},
    {"type", 1, 1, {P_ANY}, static_type::string, true, fn_type},
    {"exists", 1, 1, {P_ANY}, static_type::boolean, true, fn_exists},
};

}  // namespace

std::span<const builtin> conversion_builtins() noexcept {
  return table;
}

}  // namespace ordergate::mapping
