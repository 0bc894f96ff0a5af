#pragma once
// The fake Imshop status-sync endpoint: accepts {id, code, message?, trackingUrl?,
// userId?} with the Bearer key and answers as Imshop does; remembers what it received.

#include "ordergate/http/message.hpp"

#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace ordergate::sandbox {

/// Imshop's own status for a shop status code (docs/flows.md, "The vendors' APIs").
std::string_view imshop_status_for(std::string_view code) noexcept;

class imshop_api {
 public:
  explicit imshop_api(std::string key) : key_(std::move(key)) {}

  /// `path` is below the vendor prefix: "/status" or "/_sandbox/received".
  http::response handle(const http::request& req, std::string_view path, std::string_view& route);

 private:
  http::response status(const http::request& req);
  http::response received(const http::request& req);

  std::string key_;
  std::mutex mutex_;
  std::deque<std::string> received_;  // accepted bodies as compact JSON, oldest first
};

}  // namespace ordergate::sandbox
