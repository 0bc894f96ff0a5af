#include "http/upstream_target.hpp"

namespace ordergate::http {

boost::system::result<upstream_target, upstream_failure> make_target(const boost::urls::url& url,
                                                                     std::string_view service) {
  upstream_target t;
  const auto scheme = url.scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
    return make_failure(upstream_errc::resolve_failed, service, "URL scheme is not http or https",
                        false);
  }
  const auto type = url.host_type();
  if (!url.has_authority() || type == boost::urls::host_type::none ||
      type == boost::urls::host_type::ipvfuture || url.encoded_host().empty()) {
    return make_failure(upstream_errc::resolve_failed, service, "URL has no usable host", false);
  }
  t.tls = scheme == boost::urls::scheme::https;
  t.host_is_ip = type == boost::urls::host_type::ipv4 || type == boost::urls::host_type::ipv6;
  t.host = url.host_address();
  const unsigned default_port = t.tls ? 443 : 80;
  const unsigned port = url.has_port() ? url.port_number() : default_port;
  if (port == 0) {
    return make_failure(upstream_errc::resolve_failed, service, "URL port is not valid", false);
  }
  t.port = std::to_string(port);
  t.host_header = std::string(url.encoded_host());
  if (port != default_port) t.host_header += ":" + t.port;
  // Built with push_back and append: GCC 12 at -O3 reports a false -Wstringop-overflow
  // on std::string::insert and assign here (both inline _M_replace).
  const std::string_view encoded = url.encoded_target();
  t.target.reserve(encoded.size() + 1);
  if (encoded.empty() || encoded.front() != '/') t.target.push_back('/');
  t.target.append(encoded);
  t.origin =
      std::string(t.tls ? "https://" : "http://") + std::string(url.encoded_host()) + ":" + t.port;
  return t;
}

upstream_failure make_failure(upstream_errc code, std::string_view service,
                              std::string_view message, bool request_sent) {
  upstream_failure f{code, {}};
  if (!service.empty()) f.message.append(service).append(": ");
  f.message.append(message);
  f.request_sent = request_sent;
  return f;
}

}  // namespace ordergate::http
