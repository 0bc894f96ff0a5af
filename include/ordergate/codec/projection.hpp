#pragma once
// Which parts of a document a reader needs. A mapping knows at load every path it can
// read from an answer (`order.id`, `order.items[].price`...); decoding only those, and
// validating the rest without building it, is most of the work saved on a large answer.

#include "ordergate/core/short_bytes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::codec {

/// A tree of what to keep below one value. Built once at load, then read-only and
/// shared by every thread.
class projection {
 public:
  /// Keeps everything (a full decode).
  static const projection& everything() noexcept { return everything_; }
  /// Keeps only the value's kind and, for arrays, its elements' kinds.
  static const projection& nothing() noexcept { return nothing_; }

  // Building (at load).
  /// Keep the whole subtree.
  void keep_all() noexcept { all_ = true; }
  /// Keep every member of an object, even those no path names (their contents only as
  /// far as `each` says): its size, keys and truthiness are then right.
  void keep_every_member() noexcept { every_ = true; }
  /// What to keep of the member `key`.
  projection& member(std::string_view key);
  /// What to keep of each array element (and, with keep_every_member, of each member).
  projection& each();
  /// Merges `other` into this one.
  void merge(const projection& other);
  /// Prepares the tree for decoding; call once, on the root, when building is done.
  void finish();

  // Decoding.
  bool all() const noexcept { return all_; }
  /// What to keep of the member `key` of an object, or nullptr to skip it. Inline: the
  /// reader asks it for every member of every object it reads.
  const projection* find(std::string_view key) const noexcept {
    if (all_) return &everything();
    if (key_lengths_ & length_bit(key.size())) {
      // Most keys of a vendor's object are not kept: one slot of a small table tells.
      const std::uint8_t at = slots_[slot_of(key)];
      if (at == collision) return find_in_all(key);
      if (at != 0) {
        const auto& [k, p] = members_[at - 1];
        if (core::same_text(k, key)) return p.get();
      }
    }
    return every_ ? &element() : nullptr;
  }
  /// What to keep of each array element.
  const projection& element() const noexcept {
    if (all_) return everything();
    return each_ ? *each_ : nothing();
  }

  /// Numbers the projections of a finished tree 0, 1, ... (the root is 0): a reader
  /// keeps per-document notes about each (see json_reader.cpp). `unnumbered` for
  /// everything() and nothing(); tree_size() is 0 except on a finished root.
  static constexpr std::uint32_t unnumbered = UINT32_MAX;
  std::uint32_t ordinal() const noexcept { return ordinal_; }
  std::uint32_t tree_size() const noexcept { return tree_size_; }

  /// "{id, items[]: {price}}": the paths kept, for tests and diagnostics.
  std::string describe() const;

 private:
  static const projection everything_;
  static const projection nothing_;
  bool all_ = false;
  bool every_ = false;
  std::unique_ptr<projection> each_;
  std::vector<std::pair<std::string, std::unique_ptr<projection>>> members_;
  std::uint64_t key_lengths_ = 0;  ///< bit n set: some member key has length n (or >= 63)
  static constexpr std::size_t slot_count = 64;
  static constexpr std::uint8_t collision = 255;
  static std::uint64_t length_bit(std::size_t length) noexcept {
    return std::uint64_t{1} << std::min<std::size_t>(length, 63);
  }
  static std::size_t slot_of(std::string_view key) noexcept {
    // Length and the last two bytes: cheap, and enough to tell a few dozen keys apart.
    std::size_t h = key.size() * 31;
    if (!key.empty()) h += static_cast<unsigned char>(key.back()) * 7;
    if (key.size() > 1) h += static_cast<unsigned char>(key[key.size() - 2]);
    return h % slot_count;
  }
  /// finish() below the root; numbers this projection and its descendants from `next`.
  void finish_subtree(std::uint32_t& next);
  std::uint32_t ordinal_ = unnumbered;
  std::uint32_t tree_size_ = 0;
  /// find() for a key whose slot several members share.
  const projection* find_in_all(std::string_view key) const noexcept;
  /// Per slot: 1 + the index of the one member whose key lands there, `collision` when
  /// several do, 0 when none.
  std::array<std::uint8_t, slot_count> slots_{};
};

}  // namespace ordergate::codec
