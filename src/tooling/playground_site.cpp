// The playground's site: the page and its assets built into the binary, the API, and
// the rules every request passes before the router sees it. The playground has no
// login and writes files, so a page of another site must not be able to drive it:
// DNS rebinding (a foreign name resolving to 127.0.0.1) is stopped by the Host rule,
// cross-site fetches by the Origin rule, and "simple" cross-site form posts, which
// need no CORS preflight, by the JSON-only rule for POST.

#include "ordergate/codec/form.hpp"
#include "ordergate/http/router.hpp"
#include "ordergate/tooling/playground.hpp"
#include "tooling/playground_assets.hpp"
#include "tooling/playground_folder.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <functional>
#include <memory_resource>

namespace ordergate::tooling::playground {
namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;

// Only the page's own script and style run; nothing is fetched from anywhere else.
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

bool digits(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// `localhost` or an IP address literal, with an optional port: names that no DNS
/// answer can point elsewhere.
bool local_host(std::string_view host) {
  boost::system::error_code ec;
  if (host.starts_with('[')) {
    const auto end = host.find(']');
    if (end == std::string_view::npos) return false;
    const std::string_view rest = host.substr(end + 1);
    if (!rest.empty() && !(rest.front() == ':' && digits(rest.substr(1)))) return false;
    asio::ip::make_address_v6(std::string(host.substr(1, end - 1)), ec);
    return !ec;
  }
  const auto colon = host.find(':');
  if (colon != std::string_view::npos) {
    if (!digits(host.substr(colon + 1))) return false;
    host = host.substr(0, colon);
  }
  if (equal_ignoring_case(host, "localhost")) return true;
  asio::ip::make_address_v4(std::string(host), ec);
  return !ec;
}

http::response answer(const http::request& req, unsigned status, std::string_view content_type,
                      std::string body) {
  http::response res{static_cast<beast::http::status>(status), req.version()};
  res.set(beast::http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

http::response json_answer(const http::request& req, const api_answer& a) {
  return answer(req, a.status, "application/json", a.body);
}

/// The answer to a request that breaks a rule of the site, or nullopt.
std::optional<http::response> refusal(const http::request& req) {
  const auto host = req.find(beast::http::field::host);
  if (host == req.end() || !local_host(host->value())) {
    return json_answer(req, error_answer(403, "forbidden",
                                         "the playground answers only requests for localhost "
                                         "or an IP address (Host header)"));
  }
  const auto origin = req.find(beast::http::field::origin);
  if (origin != req.end() &&
      !equal_ignoring_case(origin->value(), "http://" + std::string(host->value()))) {
    return json_answer(req, error_answer(403, "forbidden",
                                         "requests from another origin are refused: " +
                                             std::string(origin->value())));
  }
  const auto site = req.find("Sec-Fetch-Site");
  if (site != req.end() && (site->value() == "cross-site" || site->value() == "same-site") &&
      req.target().starts_with("/api/")) {
    return json_answer(req, error_answer(403, "forbidden", "cross-site requests are refused"));
  }
  if (req.method() == http::verb::post) {
    const auto type = req.find(beast::http::field::content_type);
    const std::string_view media =
        type == req.end() ? "" : type->value().substr(0, type->value().find(';'));
    if (!equal_ignoring_case(media, "application/json")) {
      return json_answer(req, error_answer(415, "unsupported_media_type",
                                           "the API takes JSON (Content-Type: application/json)"));
    }
  }
  return std::nullopt;
}

class function_handler final : public http::handler {
 public:
  using function = std::function<http::response(const http::request&)>;
  explicit function_handler(function f) : f_(std::move(f)) {}
  asio::awaitable<http::response> handle(http::request& req, http::exchange&) override {
    co_return f_(req);
  }

 private:
  function f_;
};

std::shared_ptr<http::handler> handler_of(function_handler::function f) {
  return std::make_shared<function_handler>(std::move(f));
}

/// The query parameter `name` of the request's target, or "".
std::string query_parameter(const http::request& req, std::string_view name) {
  const std::string_view target = req.target();
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::pmr::monotonic_buffer_resource arena;
  const auto form = codec::decode_form(target.substr(q + 1), arena);
  if (!form) return {};
  const codec::node* value = form->find(name);
  return value && value->is_string() ? std::string(value->text()) : std::string();
}

class site final : public http::handler {
 public:
  explicit site(std::shared_ptr<const workspace> api) {
    for (const asset& a : assets()) {
      router_.add("GET", std::string(a.path), handler_of([a](const http::request& req) {
                    return answer(req, 200, a.content_type, std::string(a.bytes));
                  }));
    }
    router_.add("GET", "/api/files", handler_of([api](const http::request& req) {
                  return json_answer(req, api->files());
                }));
    router_.add("GET", "/api/case", handler_of([api](const http::request& req) {
                  return json_answer(req, api->open_case(query_parameter(req, "mapping"),
                                                         query_parameter(req, "case")));
                }));
    router_.add("POST", "/api/run", handler_of([api](const http::request& req) {
                  return json_answer(req, api->run(req.body()));
                }));
    router_.add("POST", "/api/save", handler_of([api](const http::request& req) {
                  return json_answer(req, api->save(req.body()));
                }));
  }

  asio::awaitable<http::response> handle(http::request& req, http::exchange& ex) override {
    std::optional<http::response> res = refusal(req);
    if (!res) res = co_await router_.handle(req, ex);
    res->set(beast::http::field::cache_control, "no-store");
    res->set("Content-Security-Policy", content_security_policy);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");
    co_return std::move(*res);
  }

 private:
  http::router router_;
};

}  // namespace

std::shared_ptr<http::handler> make_site(std::shared_ptr<const workspace> api) {
  return std::make_shared<site>(std::move(api));
}

}  // namespace ordergate::tooling::playground
