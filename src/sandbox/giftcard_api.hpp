#pragma once
// The fake gift-card platform: GET /v1/orders?page=N in pages of 20, the status of one
// order, and sandbox controls to change a status or add an order (to try the sync job).

#include "ordergate/codec/writer.hpp"
#include "ordergate/http/message.hpp"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::sandbox {

class giftcard_api {
 public:
  /// Loads `<dir>/orders_page_1.json`, `_2`, ... (the gift-card API's page format, docs/flows.md)
  /// in order; throws std::runtime_error when there is none or one is malformed.
  giftcard_api(const std::filesystem::path& dir, std::string token);

  /// `path` is below the vendor prefix, e.g. "/v1/orders".
  http::response handle(const http::request& req, std::string_view path, std::string_view& route);

  static constexpr std::size_t page_size = 20;

 private:
  struct order {
    std::string id;
    std::int64_t number = 0;
    std::string created_date;
    std::string status;
    std::string participant_login;
    std::string total;  // the JSON number's text, as the platform wrote it
  };
  static void write_order(codec::writer& w, const order& o);
  void load_page(const std::filesystem::path& file);
  std::string page(std::size_t n) const;
  http::response list(const http::request& req);
  http::response status_of(const http::request& req, std::string_view id);
  http::response set_status(const http::request& req, std::string_view id);
  http::response append(const http::request& req);
  order* find(std::string_view id);

  std::string token_;
  mutable std::mutex mutex_;
  std::vector<order> orders_;  // in list order; appended ones last
};

}  // namespace ordergate::sandbox
