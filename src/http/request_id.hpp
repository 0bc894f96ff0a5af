#pragma once
// Request ids: the one a client sent when it is sane, or a cheap generated one.

#include <string>
#include <string_view>

namespace ordergate::http {

/// 16 lowercase hex digits from a per-thread 64-bit generator: unique enough to
/// correlate log lines, cheap enough for every request. Not a secret.
std::string generate_request_id();

/// Whether a client-supplied X-Request-Id may be echoed and logged as is:
/// 1..128 visible ASCII characters (no spaces, quotes or backslashes).
bool acceptable_request_id(std::string_view id) noexcept;

}  // namespace ordergate::http
