#include "ordergate/core/redact.hpp"

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

std::size_t replace_secrets(std::string& text, const std::vector<std::string>& secrets, bool json) {
  std::size_t replaced = 0;
  for (const std::string& secret : secrets) {
    if (secret.size() < min_redacted_length) continue;
    for (auto at = text.find(secret); at != std::string::npos;) {
      if (json && !cuts_no_escape(text, at, secret.size())) {
        at = text.find(secret, at + 1);
        continue;
      }
      text.replace(at, secret.size(), redacted_marker);
      ++replaced;
      at = text.find(secret, at + redacted_marker.size());
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
