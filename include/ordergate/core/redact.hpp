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

/// Replaces every occurrence of each of `secrets` in plain `text` by redacted_marker;
/// returns how many were replaced.
std::size_t redact(std::string& text, const std::vector<std::string>& secrets);

/// The same for JSON text (an answer body): a match that would cut an escape sequence
/// (after an unpaired backslash, inside a \u escape, or ending with half an escape) is
/// not the secret in the decoded text and is left alone, so the answer stays JSON.
std::size_t redact_json(std::string& text, const std::vector<std::string>& secrets);

}  // namespace ordergate::core
