#include "ordergate/sandbox/sandbox.hpp"

#include "sandbox/giftcard_api.hpp"
#include "sandbox/imshop_api.hpp"
#include "sandbox/market_api.hpp"
#include "sandbox/reply.hpp"
#include "sandbox/webasyst_api.hpp"

#include <map>
#include <mutex>

#include <exception>

namespace ordergate::sandbox {
namespace {

/// The rest of `path` below `prefix` ("/shop/api.php/x" below "/shop" is
/// "/api.php/x"), or nullopt when `path` is not under it.
std::optional<std::string_view> below(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  const std::string_view rest = path.substr(prefix.size());
  if (!rest.empty() && rest.front() != '/') return std::nullopt;
  return rest;
}

class vendors final : public http::handler {
 public:
  explicit vendors(const settings& s)
      : webasyst_(s.data_dir / "webasyst", s.webasyst_token),
        imshop_(s.imshop_key),
        giftcard_(s.data_dir / "giftcard", s.giftcard_token),
        market_(s.market_token) {}

  http::asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    std::string_view label = "-";
    http::response res = dispatch(req, label);
    ex.route = route_named(label);
    co_return res;
  }

 private:
  http::response dispatch(const http::request& req, std::string_view& label) {
    const std::string_view path = split_target(req.target()).path;
    try {
      if (const auto rest = below(path, webasyst_prefix))
        return webasyst_.handle(req, *rest, label);
      if (const auto rest = below(path, imshop_prefix)) return imshop_.handle(req, *rest, label);
      if (const auto rest = below(path, giftcard_prefix))
        return giftcard_.handle(req, *rest, label);
      if (const auto rest = below(path, market_prefix)) return market_.handle(req, *rest, label);
    } catch (const std::exception& e) {
      // Handlers must not throw (std::bad_alloc is the only thing expected here).
      return make_reply(req, 500, error_body("internal_error", e.what()));
    }
    return make_reply(req, 404, error_body("not_found", "no sandbox vendor at this path"));
  }

  /// The sandbox's routes are named in its access log, not counted: one record per label.
  std::shared_ptr<const ops::route_series> route_named(std::string_view label) {
    std::lock_guard lock(routes_mutex_);
    auto it = routes_.find(label);
    if (it == routes_.end())
      it = routes_.emplace(std::string(label), ops::route_series::unmeasured(std::string(label)))
               .first;
    return it->second;
  }

  webasyst_api webasyst_;
  imshop_api imshop_;
  giftcard_api giftcard_;
  market_api market_;
  std::mutex routes_mutex_;
  std::map<std::string, std::shared_ptr<const ops::route_series>, std::less<>> routes_;
};

}  // namespace

std::shared_ptr<http::handler> make_vendors(const settings& s) {
  return std::make_shared<vendors>(s);
}

}  // namespace ordergate::sandbox
