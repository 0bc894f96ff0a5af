#include "http/request_rules.hpp"

#include <boost/url/parse.hpp>

#include <string>

namespace ordergate::http {
namespace {

class rule_category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "ordergate.request_rule"; }
  std::string message(int value) const override {
    switch (static_cast<request_rule>(value)) {
      case request_rule::header_too_large:
        return "request header too large";
      case request_rule::missing_host:
        return "HTTP/1.1 request without a Host header";
      case request_rule::several_hosts:
        return "request with more than one Host header";
      case request_rule::bad_host:
        return "Host header is not a host and port";
      case request_rule::bad_target:
        return "request target is neither a path nor an absolute http(s) URI";
    }
    return "request rule " + std::to_string(value);
  }
};

// Host = uri-host [ ":" port ]; an empty value is allowed (RFC 9110 7.2).
bool valid_host(std::string_view value) {
  if (value.empty()) return true;
  const auto authority = boost::urls::parse_authority(value);
  return authority && !authority->has_userinfo();
}

// Absolute-form: the origin server uses the target's authority and ignores Host.
boost::system::error_code to_origin_form(request& req) {
  const auto uri = boost::urls::parse_absolute_uri(req.target());
  if (!uri) return request_rule::bad_target;
  const auto scheme = uri->scheme_id();
  if ((scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) ||
      !uri->has_authority() || uri->encoded_host().empty() || uri->has_userinfo()) {
    return request_rule::bad_target;
  }
  std::string target;
  target.reserve(req.target().size());
  if (uri->encoded_path().empty()) target.push_back('/');
  target.append(uri->encoded_path());
  if (uri->has_query()) target.append("?").append(uri->encoded_query());
  req.set(beast::http::field::host, uri->encoded_host_and_port());
  req.target(target);
  return {};
}

}  // namespace

const boost::system::error_category& request_rule_category() noexcept {
  static const rule_category category;
  return category;
}

boost::system::error_code make_error_code(request_rule r) noexcept {
  return {static_cast<int>(r), request_rule_category()};
}

boost::system::error_code apply_request_rules(request& req, std::size_t header_bytes,
                                              std::size_t header_limit) {
  // Beast checks its limit per parsing step, not over the whole block: a header that
  // arrives in one piece could be up to twice as long.
  if (header_bytes > header_limit) return request_rule::header_too_large;
  const auto hosts = req.count(beast::http::field::host);
  if (hosts > 1) return request_rule::several_hosts;
  if (hosts == 0 && req.version() >= 11) return request_rule::missing_host;
  if (hosts == 1 && !valid_host(req[beast::http::field::host])) return request_rule::bad_host;
  const std::string_view target = req.target();
  // Origin-form ("/path") and asterisk-form ("*") are routed as they are.
  if (target.empty() || target.front() == '/' || target == "*") return {};
  return to_origin_form(req);
}

}  // namespace ordergate::http
