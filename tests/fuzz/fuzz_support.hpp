#pragma once
// Shared by the fuzz targets: splitting one fuzz input into parts and failing loudly when
// an invariant breaks (libFuzzer records an abort as a crash, with the input that caused
// it). Needs only the standard library, so the codec targets link the codec alone; what the
// mapping targets share is in fuzz_mappings.hpp.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::fuzz {

/// Separates the parts of a structured input (request, then one answer per step...).
inline constexpr std::string_view part_separator = "\n--part--\n";

/// `data` split at every part_separator.
inline std::vector<std::string_view> split_parts(std::string_view data) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = data.find(part_separator);
    parts.push_back(data.substr(0, at));
    if (at == std::string_view::npos) return parts;
    data.remove_prefix(at + part_separator.size());
  }
}

/// The first line of `part` (removed from it), without its '\n'.
inline std::string_view take_line(std::string_view& part) {
  const auto end = part.find('\n');
  const std::string_view line = part.substr(0, end);
  part = end == std::string_view::npos ? std::string_view() : part.substr(end + 1);
  return line;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Aborts with `why` (and the text involved): an invariant of the code under test broke.
[[noreturn]] inline void broken(std::string_view why, std::string_view text = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n%.*s\n", static_cast<int>(why.size()),
               why.data(), static_cast<int>(std::min<std::size_t>(text.size(), 4000)), text.data());
  std::abort();
}

}  // namespace ordergate::fuzz
