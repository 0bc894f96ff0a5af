#pragma once
// The one in-memory document model every codec decodes into and every encoder reads.

#include "ordergate/core/short_bytes.hpp"

#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>

namespace ordergate::codec {

/// What a node holds. Numbers keep their literal text so that values pass through
/// unchanged and decimal arithmetic can parse them exactly.
enum class kind : std::uint8_t { null, boolean, number, string, array, object };

std::string_view kind_name(kind of) noexcept;

struct member;

/// Where a key was last found: documents of one vendor repeat their member order, so a
/// compiled path step that remembers the position finds its member without scanning.
/// Shared by every thread evaluating the step; read and written with relaxed atomics
/// (a stale guess only costs the scan).
class position_hint {
 public:
  std::uint32_t load() const noexcept { return ref().load(std::memory_order_relaxed); }
  void store(std::uint32_t i) const noexcept { ref().store(i, std::memory_order_relaxed); }

 private:
  std::atomic_ref<std::uint32_t> ref() const noexcept { return std::atomic_ref(at_); }
  alignas(std::atomic_ref<std::uint32_t>::required_alignment) mutable std::uint32_t at_ = 0;
};

/// One value of a decoded document: 16 bytes, trivially copyable. What it points to
/// lives in the arena it was decoded into (strings may point into the input buffer).
class node {
 public:
  constexpr node() noexcept : ptr_(nullptr), size_(0), kind_(kind::null), flag_(false) {}

  static constexpr node make_null() noexcept { return node(); }
  static constexpr node make_boolean(bool b) noexcept { return node(nullptr, 0, kind::boolean, b); }
  /// `literal` must be valid JSON number text.
  static node make_number(std::string_view literal) noexcept {
    return node(literal.data(), static_cast<std::uint32_t>(literal.size()), kind::number, false);
  }
  static node make_string(std::string_view s) noexcept {
    return node(s.data(), static_cast<std::uint32_t>(s.size()), kind::string, false);
  }
  static node make_array(const node* items, std::uint32_t n) noexcept {
    return node(items, n, kind::array, false);
  }
  static node make_object(const member* members, std::uint32_t n) noexcept {
    return node(members, n, kind::object, false);
  }

  kind type() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == kind::null; }
  bool is_string() const noexcept { return kind_ == kind::string; }
  bool is_number() const noexcept { return kind_ == kind::number; }
  bool is_array() const noexcept { return kind_ == kind::array; }
  bool is_object() const noexcept { return kind_ == kind::object; }

  bool as_boolean() const noexcept { return flag_; }
  /// The bytes of a string, or the literal text of a number.
  std::string_view text() const noexcept { return {static_cast<const char*>(ptr_), size_}; }
  std::span<const node> items() const noexcept {
    return {static_cast<const node*>(ptr_), kind_ == kind::array ? size_ : 0};
  }
  std::span<const member> members() const noexcept;
  /// Number of array elements or object members.
  std::uint32_t size() const noexcept { return kind_ >= kind::array ? size_ : 0; }

  /// The first member named `key`, or nullptr (also when this is not an object).
  const node* find(std::string_view key) const noexcept;
  /// The same, trying the member at `hint` first and remembering where `key` was found.
  const node* find(std::string_view key, const position_hint& hint) const noexcept;
  /// The member at `hint` when it is named `key`, else nullptr (nothing is scanned).
  const node* at_hint(std::string_view key, const position_hint& hint) const noexcept;

 private:
  const node* find_and_remember(std::string_view key, const position_hint& hint) const noexcept;
  constexpr node(const void* p, std::uint32_t n, kind of, bool flag) noexcept
      : ptr_(p), size_(n), kind_(of), flag_(flag) {}

  const void* ptr_;
  std::uint32_t size_;
  kind kind_;
  bool flag_;
};

/// An object member; objects keep their members in document order.
struct member {
  std::string_view key;
  node value;
};

inline std::span<const member> node::members() const noexcept {
  return {static_cast<const member*>(ptr_), kind_ == kind::object ? size_ : 0};
}

// Inline: every compiled path step of a mapping asks it, and the guess is nearly always
// right.
inline const node* node::at_hint(std::string_view key, const position_hint& hint) const noexcept {
  const std::span<const member> ms = members();
  const std::uint32_t guess = hint.load();
  return guess < ms.size() && core::same_text(ms[guess].key, key) ? &ms[guess].value : nullptr;
}

inline const node* node::find(std::string_view key, const position_hint& hint) const noexcept {
  if (const node* m = at_hint(key, hint)) return m;
  return find_and_remember(key, hint);
}

/// Limits applied to untrusted input while decoding.
struct decode_limits {
  std::size_t max_bytes = 1u << 20;  ///< input size
  unsigned max_depth = 64;           ///< nesting of arrays and objects
};

/// Why a document could not be decoded: a human sentence with the byte offset.
struct decode_error {
  std::string message;
};

/// Copies `s` into `arena` (strings made by codecs and the evaluator live there).
std::string_view store(std::pmr::memory_resource& arena, std::string_view s);

/// Deep structural equality (numbers compared by value text after normalisation
/// is the caller's business: here "1.0" and "1" differ).
bool equal(const node& a, const node& b) noexcept;

}  // namespace ordergate::codec
