#pragma once
// UTF-8 checks every layer needs where untrusted bytes meet JSON, which must be valid
// UTF-8: error bodies, log lines, decoded strings.

#include <cstddef>
#include <string>
#include <string_view>

namespace ordergate::core {

/// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
/// surrogates, nothing above U+10FFFF), or 0 when it is not one (or `s` is empty).
std::size_t utf8_sequence_length(std::string_view s) noexcept;

/// Writes `c` (a Unicode scalar value) as UTF-8 at `out`, which has room for 4 bytes;
/// returns how many bytes it wrote (1 to 4).
std::size_t encode_utf8(char32_t c, char* out) noexcept;

/// Characters (code points) of valid UTF-8 text: the bytes that do not continue a
/// sequence, counted eight at a time.
std::size_t utf8_length(std::string_view s) noexcept;

/// `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

/// True when `s` holds a UTF-16 surrogate (U+D800-U+DFFF) written as UTF-8 (ED A0-BF ..).
/// From input already checked to be UTF-8, only a JSON escape of an unpaired surrogate
/// (`"\udc00"`) produces that, and RapidJSON 1.1 decodes a lone low one without complaint.
bool has_encoded_surrogate(std::string_view s) noexcept;

}  // namespace ordergate::core
