#include "ordergate/http/router.hpp"

#include "http/error_answer.hpp"

#include <algorithm>

namespace ordergate::http {

bool router::add(std::string method, std::string path, std::shared_ptr<handler> target) {
  entry& e = paths_[std::move(path)];
  if (e.find(method)) return false;
  e.methods.emplace_back(std::move(method), std::move(target));
  e.allow.clear();
  for (const auto& [m, h] : e.methods)
    e.allow += (e.allow.empty() ? "" : ", ") + m;
  if (e.find("GET") && !e.find("HEAD")) e.allow += ", HEAD";
  return true;
}

handler* router::entry::find(std::string_view method) const {
  const auto it = std::find_if(methods.begin(), methods.end(),
                               [&](const auto& m) { return m.first == method; });
  return it == methods.end() ? nullptr : it->second.get();
}

asio::awaitable<response> router::handle(request& req, exchange& ex) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const auto it = paths_.find(path);
  // No route: the exchange keeps the route its caller set for what matches nothing.
  if (it == paths_.end()) {
    co_return make_error_answer(core::errc::not_found, "no route for " + std::string(path),
                                req.version(), req.keep_alive());
  }
  const std::string_view method = req.method_string();
  handler* h = it->second.find(method);
  // HEAD is GET without the body (RFC 9110 9.3.2); the session drops the body.
  if (!h && req.method() == verb::head) h = it->second.find("GET");
  if (h) co_return co_await h->handle(req, ex);
  response res = make_error_answer(core::errc::method_not_allowed,
                                   std::string(method) + " is not allowed on " + std::string(path) +
                                       " (allowed: " + it->second.allow + ")",
                                   req.version(), req.keep_alive());
  res.set(beast::http::field::allow, it->second.allow);
  co_return res;
}

}  // namespace ordergate::http
