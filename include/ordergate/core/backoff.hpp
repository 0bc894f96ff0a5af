#pragma once
// How long to wait before trying again: exponential backoff with full jitter (a uniform
// pick in [0, min(cap, base * 2^(retry-1))]), so that clients that failed together do
// not retry together. Used by the upstream client and by the job engine.

#include <chrono>

namespace ordergate::core {

/// The wait before retry number `retry` (1 for the first retry).
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, unsigned retry,
                                        std::chrono::milliseconds cap);

}  // namespace ordergate::core
