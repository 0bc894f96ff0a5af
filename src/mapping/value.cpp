#include "ordergate/mapping/value.hpp"

#include "mapping/time_format.hpp"

namespace ordergate::mapping {

std::string_view vtype_name(vtype t) noexcept {
  switch (t) {
    case vtype::null:
      return "null";
    case vtype::omit:
      return "omit";
    case vtype::boolean:
      return "boolean";
    case vtype::number:
      return "number";
    case vtype::string:
      return "string";
    case vtype::array:
      return "array";
    case vtype::object:
      return "object";
    case vtype::time:
      return "time";
  }
  return "unknown";
}

bool value::as_boolean() const noexcept {
  if (tag_ == tag::node) return node_->as_boolean();
  return tag_ == tag::boolean && flag_;
}

std::string_view value::as_string() const noexcept {
  if (tag_ == tag::string) return {text_, size_};
  if (tag_ == tag::node && node_->is_string()) return node_->text();
  return {};
}

std::uint32_t value::size() const noexcept {
  if (tag_ == tag::node) return node_->size();
  return tag_ == tag::array || tag_ == tag::object ? size_ : 0;
}

value value::item(std::uint32_t i) const noexcept {
  if (tag_ == tag::node) {
    const auto items = node_->items();
    return i < items.size() ? value::of(&items[i]) : value();
  }
  if (tag_ == tag::array && i < size_) return items_[i];
  return value();
}

// The member where the hint says, with nothing else here: this path saves no registers
// for the general lookup, which is out of line.
value value::member(std::string_view key, const codec::position_hint* hint) const noexcept {
  if (tag_ == tag::node && hint) {
    if (const codec::node* m = node_->at_hint(key, *hint)) return value::of(m);
  }
  return find_member(key, hint);
}

value value::find_member(std::string_view key, const codec::position_hint* hint) const noexcept {
  if (tag_ == tag::node) {
    const codec::node* m = hint ? node_->find(key, *hint) : node_->find(key);
    if (m) return value::of(m);
    return node_->is_object() ? value::absent(node_, key) : value();
  }
  for (const field& f : computed_fields()) {
    if (f.key == key) return f.v;
  }
  return value();
}

namespace {

/// A number's literal: the text it was made with, else its decimal formatted into `buf`.
std::string_view number_literal(const value& v, char (&buf)[48]) noexcept {
  if (const std::string_view text = v.number_text(); !text.empty()) return text;
  return {buf, v.as_number().format(buf)};
}

}  // namespace

void write_member(codec::writer& w, const codec::member_key& k, const value& v) {
  if (const codec::node* n = v.node()) {
    if (n->is_string()) return w.string_member(k, n->text());
    if (n->is_number()) return w.number_member(k, n->text());
  } else if (v.type() == vtype::string) {
    return w.string_member(k, v.as_string());
  } else if (v.type() == vtype::number) {
    char buf[48];
    return w.number_member(k, number_literal(v, buf));
  }
  w.key(k);
  write_value(w, v);
}

void write_value(codec::writer& w, const value& v) {
  if (const codec::node* n = v.node()) {
    codec::write(w, *n);
    return;
  }
  switch (v.type()) {
    case vtype::null:
    case vtype::omit:
      w.null();
      return;
    case vtype::boolean:
      w.boolean(v.as_boolean());
      return;
    case vtype::number: {
      char buf[48];
      w.number(number_literal(v, buf));
      return;
    }
    case vtype::string:
      w.string(v.as_string());
      return;
    case vtype::array:
      w.begin_array();
      for (const value& item : v.computed_items()) {
        if (!item.is_omit()) write_value(w, item);
      }
      w.end_array();
      return;
    case vtype::object:
      w.begin_object();
      for (const field& f : v.computed_fields()) {
        if (f.v.is_omit()) continue;
        w.key(f.key);
        write_value(w, f.v);
      }
      w.end_object();
      return;
    case vtype::time: {
      char buf[40];
      w.string({buf, format_rfc3339_utc_ms(v.as_time(), buf)});
      return;
    }
  }
}

std::optional<decimal> numeric(const value& v) noexcept {
  if (const codec::node* n = v.node()) {
    if (n->is_number()) return decimal::parse(n->text());
    return std::nullopt;
  }
  if (v.type() == vtype::number) return v.as_number();
  return std::nullopt;
}

bool values_equal(const value& a, const value& b) noexcept {
  const vtype ta = a.type(), tb = b.type();
  if (ta != tb)
    return ta == vtype::omit && tb == vtype::null ? true : (ta == vtype::null && tb == vtype::omit);
  switch (ta) {
    case vtype::null:
    case vtype::omit:
      return true;
    case vtype::boolean:
      return a.as_boolean() == b.as_boolean();
    case vtype::number: {
      const auto x = numeric(a), y = numeric(b);
      return x && y && decimal::compare(*x, *y) == 0;
    }
    case vtype::string:
      return a.as_string() == b.as_string();
    case vtype::time:
      return a.as_time() == b.as_time();
    case vtype::array: {
      if (a.size() != b.size()) return false;
      for (std::uint32_t i = 0; i < a.size(); ++i) {
        if (!values_equal(a.item(i), b.item(i))) return false;
      }
      return true;
    }
    case vtype::object: {
      if (a.size() != b.size()) return false;
      bool same = true;
      // Compare by key: member order does not matter for equality.
      auto check = [&](std::string_view key, const value& av) {
        if (same && !values_equal(av, b.member(key))) same = false;
      };
      if (const codec::node* n = a.node()) {
        for (const codec::member& m : n->members())
          check(m.key, value::of(&m.value));
      } else {
        for (const field& f : a.computed_fields())
          check(f.key, f.v);
      }
      return same;
    }
  }
  return false;
}

bool truthy(const value& v) noexcept {
  switch (v.type()) {
    case vtype::null:
    case vtype::omit:
      return false;
    case vtype::boolean:
      return v.as_boolean();
    case vtype::number: {
      const auto d = numeric(v);
      return d && !d->is_zero();
    }
    case vtype::string:
      return !v.as_string().empty();
    case vtype::array:
    case vtype::object:
      return v.size() != 0;
    case vtype::time:
      return true;
  }
  return false;
}

}  // namespace ordergate::mapping
