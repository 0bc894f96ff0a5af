#include "codec/key_groups.hpp"

namespace ordergate::codec {
namespace {

// Below this many keys a linear search beats hashing (most elements have few children).
constexpr std::size_t linear_limit = 16;

}  // namespace

void key_groups::assign(std::span<const std::string_view> keys) {
  const auto n = static_cast<std::uint32_t>(keys.size());
  next_.assign(n, npos);
  count_.assign(n, 0);
  last_.assign(n, npos);
  if (n > linear_limit) {
    // clear() costs as much as the bucket array: after one huge group, many small
    // ones would be quadratic, so a map much larger than needed is dropped instead.
    if (firsts_.bucket_count() > 4 * std::size_t{n}) firsts_ = {};
    firsts_.clear();
    firsts_.reserve(n);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t first = find_first(keys, i);
    if (first == npos) {
      count_[i] = 1;
      last_[i] = i;
    } else {
      next_[last_[first]] = i;
      last_[first] = i;
      ++count_[first];
    }
  }
}

std::uint32_t key_groups::find_first(std::span<const std::string_view> keys, std::uint32_t i) {
  if (keys.size() <= linear_limit) {
    for (std::uint32_t j = 0; j < i; ++j) {
      if (count_[j] != 0 && keys[j] == keys[i]) return j;
    }
    return npos;
  }
  const auto [it, inserted] = firsts_.try_emplace(keys[i], i);
  return inserted ? npos : it->second;
}

}  // namespace ordergate::codec
