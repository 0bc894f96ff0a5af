#pragma once
// Values computed by mapping expressions. Values read from input documents stay
// references to their nodes (no copy, and an error can name the input path they
// came from); computed strings, arrays and objects live in the request's arena.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/writer.hpp"
#include "ordergate/mapping/decimal.hpp"

#include <cstdint>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>

namespace ordergate::mapping {

/// What a value is after looking through input nodes.
enum class vtype : std::uint8_t { null, omit, boolean, number, string, array, object, time };

std::string_view vtype_name(vtype t) noexcept;

struct field;

class value {
 public:
  value() noexcept : tag_(tag::null) {}

  static value null() noexcept { return value(); }
  /// The marker that makes an output field or array element disappear.
  static value omit() noexcept {
    value v;
    v.tag_ = tag::omit;
    return v;
  }
  static value boolean(bool b) noexcept {
    value v;
    v.tag_ = tag::boolean;
    v.flag_ = b;
    return v;
  }
  static value number(decimal d) noexcept {
    value v;
    v.tag_ = tag::number;
    v.number_ = d;
    return v;
  }
  /// A number together with its text in shortest form (decimal::format's), when that
  /// is already at hand: a number read from an input's text. `text` must outlive it.
  static value number(decimal d, std::string_view text) noexcept {
    value v = number(d);
    v.text_of_number_ = text.data();
    v.size_ = static_cast<std::uint32_t>(text.size());
    return v;
  }
  static value string(std::string_view s) noexcept {
    value v;
    v.tag_ = tag::string;
    v.text_ = s.data();
    v.size_ = static_cast<std::uint32_t>(s.size());
    return v;
  }
  /// A reference to a node of an input document (which must outlive the value).
  static value of(const codec::node* n) noexcept {
    value v;
    v.tag_ = tag::node;
    v.node_ = n;
    return v;
  }
  static value array(const value* items, std::uint32_t n) noexcept {
    value v;
    v.tag_ = tag::array;
    v.items_ = items;
    v.size_ = n;
    return v;
  }
  static value object(const field* fields, std::uint32_t n) noexcept {
    value v;
    v.tag_ = tag::object;
    v.fields_ = fields;
    v.size_ = n;
    return v;
  }
  /// null standing for the member `key` that `parent` (an input object node) lacks, so
  /// that an error about it can name where it would have been. `key` must outlive it.
  static value absent(const codec::node* parent, std::string_view key) noexcept {
    value v;
    v.tag_ = tag::absent;
    v.absent_.parent = parent;
    v.absent_.key = key.data();
    v.size_ = static_cast<std::uint32_t>(key.size());
    return v;
  }
  /// For an absent member: the object node that lacks it, else nullptr.
  const codec::node* absent_parent() const noexcept {
    return tag_ == tag::absent ? absent_.parent : nullptr;
  }
  /// For an absent member: its key.
  std::string_view absent_key() const noexcept {
    return tag_ == tag::absent ? std::string_view(absent_.key, size_) : std::string_view();
  }
  /// A point in time, microseconds since the Unix epoch (UTC).
  static value time(std::int64_t micros) noexcept {
    value v;
    v.tag_ = tag::time;
    v.micros_ = micros;
    return v;
  }

  vtype type() const noexcept;
  bool is_null() const noexcept { return type() == vtype::null; }
  bool is_omit() const noexcept { return tag_ == tag::omit; }
  /// null, or omit: "nothing here".
  bool is_nothing() const noexcept { return tag_ == tag::omit || type() == vtype::null; }

  /// The input node this value refers to, or nullptr for computed values.
  const codec::node* node() const noexcept { return tag_ == tag::node ? node_ : nullptr; }

  bool as_boolean() const noexcept;
  /// String bytes (also of a string node); empty for other types.
  std::string_view as_string() const noexcept;
  const decimal& as_number() const noexcept { return number_; }
  /// For a computed number made with its text: that text (what decimal::format writes);
  /// else empty.
  std::string_view number_text() const noexcept {
    return tag_ == tag::number ? std::string_view(text_of_number_, size_) : std::string_view();
  }
  std::int64_t as_time() const noexcept { return micros_; }
  /// Computed arrays only (use for_each_item to cover array nodes too).
  std::span<const value> computed_items() const noexcept {
    return tag_ == tag::array ? std::span<const value>(items_, size_) : std::span<const value>();
  }
  std::span<const field> computed_fields() const noexcept;
  /// Elements of an array, or members of an object.
  std::uint32_t size() const noexcept;

