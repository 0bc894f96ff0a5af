#include "ordergate/core/redact.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace ordergate::core {
namespace {

/// Whether text[at, at + size) can be replaced without cutting an escape sequence of
/// the JSON (or any backslash-escaped) text it lies in. A match that starts right after
/// an unpaired backslash, inside the four digits of a \u escape, or that ends with an
/// unpaired backslash is not the secret in the decoded text anyway: replacing it would
/// only break the escape (a client would get invalid JSON).
bool cuts_no_escape(const std::string& text, std::size_t at, std::size_t size) {
  std::size_t backslashes = 0;
  while (backslashes < at && text[at - 1 - backslashes] == '\\')
    ++backslashes;
  if (backslashes % 2 == 1) return false;
  // Inside \uXXXX: a "\u" with an even run of backslashes before it, 1 to 4 digits back.
  for (std::size_t back = 2; back <= 5 && back <= at; ++back) {
    const std::size_t u = at - back + 1;  // where 'u' would be
    if (text[u] != 'u' || text[u - 1] != '\\') continue;
    std::size_t run = 0;
    while (run < u - 1 && text[u - 2 - run] == '\\')
      ++run;
    if (run % 2 == 0) return false;
  }
  bool pending = false;  // an unpaired backslash inside the match
  for (std::size_t i = at; i < at + size; ++i)
    pending = text[i] == '\\' && !pending;
  return !pending;
}

/// How common a byte is in answer text (JSON of orders, messages): the bytes of
/// `common` from the commonest on; any other byte counts as rarer than all of them.
constexpr std::array<std::uint8_t, 256> commonness = [] {
  constexpr std::string_view common = "\" 0,:1e2a3t4o5i6n7s8r9lcdupm-._{}[]hgbfywkvxzjq";
  std::array<std::uint8_t, 256> rank{};
  for (std::size_t i = 0; i < common.size(); ++i)
    rank[static_cast<unsigned char>(common[i])] = static_cast<std::uint8_t>(common.size() - i);
  return rank;
}();

/// Where `secret` is searched by its rarest byte: memchr then runs over long stretches
/// of text between candidates, instead of stopping at every frequent first letter.
std::size_t rarest_byte(std::string_view secret) noexcept {
  std::size_t best = 0;
  for (std::size_t i = 1; i < secret.size(); ++i) {
    if (commonness[static_cast<unsigned char>(secret[i])] <
        commonness[static_cast<unsigned char>(secret[best])])
      best = i;
  }
  return best;
}

/// The first occurrence of `secret` in `text` at or after `from`, or npos; `pivot` is
/// the index of the byte memchr looks for.
std::size_t find_secret(const std::string& text, std::size_t from, std::string_view secret,
                        std::size_t pivot) noexcept {
  if (text.size() < secret.size() || from > text.size() - secret.size()) return std::string::npos;
  const char* const base = text.data();
  const char* p = base + from + pivot;
  // The last place the pivot byte can be with the whole secret still inside the text.
  const char* const last = base + (text.size() - secret.size()) + pivot;
  const char c = secret[pivot];
  while (p <= last) {
    p = static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(last - p) + 1));
    if (!p) break;
    const char* start = p - pivot;
    if (std::memcmp(start, secret.data(), secret.size()) == 0)
      return static_cast<std::size_t>(start - base);
    ++p;
  }
  return std::string::npos;
}

std::size_t replace_secrets(std::string& text, const std::vector<std::string>& secrets, bool json) {
  std::size_t replaced = 0;
  for (const std::string& secret : secrets) {
    if (secret.size() < min_redacted_length) continue;
    const std::size_t pivot = rarest_byte(secret);
    for (auto at = find_secret(text, 0, secret, pivot); at != std::string::npos;) {
      if (json && !cuts_no_escape(text, at, secret.size())) {
        at = find_secret(text, at + 1, secret, pivot);
        continue;
      }
      text.replace(at, secret.size(), redacted_marker);
      ++replaced;
      at = find_secret(text, at + redacted_marker.size(), secret, pivot);
    }
  }
  return replaced;
}

}  // namespace

std::size_t redact(std::string& text, const std::vector<std::string>& secrets) {
  return replace_secrets(text, secrets, false);
}

std::size_t redact_json(std::string& text, const std::vector<std::string>& secrets) {
  return replace_secrets(text, secrets, true);
}

}  // namespace ordergate::core
