#pragma once
// Every answer a route sends is built here: the JSON error answers, the rendered
// response of a mapping, and the headers and bodies that steps render into their calls.

#include "ordergate/core/error.hpp"
#include "ordergate/http/message.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "pipeline/exchange_state.hpp"

#include <string>
#include <string_view>

namespace ordergate::pipeline {

/// An answer with `body` of `content_type` (none when empty), with the request's
/// version and keep-alive.
http::response make_response(const http::request& req, unsigned status, std::string body,
                             std::string_view content_type);

/// The JSON error answer for `failure`: `{"error", "message", "path"}` with its status.
http::response error_response(const http::request& req, const core::failure& failure);

/// The longest header name and value a mapping may render.
inline constexpr std::size_t max_header_name_bytes = 256;
inline constexpr std::size_t max_header_value_bytes = 16 * 1024;

/// Renders a template into a header set: every member's text becomes a header. A name
/// that is not an HTTP token, a value with a line break or another control character, or
/// either over its limit is an `unmappable` failure.
core::result<void> render_headers(const mapping::template_node& headers, mapping::frame& frame,
                                  http::fields& out);

/// A rendered body and the format it was written in.
struct rendered_body {
  std::string text;
  codec::format format = codec::format::json;
};

/// Renders a body template in its format (fixed, or chosen by an expression).
core::result<rendered_body> render_body(const mapping::template_node& body,
                                        const mapping::format_choice& choice, mapping::frame& frame,
                                        std::size_t max_bytes);

/// Renders a route response (or an on_failure "respond").
http::response render_response(const mapping::response_spec& spec, exchange_state& state);

}  // namespace ordergate::pipeline
