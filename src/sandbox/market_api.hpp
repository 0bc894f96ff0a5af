#pragma once
// The fake marketing platform's order import: JSON {"data": [...]} or XML
// <xml><row>...</row></xml>, validated as the platform does, answering
// {"error": 0, "error_text": "Successful operation"} (and errors with HTTP 200).

#include "ordergate/codec/document.hpp"
#include "ordergate/http/message.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::sandbox {

/// Why `order` is not an importable market order (named by its path under
/// `where`, e.g. "data[2].lines[0].count"), or nullopt when it is valid. `xml` relaxes
/// types: in XML every value is text.
std::optional<std::string> market_order_problem(const codec::node& order, const std::string& where,
                                                bool xml);

class market_api {
 public:
  explicit market_api(std::string token) : token_(std::move(token)) {}

  /// `path` is below the vendor prefix, e.g. "/api/v1.1/market/orders/import".
  http::response handle(const http::request& req, std::string_view path, std::string_view& route);

 private:
  http::response import(const http::request& req);
  http::response stored(const http::request& req);

  struct stored_order {
    std::string external_id;
    std::string json;  // the order as received, as compact JSON
  };
  std::string token_;
  std::mutex mutex_;
  std::vector<stored_order> orders_;  // first import order; re-imports update in place
};

}  // namespace ordergate::sandbox
