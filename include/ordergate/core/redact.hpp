#pragma once
// Keeping secrets out of answers whose text comes from elsewhere (a vendor's error
// message that echoes the request, with its token, back).

#include <string>
#include <string_view>
#include <vector>

namespace ordergate::core {

/// What a redacted secret is replaced with.
inline constexpr std::string_view redacted_marker = "[redacted]";

/// Secrets shorter than this are not searched for: a one-letter "secret" would turn
/// every message into noise, and is no secret anyway.
inline constexpr std::size_t min_redacted_length = 4;

/// Replaces every occurrence of each of `secrets` in `text` by redacted_marker; returns
/// how many were replaced.
std::size_t redact(std::string& text, const std::vector<std::string>& secrets);

}  // namespace ordergate::core
