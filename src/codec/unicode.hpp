#pragma once
// UTF-8 and XML 1.0 character rules shared by the codecs: every decoded string must be
// valid UTF-8 (JSON output depends on it), and XML carries only some code points.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#ifdef RAPIDJSON_SSE2
#include <emmintrin.h>
#endif

namespace ordergate::codec {

#ifdef RAPIDJSON_SSE2
/// Of 16 bytes of JSON string content, those a JSON string cannot hold as they are (the
/// quote, the backslash, control characters): bit i set for byte i. The JSON reader and
/// writer scan plain text 16 bytes at a time with it.
inline unsigned json_string_stops(__m128i x) noexcept {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  const __m128i hits =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                   _mm_cmpeq_epi8(_mm_max_epu8(x, control_max), control_max));
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
}

/// A string of 4 to 16 bytes as one block, so that it is checked in one step: its first
/// and its last `width` bytes (8, or 4 when it is shorter than 8), overlapping, in the
/// block's low 2 * `width` bytes. Reads only inside the string.
inline __m128i load_ends(const char* p, std::size_t n, unsigned& width) noexcept {
  if (n >= 8) {
    width = 8;
    std::uint64_t head, tail;
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
    return _mm_set_epi64x(static_cast<long long>(tail), static_cast<long long>(head));
  }
  width = 4;
  std::uint32_t head, tail;
  std::memcpy(&head, p, 4);
  std::memcpy(&tail, p + n - 4, 4);
  return _mm_cvtsi64_si128(static_cast<long long>(head | std::uint64_t{tail} << 32));
}

/// Of a byte mask (bit i for byte i) over a block from load_ends of `n` bytes, the
/// string's index of the first byte marked, or `n` when none is.
inline std::size_t first_in_ends(unsigned mask, unsigned width, std::size_t n) noexcept {
  mask &= (1u << 2 * width) - 1;  // bytes beyond those loaded are zeros, not the string's
  if (mask == 0) return n;
  if (const unsigned in_head = mask & ((1u << width) - 1); in_head != 0)
    return static_cast<unsigned>(__builtin_ctz(in_head));
  return n - width + static_cast<unsigned>(__builtin_ctz(mask >> width));
}
#endif

#ifdef RAPIDJSON_SSE2
/// Writes the `n` bytes that load_ends loaded into `x` to `w`.
inline void store_ends(char* w, __m128i x, std::size_t n, unsigned width) noexcept {
  if (width == 8) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(w), x);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(w + n - 8), _mm_unpackhi_epi64(x, x));
  } else {
    const auto head = static_cast<std::uint32_t>(_mm_cvtsi128_si32(x));
    const auto tail = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(x, 4)));
    std::memcpy(w, &head, 4);
    std::memcpy(w + n - 4, &tail, 4);
  }
}
#endif

/// Copies `s` to `w` (which has room for it) up to the first byte that `Stops` stops at:
/// `Stops::block(x)` marks such bytes of 16 (bit i for byte i; SSE2 builds) and
/// `Stops::stop(c)` tells one byte. Returns how many bytes come before it (`s.size()`
/// when none does); bytes after it may be copied too. Reads and writes only inside `s`
/// and its copy: a short string as two overlapping words, a longer one 16 bytes at a time
/// with an overlapping last block. The JSON and XML writers copy text with it.
template <class Stops>
[[gnu::always_inline]] inline std::size_t copy_plain(char* w, std::string_view s) noexcept {
  const char* const p = s.data();
  const std::size_t n = s.size();
#ifdef RAPIDJSON_SSE2
  if (n >= 4 && n <= 16) {
    unsigned width;
    const __m128i x = load_ends(p, n, width);
    store_ends(w, x, n, width);
    return first_in_ends(Stops::block(x), width, n);
  }
  if (n > 16) {
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w + i), x);
      if (const unsigned mask = Stops::block(x); mask != 0)
        return i + static_cast<unsigned>(__builtin_ctz(mask));
    }
    if (i != n) {  // the last bytes, in a block that overlaps the checked ones
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w + n - 16), x);
      if (const unsigned mask = Stops::block(x); mask != 0)
        return n - 16 + static_cast<unsigned>(__builtin_ctz(mask));
    }
    return n;
  }
#endif
  std::size_t i = 0;
  for (; i != n; ++i) {
    if (Stops::stop(static_cast<unsigned char>(p[i]))) break;
    w[i] = p[i];
  }
  return i;
}

/// Decodes the UTF-8 sequence at `s[pos]` and advances `pos` past it; nullopt (and
/// `pos` unchanged) for a truncated, overlong or surrogate sequence or one above U+10FFFF.
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& pos) noexcept;

/// Appends `c` (a Unicode scalar value) as UTF-8.
void append_utf8(std::string& out, char32_t c);

/// The XML 1.0 `Char` production: what a document may contain at all.
bool is_xml_char(char32_t c) noexcept;

/// The XML 1.0 `Name` production (a valid element or attribute name).
bool is_xml_name(std::string_view s) noexcept;

/// The first place where `s` stops being acceptable text.
struct text_fault {
  std::size_t offset;
  /// The offending code point, or nullopt when the bytes are not valid UTF-8.
  std::optional<char32_t> code_point;
};

/// Where `s` is not valid UTF-8, if anywhere.
std::optional<text_fault> find_invalid_utf8(std::string_view s) noexcept;

/// Where `s` is not valid UTF-8 or holds a code point outside XML's `Char`, if anywhere.
std::optional<text_fault> find_non_xml_text(std::string_view s) noexcept;

/// "is not valid UTF-8 at byte N" or "contains U+0001 at byte N, which XML 1.0 does not allow".
std::string describe(const text_fault& fault);

/// `s` made safe to quote in an error message: control bytes and invalid UTF-8 become
/// \xNN, and anything beyond `max` bytes is cut with "...".
std::string printable(std::string_view s, std::size_t max = 64);

}  // namespace ordergate::codec
