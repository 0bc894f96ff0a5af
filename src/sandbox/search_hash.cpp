#include "sandbox/search_hash.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace ordergate::sandbox {
namespace {

std::optional<long long> integer(std::string_view s) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

int compare_values(std::string_view a, std::string_view b) {
  const auto x = integer(a), y = integer(b);
  if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::vector<std::string> alternatives(std::string_view value) {
  std::vector<std::string> out;
  for (std::size_t pos = 0;;) {
    const auto bar = value.find("||", pos);
    out.emplace_back(value.substr(pos, bar == std::string_view::npos ? bar : bar - pos));
    if (bar == std::string_view::npos) return out;
    pos = bar + 2;
  }
}

}  // namespace

std::vector<hash_condition> parse_search_hash(std::string_view hash) {
  // Longest operators first: ">=" must not read as ">".
  constexpr std::array<std::string_view, 6> ops = {"!=", ">=", "<=", "=", ">", "<"};
  std::vector<hash_condition> out;
  while (!hash.empty()) {
    const auto amp = hash.find('&');
    const std::string_view cond = hash.substr(0, amp);
    hash = amp == std::string_view::npos ? std::string_view() : hash.substr(amp + 1);
    std::size_t at = std::string_view::npos;
    std::string_view op;
    for (std::string_view candidate : ops) {
      const auto pos = cond.find(candidate);
      if (pos != std::string_view::npos &&
          (pos < at || (pos == at && candidate.size() > op.size()))) {
        at = pos;
        op = candidate;
      }
    }
    if (at == std::string_view::npos || at == 0) continue;
    out.push_back({std::string(cond.substr(0, at)), std::string(op),
                   alternatives(cond.substr(at + op.size()))});
  }
  return out;
}

bool satisfies(const hash_condition& c, const std::optional<std::string>& actual) {
  if (!actual) return false;
  const auto holds = [&](const std::string& v) {
    const int cmp = compare_values(*actual, v);
    if (c.op == "=") return cmp == 0;
    if (c.op == "!=") return cmp != 0;
    if (c.op == ">=") return cmp >= 0;
    if (c.op == "<=") return cmp <= 0;
    if (c.op == ">") return cmp > 0;
    return cmp < 0;
  };
  if (c.op == "!=") return std::all_of(c.values.begin(), c.values.end(), holds);
  return std::any_of(c.values.begin(), c.values.end(), holds);
}

int compare_columns(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return compare_values(*a, *b);
}

}  // namespace ordergate::sandbox