  /// The i-th element of an array (computed or node); null when out of range.
  value item(std::uint32_t i) const noexcept;
  /// The member `key` of an object (computed or node); null when absent. A compiled
  /// path step passes the `hint` where its key was last found.
  value member(std::string_view key, const codec::position_hint* hint = nullptr) const noexcept;

 private:
  [[gnu::noinline]] value find_member(std::string_view key,
                                      const codec::position_hint* hint) const noexcept;
  enum class tag : std::uint8_t {
    null,
    omit,
    boolean,
    number,
    string,
    node,
    array,
    object,
    time,
    absent
  };
  struct absent_member {
    const codec::node* parent;
    const char* key;
  };
  tag tag_;
  bool flag_ = false;
  std::uint32_t size_ = 0;
  // In what would be padding before the union (aligned for the decimal's 128 bits).
  const char* text_of_number_ = nullptr;
  union {
    std::int64_t micros_ = 0;
    decimal number_;
    const char* text_;
    const codec::node* node_;
    const value* items_;
    const field* fields_;
    absent_member absent_;
  };
};

struct field {
  std::string_view key;
  value v;
};

static_assert(sizeof(value) == 48, "a value is copied on every step of an evaluation");

inline std::span<const field> value::computed_fields() const noexcept {
  return tag_ == tag::object ? std::span<const field>(fields_, size_) : std::span<const field>();
}

inline vtype value::type() const noexcept {
  switch (tag_) {
    case tag::null:
    case tag::absent:
      return vtype::null;
    case tag::omit:
      return vtype::omit;
    case tag::boolean:
      return vtype::boolean;
    case tag::number:
      return vtype::number;
    case tag::string:
      return vtype::string;
    case tag::array:
      return vtype::array;
    case tag::object:
      return vtype::object;
    case tag::time:
      return vtype::time;
    case tag::node:
      switch (node_->type()) {
        case codec::kind::null:
          return vtype::null;
        case codec::kind::boolean:
          return vtype::boolean;
        case codec::kind::number:
          return vtype::number;
        case codec::kind::string:
          return vtype::string;
        case codec::kind::array:
          return vtype::array;
        case codec::kind::object:
          return vtype::object;
      }
  }
  return vtype::null;
}

/// Calls `f(value)` for each element of an array, or each member value of an object
/// (in document order); does nothing for null. Returns false for other types.
template <typename F>
bool for_each_item(const value& v, F&& f) {
  if (const codec::node* n = v.node()) {
    if (n->is_array()) {
      for (const codec::node& item : n->items())
        f(value::of(&item));
      return true;
    }
    if (n->is_object()) {
      for (const codec::member& m : n->members())
        f(value::of(&m.value));
      return true;
    }
    return n->is_null();
  }
  switch (v.type()) {
    case vtype::array:
      for (const value& item : v.computed_items())
        f(item);
      return true;
    case vtype::object:
      for (const field& fl : v.computed_fields())
        f(fl.v);
      return true;
    case vtype::null:
    case vtype::omit:
      return true;
    default:
      return false;
  }
}

/// Writes `v` to `w`: omitted members and elements are skipped, times are written as
/// RFC 3339 UTC with milliseconds.
void write_value(codec::writer& w, const value& v);
/// Writes the member `k` with the value `v` (not omit): strings and numbers as one event.
void write_member(codec::writer& w, const codec::member_key& k, const value& v);

/// The number a value holds: a number, or a number node. nullopt for anything else
/// (strings are not converted here: that is number()'s job).
std::optional<decimal> numeric(const value& v) noexcept;

/// Equality as the `==` operator sees it: numbers by value, strings by bytes,
/// arrays and objects element-wise; different types are never equal.
bool values_equal(const value& a, const value& b) noexcept;

/// Allocates `n` null values in `arena` (for computed arrays).
value* allocate_values(std::pmr::memory_resource& arena, std::size_t n);

/// A human description for messages: `"Lost"`, `12.5`, `null`, `an object`.
std::string describe_value(const value& v);

/// Truthiness for conditions: null, omit, false, "", 0 and empty arrays/objects are false.
bool truthy(const value& v) noexcept;

}  // namespace ordergate::mapping
