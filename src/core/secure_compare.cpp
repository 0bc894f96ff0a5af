#include "ordergate/core/secure_compare.hpp"

namespace ordergate::core {

bool secure_equal(std::string_view a, std::string_view b) noexcept {
  // Walk the longer input whole so that the loop never exits early.
  const std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

}  // namespace ordergate::core
