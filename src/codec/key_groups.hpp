#pragma once
// Finds repeated keys in a sequence (repeated XML sibling elements, repeated form fields)
// in linear time, so that a hostile input with many distinct keys cannot make it quadratic.

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ordergate::codec {

/// Positions of a key sequence linked by equal key, in order. Reusable: `assign`
/// keeps the allocated memory.
class key_groups {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  /// Groups `keys`; they must outlive this object's use.
  void assign(std::span<const std::string_view> keys);

  /// True when position `i` holds the first occurrence of its key.
  bool is_first(std::uint32_t i) const noexcept { return count_[i] != 0; }
  /// How many times the key first seen at `i` occurs (only for a first occurrence).
  std::uint32_t count(std::uint32_t i) const noexcept { return count_[i]; }
  /// The next position with the same key as `i`, or npos.
  std::uint32_t next(std::uint32_t i) const noexcept { return next_[i]; }

 private:
  std::uint32_t find_first(std::span<const std::string_view> keys, std::uint32_t i);

  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> count_;
  std::vector<std::uint32_t> last_;
  std::unordered_map<std::string_view, std::uint32_t> firsts_;
};

}  // namespace ordergate::codec
