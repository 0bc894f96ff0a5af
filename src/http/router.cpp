#include "ordergate/http/router.hpp"

#include "error_answer.hpp"

namespace ordergate::http {

bool router::add(std::string method, std::string path, std::shared_ptr<handler> target) {
  entry& e = paths_[std::move(path)];
  for (const auto& [m, h] : e.methods) {
    if (m == method) return false;
  }
  e.allow += (e.allow.empty() ? "" : ", ") + method;
  e.methods.emplace_back(std::move(method), std::move(target));
  return true;
}

asio::awaitable<response> router::handle(request& req, exchange& ex) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const auto it = paths_.find(path);
  if (it == paths_.end()) {
    ex.route = "unmatched";
    co_return make_error_answer(core::errc::not_found, "no route for " + std::string(path),
                                req.version(), req.keep_alive());
  }
  const std::string_view method = req.method_string();
  for (const auto& [m, h] : it->second.methods) {
    if (m == method) co_return co_await h->handle(req, ex);
  }
  ex.route = "unmatched";
  response res = make_error_answer(core::errc::method_not_allowed,
                                   std::string(method) + " is not allowed on " + std::string(path) +
                                       " (allowed: " + it->second.allow + ")",
                                   req.version(), req.keep_alive());
  res.set(beast::http::field::allow, it->second.allow);
  co_return res;
}

}  // namespace ordergate::http
