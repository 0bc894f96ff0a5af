#pragma once
// Counts heap allocations of the whole process, so a benchmark can report
// allocations per document. Replaces the global operator new (bench programs only).

#include <cstdint>

namespace ordergate::bench {

/// Allocations made by this process so far (all threads).
std::uint64_t allocations() noexcept;

}  // namespace ordergate::bench
