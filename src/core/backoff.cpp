#include "ordergate/core/backoff.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace ordergate::core {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, unsigned retry,
                                        std::chrono::milliseconds cap) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const unsigned shift = std::min(retry == 0 ? 0u : retry - 1, 20u);
  const auto ceiling = std::min(cap, base * (std::int64_t{1} << shift));
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(0, ceiling.count()));
  return std::chrono::milliseconds(pick(random));
}

}  // namespace ordergate::core
