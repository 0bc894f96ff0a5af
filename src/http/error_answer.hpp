#pragma once
// The answers the server writes by itself, before or instead of a handler.

#include "ordergate/core/error.hpp"
#include "ordergate/http/message.hpp"

#include <string>

namespace ordergate::http {

/// A JSON error answer (core::render_error_body) with the status of `code`, the
/// given HTTP version and `Connection: close` unless `keep_alive`. Content-Length set.
response make_error_answer(core::errc code, std::string message, unsigned version = 11,
                           bool keep_alive = false);

}  // namespace ordergate::http
