#pragma once
// The fake Webasyst Shop-Script API: api.php/<app>.<method> as a real Shop-Script 12.4
// answers it (recorded in tests/data/webasyst/).

#include "ordergate/http/message.hpp"
#include "sandbox/shop_orders.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace ordergate::sandbox {

class webasyst_api {
 public:
  /// Loads the recorded answers in `dir`; throws std::runtime_error on missing files.
  webasyst_api(const std::filesystem::path& dir, std::string token);

  /// Answers `req`, whose path below the vendor prefix is `path` (e.g.
  /// "/api.php/shop.order.search"); `route` is set to a label for the access log.
  http::response handle(const http::request& req, std::string_view path, std::string_view& route);

 private:
  struct call;
  http::response search(const call& c);
  http::response customers(const call& c);
  http::response set_state(const call& c, std::string_view rest);
  http::response get_info(const call& c);
  http::response action(const call& c);
  http::response remove(const call& c);
  http::response recorded(const call& c, const recorded_answer& answer);
  http::response answer(const call& c, unsigned status, std::string body);
  /// Checks the token; an error answer when it is missing or wrong.
  std::optional<http::response> check_token(const call& c);

  std::string token_;
  shop_orders orders_;
  recorded_answer missing_token_, invalid_token_, expired_token_, no_shop_scope_;
  recorded_answer wrong_method_, unknown_method_, unknown_app_, malformed_url_;
  recorded_answer limit_too_big_, offset_negative_, settings_;
  recorded_answer order_not_found_, action_not_found_, delete_not_found_;
  recorded_answer missing_id_, missing_action_, action_not_allowed_;
};

}  // namespace ordergate::sandbox
