// Date-time: parse_time, format_time, unix, unix_ms, from_unix, from_unix_ms, now.
// Zones are IANA names; a constant zone (a literal or a config value) is resolved
// and checked once at load.

#include "mapping/builtins.hpp"
#include "mapping/time_format.hpp"

#include <chrono>

namespace ordergate::mapping {
namespace {

struct time_aux {
  const date::time_zone* zone = nullptr;
  time_style style = time_style::rfc3339_ms;
};

time_aux* aux_of(prepare_env& env) {
  if (!env.call.aux) {
    void* p = env.pool.allocate(sizeof(time_aux), alignof(time_aux));
    env.call.aux = new (p) time_aux();
  }
  return static_cast<time_aux*>(const_cast<void*>(env.call.aux));
}

/// Resolves a constant zone argument at load.
void prepare_zone(prepare_env& env, std::size_t arg) {
  const expr& z = env.call.args[arg];
  if (!z.is_constant()) return;
  if (z.constant.type() != vtype::string) {
    env.error = "the time zone must be a string such as 'Europe/Moscow'";
    return;
  }
  const date::time_zone* zone = find_zone(z.constant.as_string());
  if (!zone) {
    env.error = "unknown time zone '" + std::string(z.constant.as_string()) +
                "' (use an IANA name such as 'Europe/Moscow')";
    return;
  }
  aux_of(env)->zone = zone;
}

void prepare_parse(prepare_env& env) {
  prepare_zone(env, 1);
}

void prepare_format(prepare_env& env) {
  prepare_zone(env, 1);
  if (!env.error.empty()) return;
  const expr& s = env.call.args[2];
  const auto style = s.is_constant() ? time_style_from_name(s.constant.as_string()) : std::nullopt;
  if (!style) {
    env.error =
        "the format must be one of 'rfc3339', 'rfc3339_ms', 'rfc3339_us', 'datetime', 'date'";
    return;
  }
  aux_of(env)->style = *style;
}

const date::time_zone* zone_arg(const call_env& env, std::uint32_t i) {
  if (const auto* aux = static_cast<const time_aux*>(env.call.aux); aux && aux->zone)
    return aux->zone;
  const value& v = env.args[i];
  const date::time_zone* zone = v.type() == vtype::string ? find_zone(v.as_string()) : nullptr;
  if (!zone) env.fail("unknown time zone " + describe(v), static_cast<int>(i));
  return zone;
}

value fn_parse_time(const call_env& env) {
  const value& text = env.args[0];
  if (text.type() != vtype::string)
    return env.fail("expected a date-time string, got " + describe(text), 0);
  const date::time_zone* zone = zone_arg(env, 1);
  if (!zone) return {};
  const auto micros = parse_time(text.as_string(), *zone);
  if (!micros) {
    return env.fail(
        describe(text) + " is not a date-time (expected YYYY-MM-DD HH:MM:SS or RFC 3339)", 0);
  }
  return value::time(*micros);
}

value fn_format_time(const call_env& env) {
  const value& t = env.args[0];
  if (t.type() != vtype::time)
    return env.fail("expected a time (from parse_time or from_unix), got " + describe(t), 0);
  const date::time_zone* zone = zone_arg(env, 1);
  if (!zone) return {};
  const auto* aux = static_cast<const time_aux*>(env.call.aux);
  char text[48];
  const std::size_t n = format_time(t.as_time(), *zone, aux->style, text);
  return value::string(env.keep({text, n}));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

value unix_in(const call_env& env, std::int64_t unit) {
  const value& t = env.args[0];
  if (t.type() != vtype::time)
    return env.fail("expected a time (from parse_time or from_unix), got " + describe(t), 0);
  return value::number(decimal::from_int(floor_div(t.as_time(), unit)));
}

value fn_unix(const call_env& env) {
  return unix_in(env, 1'000'000);
}
value fn_unix_ms(const call_env& env) {
  return unix_in(env, 1'000);
}

value from_unix_in(const call_env& env, std::int64_t unit) {
  const auto d = numeric(env.args[0]);
  if (!d) return env.fail("expected a number, got " + describe(env.args[0]), 0);
  const auto scaled = decimal::mul(*d, decimal::from_int(unit));
  const auto micros = scaled ? scaled->truncate(0).to_int64() : std::nullopt;
  if (!micros) return env.fail(describe(env.args[0]) + " is out of range", 0);
  return value::time(*micros);
}

value fn_from_unix(const call_env& env) {
  return from_unix_in(env, 1'000'000);
}
value fn_from_unix_ms(const call_env& env) {
  return from_unix_in(env, 1'000);
}

value fn_now(const call_env&) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  return value::time(now.time_since_epoch().count());
}

constexpr param S = param::string;
constexpr param T = param::time;
constexpr param N = param::number;

const builtin table[] = {
    {"parse_time", 2, 2, {S, S}, static_type::time, true, fn_parse_time, prepare_parse},
    {"format_time", 3, 3, {T, S, S}, static_type::string, true, fn_format_time, prepare_format},
    {"unix", 1, 1, {T}, static_type::number, true, fn_unix},
    {"unix_ms", 1, 1, {T}, static_type::number, true, fn_unix_ms},
    {"from_unix", 1, 1, {N}, static_type::time, true, fn_from_unix},
    {"from_unix_ms", 1, 1, {N}, static_type::time, true, fn_from_unix_ms},
    {"now", 0, 0, {}, static_type::time, false, fn_now},
};

}  // namespace

std::span<const builtin> time_builtins() noexcept {
  return table;
}

}  // namespace ordergate::mapping
