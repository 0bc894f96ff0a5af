#include "ordergate/core/redact.hpp"

namespace ordergate::core {

std::size_t redact(std::string& text, const std::vector<std::string>& secrets) {
  std::size_t replaced = 0;
  for (const std::string& secret : secrets) {
    if (secret.size() < min_redacted_length) continue;
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + redacted_marker.size())) {
      text.replace(at, secret.size(), redacted_marker);
      ++replaced;
    }
  }
  return replaced;
}

}  // namespace ordergate::core
