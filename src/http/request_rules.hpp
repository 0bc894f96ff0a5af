#pragma once
// Rules of RFC 9112 that Beast's parser leaves to the server, applied once a request's
// header is read: the size of the header block, the Host header, and the form of the
// request target. A broken rule is an error code of its own category, answered 400.

#include "ordergate/http/message.hpp"

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <type_traits>

namespace ordergate::http {

enum class request_rule {
  header_too_large = 1,  ///< the header block is longer than the limit
  missing_host,          ///< HTTP/1.1 without Host (RFC 9112 3.2)
  several_hosts,         ///< more than one Host line (RFC 9112 3.2)
  bad_host,              ///< a Host value that is not host[:port]
  bad_target,            ///< an absolute-form target that is not an http(s) URI with a host
};

const boost::system::error_category& request_rule_category() noexcept;
boost::system::error_code make_error_code(request_rule r) noexcept;

/// Checks the header of `req` (`header_bytes` long) against the rules and rewrites an
/// absolute-form target ("http://host/path?q", RFC 9112 3.2.2) into origin-form, the
/// Host header then taken from it. Returns the broken rule, or no error.
boost::system::error_code apply_request_rules(request& req, std::size_t header_bytes,
                                              std::size_t header_limit);

}  // namespace ordergate::http

template <>
struct boost::system::is_error_code_enum<ordergate::http::request_rule> : std::true_type {};
