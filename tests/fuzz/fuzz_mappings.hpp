#pragma once
// Shared by the fuzz targets that load mappings: the environment the bundled mappings are
// loaded with and an order shaped like the vendors' documents.

#include "fuzz_support.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::fuzz {

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

}  // namespace ordergate::fuzz
