#pragma once
// Copying and comparing the short byte strings codecs mostly handle (member keys,
// numbers): a few fixed-size loads instead of a call to memcpy or memcmp.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ordergate::core {

/// Copies `n` bytes from `from` to `to` (which do not overlap).
inline void copy_short(char* to, const char* from, std::size_t n) noexcept {
  if (n >= 8 && n <= 16) {
    std::memcpy(to, from, 8);
    std::memcpy(to + n - 8, from + n - 8, 8);
  } else if (n > 16 && n <= 32) {  // keys with their values, as prepared members are
    std::memcpy(to, from, 16);
    std::memcpy(to + n - 16, from + n - 16, 16);
  } else if (n >= 4 && n < 8) {
    std::memcpy(to, from, 4);
    std::memcpy(to + n - 4, from + n - 4, 4);
  } else if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      to[i] = from[i];
  } else {
    std::memcpy(to, from, n);
  }
}

/// `c` with A-Z lowered, every other byte as it is: header names and media types are
/// ASCII, and std::tolower asks the locale for every byte.
constexpr char lower_ascii(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Whether the `n` bytes at `a` and at `b` are the same.
inline bool same_short(const char* a, const char* b, std::size_t n) noexcept {
  const auto load8 = [](const char* p) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    return x;
  };
  const auto load4 = [](const char* p) {
    std::uint32_t x;
    std::memcpy(&x, p, 4);
    return x;
  };
  if (n >= 8 && n <= 16)
    return ((load8(a) ^ load8(b)) | (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
  if (n > 16 && n <= 32) {
    // Member keys like "fulfillment_contact_id": the first 16 bytes and the last 16.
    return ((load8(a) ^ load8(b)) | (load8(a + 8) ^ load8(b + 8)) |
            (load8(a + n - 16) ^ load8(b + n - 16)) | (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
  }
  if (n >= 4 && n < 8) return ((load4(a) ^ load4(b)) | (load4(a + n - 4) ^ load4(b + n - 4))) == 0;
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

/// Whether `a` and `b` hold the same bytes. Reads no byte of an empty view, whose data
/// pointer may be null (as an empty key's is).
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_short(a.data(), b.data(), a.size());
}

}  // namespace ordergate::core
