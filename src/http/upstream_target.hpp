#pragma once
// Where an upstream request goes, split once from its URL.

#include "ordergate/http/upstream_client.hpp"

#include <boost/system/result.hpp>

#include <string>

namespace ordergate::http {

struct upstream_target {
  bool tls = false;
  bool host_is_ip = false;  ///< IP literals get no SNI
  std::string host;         ///< for DNS, SNI and the certificate check: decoded, no brackets
  std::string port;         ///< service for the resolver
  std::string host_header;  ///< Host header: host as written, plus the port when not default
  std::string target;       ///< path and query; "/" when the path is empty
  /// "scheme://host:port": the pool key, and the only part of the URL that failure
  /// messages may show (paths and queries can carry tokens).
  std::string origin;
};

/// Fails (resolve_failed, nothing sent) unless `url` is an absolute http(s) URL with a host.
boost::system::result<upstream_target, upstream_failure> make_target(const boost::urls::url& url,
                                                                     std::string_view service);

/// A failure whose message is prefixed with the service label.
upstream_failure make_failure(upstream_errc code, std::string_view service,
                              std::string_view message, bool request_sent);

}  // namespace ordergate::http
