#pragma once
// Protocol-neutral error codes of the data plane and their HTTP answers.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace ordergate::core {

/// Every failure a request can end in. Mapped to an HTTP status in one place
/// (to_http_status) and to the `error` field of the JSON error answer (code_name).
enum class errc {
  bad_request = 1,         ///< 400: malformed body, missing required field, wrong type
  unauthorized,            ///< 401
  not_found,               ///< 404
  method_not_allowed,      ///< 405
  payload_too_large,       ///< 413
  unsupported_media_type,  ///< 415
  unmappable,              ///< 422: valid input the mapping cannot translate
  upstream_error,          ///< 502
  unavailable,             ///< 503: draining or not configured
  upstream_timeout,        ///< 504
  internal_error,          ///< 500: a bug; never expected
};

/// The category of errc; its message() is the human summary of a code.
const boost::system::error_category& error_category() noexcept;

boost::system::error_code make_error_code(errc e) noexcept;

/// The HTTP status of an error answer.
unsigned to_http_status(errc e) noexcept;

/// The machine-readable code of an error answer (docs/flows.md), e.g. "upstream_error".
std::string_view code_name(errc e) noexcept;

/// A data-plane failure with everything the JSON error answer carries.
struct failure {
  errc code = errc::internal_error;
  std::string message;
  std::string path;  ///< input path for input errors (e.g. "data[3].status"), else empty
};

/// What the data plane returns: a value, or the failure that ends the request.
template <typename T>
using result = boost::system::result<T, failure>;

/// Renders `{"error": ..., "message": ..., "path": ...}` (path only when set).
std::string render_error_body(const failure& f);

}  // namespace ordergate::core

template <>
struct boost::system::is_error_code_enum<ordergate::core::errc> : std::true_type {};
