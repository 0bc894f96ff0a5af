#pragma once
// Comparing secrets without leaking where they differ through timing.

#include <string_view>

namespace ordergate::core {

/// True when `a` equals `b`; the time taken depends only on the lengths.
bool secure_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace ordergate::core
