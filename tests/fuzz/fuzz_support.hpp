#pragma once
// Shared by the fuzz targets: splitting one fuzz input into parts, the environment the
// bundled mappings are loaded with, and failing loudly when an invariant breaks (libFuzzer
// records an abort as a crash, with the input that caused it).

#include "ordergate/mapping/mapping.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::fuzz {

/// Separates the parts of a structured input (request, then one answer per step...).
inline constexpr std::string_view part_separator = "\n--part--\n";

/// `data` split at every part_separator.
inline std::vector<std::string_view> split_parts(std::string_view data) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = data.find(part_separator);
    parts.push_back(data.substr(0, at));
    if (at == std::string_view::npos) return parts;
    data.remove_prefix(at + part_separator.size());
  }
}

/// The first line of `part` (removed from it), without its '\n'.
inline std::string_view take_line(std::string_view& part) {
  const auto end = part.find('\n');
  const std::string_view line = part.substr(0, end);
  part = end == std::string_view::npos ? std::string_view() : part.substr(end + 1);
  return line;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Every variable the bundled mappings read, set as in their golden cases.
inline const std::map<std::string, std::string>& bundled_variables() {
  static const std::map<std::string, std::string> vars = {
      {"WEBASYST_URL", "https://shop.example"},
      {"WEBASYST_TOKEN", "t0ken"},
      {"IMSHOP_KEY", "k3y"},
      {"IMSHOP_STATUS_URL", "https://imshop.example/status"},
      {"SHOP_WEBHOOK_KEY", "sh0p"},
      {"GIFTCARD_URL", "https://giftcard.example"},
      {"GIFTCARD_TOKEN", "g1ft"},
      {"MARKET_URL", "https://market.example"},
      {"MARKET_TOKEN", "m4rket"},
  };
  return vars;
}

inline mapping::environment bundled_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const auto& vars = bundled_variables();
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

/// An order shaped like the bundled vendors' documents, with the awkward parts they
/// have (numbers as strings, null, dotted keys, Cyrillic text).
inline constexpr std::string_view sample_order = R"({
  "id": "12", "state_id": "paid", "total": "3490.0000", "currency": "RUB",
  "create_datetime": "2026-11-23 12:58:43", "update_datetime": null,
  "createdDate": "2020-01-11T16:13:56.814239", "status": "Payed", "number": 3048,
  "participantLogin": "sss@ss.ss_company", "userIdentifier": "2", "page": 1,
  "params": {"tracking_number": "RA1", "shipping_address.city": "Москва"},
  "items": [{"name": "Чайник", "price": "2490.5", "quantity": 3, "discount": "0.00"},
            {"name": "box", "price": 300, "quantity": "1.5", "discount": 10}],
  "orders": [{"id": "3", "total": "10.5", "items": []}], "count": 1, "offset": 0,
  "data": [{"id": "ef4e", "number": 1, "createdDate": "2020-01-11T16:13:56", "status": "Created",
            "participantLogin": "a@b.c", "total": 2200}],
  "contact": {"email": "a@b.c", "phone": ["+7 900", "+7 901"]}, "flag": true, "nothing": null
})";

/// Aborts with `why` (and the text involved): an invariant of the code under test broke.
[[noreturn]] inline void broken(std::string_view why, std::string_view text = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n%.*s\n", static_cast<int>(why.size()),
               why.data(), static_cast<int>(std::min<std::size_t>(text.size(), 4000)), text.data());
  std::abort();
}

}  // namespace ordergate::fuzz
