#include "codec/unicode.hpp"

#include "ordergate/core/utf8.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace ordergate::codec {
namespace {

bool is_continuation(unsigned char b) noexcept {
  return (b & 0xC0) == 0x80;
}

constexpr bool in(char32_t c, char32_t lo, char32_t hi) noexcept {
  return c >= lo && c <= hi;
}

constexpr bool is_name_start(char32_t c) noexcept {
  return c == ':' || c == '_' || in(c, 'A', 'Z') || in(c, 'a', 'z') || in(c, 0xC0, 0xD6) ||
         in(c, 0xD8, 0xF6) || in(c, 0xF8, 0x2FF) || in(c, 0x370, 0x37D) || in(c, 0x37F, 0x1FFF) ||
         in(c, 0x200C, 0x200D) || in(c, 0x2070, 0x218F) || in(c, 0x2C00, 0x2FEF) ||
         in(c, 0x3001, 0xD7FF) || in(c, 0xF900, 0xFDCF) || in(c, 0xFDF0, 0xFFFD) ||
         in(c, 0x10000, 0xEFFFF);
}

constexpr bool is_name_char(char32_t c) noexcept {
  return is_name_start(c) || c == '-' || c == '.' || in(c, '0', '9') || c == 0xB7 ||
         in(c, 0x300, 0x36F) || in(c, 0x203F, 0x2040);
}

// What each ASCII byte may be in an XML name (the ASCII part of is_name_start/_char).
constexpr std::uint8_t not_name = 0;
constexpr std::uint8_t name_char = 1;
constexpr std::uint8_t name_start = 2;
constexpr std::array<std::uint8_t, 128> ascii_name_bytes = [] {
  std::array<std::uint8_t, 128> kind{};
  for (char32_t c = 0; c < 128; ++c) {
    kind[c] = is_name_start(c) ? name_start : is_name_char(c) ? name_char : not_name;
  }
  return kind;
}();

template <typename Accept>
std::optional<text_fault> find_fault(std::string_view s, Accept accept) noexcept {
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t at = pos;
    if (const auto b = static_cast<unsigned char>(s[pos]); b < 0x80) {  // most text is ASCII
      if (!accept(b)) return text_fault{at, b};
      ++pos;
      continue;
    }
    const std::optional<char32_t> c = next_code_point(s, pos);
    if (!c) return text_fault{at, std::nullopt};
    if (!accept(*c)) return text_fault{at, c};
  }
  return std::nullopt;
}

}  // namespace

std::optional<char32_t> next_code_point(std::string_view s, std::size_t& pos) noexcept {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) return static_cast<char32_t>(s[pos++]);
  std::size_t length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, c = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, c = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (!is_continuation(b)) return std::nullopt;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || in(c, 0xD800, 0xDFFF)) return std::nullopt;
  pos += length;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  char bytes[4];
  out.append(bytes, core::encode_utf8(c, bytes));
}

bool is_xml_char(char32_t c) noexcept {
  return c == 0x9 || c == 0xA || c == 0xD || in(c, 0x20, 0xD7FF) || in(c, 0xE000, 0xFFFD) ||
         in(c, 0x10000, 0x10FFFF);
}

bool is_xml_name(std::string_view s) noexcept {
  if (s.empty()) return false;
  // Names are nearly always ASCII: check those bytes by table, decode from the first other.
  std::size_t pos = 0;
  for (; pos < s.size(); ++pos) {
    const auto b = static_cast<unsigned char>(s[pos]);
    if (b >= 0x80) break;
    if (ascii_name_bytes[b] < (pos == 0 ? name_start : name_char)) return false;
  }
  bool first = pos == 0;
  while (pos < s.size()) {
    const std::optional<char32_t> c = next_code_point(s, pos);
    if (!c || !(first ? is_name_start(*c) : is_name_char(*c))) return false;
    first = false;
  }
  return true;
}

std::optional<text_fault> find_invalid_utf8(std::string_view s) noexcept {
  // Documents are mostly ASCII: skip it sixteen bytes at a time, decode the rest.
  constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (s.size() - pos >= 16) {
      std::uint64_t words[2];
      std::memcpy(words, s.data() + pos, 16);
      if (((words[0] | words[1]) & high_bits) == 0) {
        pos += 16;
        continue;
      }
    }
    const std::size_t at = pos;
    const auto lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) {
      ++pos;
    } else if (lead >= 0xC2 && lead <= 0xDF && pos + 1 < s.size() &&
               is_continuation(static_cast<unsigned char>(s[pos + 1]))) {
      pos += 2;  // two-byte sequences (Cyrillic) are most of the non-ASCII text we see
    } else if (!next_code_point(s, pos)) {
      return text_fault{at, std::nullopt};
    }
  }
  return std::nullopt;
}

std::optional<text_fault> find_non_xml_text(std::string_view s) noexcept {
  return find_fault(s, is_xml_char);
}

std::string describe(const text_fault& fault) {
  const std::string at = " at byte " + std::to_string(fault.offset);
  if (!fault.code_point) return "is not valid UTF-8" + at;
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*fault.code_point));
  return std::string("contains ") + code + at + ", which XML 1.0 does not allow";
}

std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size() && pos < max) {
    const std::size_t at = pos;
    const std::optional<char32_t> c = next_code_point(s, pos);
    if (c && *c >= 0x20 && *c != 0x7F) {
      out.append(s.substr(at, pos - at));
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(s[at]));
    out += hex;
    pos = at + 1;
  }
  if (pos < s.size()) out += "...";
  return out;
}

}  // namespace ordergate::codec
