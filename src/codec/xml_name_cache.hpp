#pragma once
// Element names the XML writer has found valid, so that it checks each distinct key once
// per document rather than once per element. Inline: it runs for every key written.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ordergate::codec {

/// Element names already found valid. A mapping writes the same few keys for every
/// element, and finding a name here costs a fraction of checking it again. Open
/// addressing in a table at most half full, names kept in a fixed buffer (no allocation);
/// once either is full, further names are simply not remembered.
class xml_name_cache {
 public:
  /// Whether `name` was added.
  bool contains(std::string_view name) const noexcept;
  /// Remembers `name`, which the caller found valid, while there is room.
  void add(std::string_view name) noexcept;

 private:
  static constexpr std::size_t slot_count = 64;
  struct slot {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;  // 0: empty
  };
  static std::size_t slot_of(std::string_view name) noexcept;

  std::array<slot, slot_count> slots_{};
  std::array<char, 1024> text_;  // the names, one after another
  std::size_t used_ = 0;         // bytes of text_ holding names
  std::size_t size_ = 0;         // names held
};

inline bool xml_name_cache::contains(std::string_view name) const noexcept {
  for (std::size_t i = slot_of(name);; i = (i + 1) % slot_count) {
    const slot& s = slots_[i];
    if (s.length == 0) return false;  // the table is never full: an empty slot ends the probe
    if (std::string_view(text_.data() + s.offset, s.length) == name) return true;
  }
}

inline void xml_name_cache::add(std::string_view name) noexcept {
  if (name.empty() || size_ == slot_count / 2 || name.size() > text_.size() - used_) return;
  std::size_t i = slot_of(name);
  while (slots_[i].length != 0)
    i = (i + 1) % slot_count;
  slots_[i] = {static_cast<std::uint32_t>(used_), static_cast<std::uint32_t>(name.size())};
  std::memcpy(text_.data() + used_, name.data(), name.size());
  used_ += name.size();
  ++size_;
}

/// A hash of the length and up to sixteen bytes: names differ in their ends.
inline std::size_t xml_name_cache::slot_of(std::string_view name) noexcept {
  std::uint64_t word = name.size();
  if (name.size() >= 8) {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    std::memcpy(&head, name.data(), 8);
    std::memcpy(&tail, name.data() + name.size() - 8, 8);
    word ^= head ^ (tail * 31);
  } else {
    for (const char c : name)
      word = (word << 8) | static_cast<unsigned char>(c);
  }
  return static_cast<std::size_t>((word * 0x9E3779B97F4A7C15ULL) >> 58);  // 64 slots
}

}  // namespace ordergate::codec
