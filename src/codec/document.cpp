#include "ordergate/codec/document.hpp"

#include "ordergate/codec/writer.hpp"
#include "ordergate/core/short_bytes.hpp"

#include <cstring>

namespace ordergate::codec {

std::string_view kind_name(kind of) noexcept {
  switch (of) {
    case kind::null:
      return "null";
    case kind::boolean:
      return "boolean";
    case kind::number:
      return "number";
    case kind::string:
      return "string";
    case kind::array:
      return "array";
    case kind::object:
      return "object";
  }
  return "unknown";
}

const node* node::find(std::string_view key) const noexcept {
  for (const member& m : members()) {
    if (core::same_text(m.key, key)) return &m.value;
  }
  return nullptr;
}

const node* node::find_and_remember(std::string_view key,
                                    const position_hint& hint) const noexcept {
  const std::span<const member> ms = members();
  for (std::uint32_t i = 0; i < ms.size(); ++i) {
    if (core::same_text(ms[i].key, key)) {
      hint.store(i);
      return &ms[i].value;
    }
  }
  return nullptr;
}

std::string_view store(std::pmr::memory_resource& arena, std::string_view s) {
  if (s.empty()) return {};
  auto* p = static_cast<char*>(arena.allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

bool equal(const node& a, const node& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case kind::null:
      return true;
    case kind::boolean:
      return a.as_boolean() == b.as_boolean();
    case kind::number:
    case kind::string:
      return a.text() == b.text();
    case kind::array: {
      if (a.size() != b.size()) return false;
      for (std::uint32_t i = 0; i < a.size(); ++i) {
        if (!equal(a.items()[i], b.items()[i])) return false;
      }
      return true;
    }
    case kind::object: {
      if (a.size() != b.size()) return false;
      for (std::uint32_t i = 0; i < a.size(); ++i) {
        const member& ma = a.members()[i];
        const member& mb = b.members()[i];
        if (ma.key != mb.key || !equal(ma.value, mb.value)) return false;
      }
      return true;
    }
  }
  return false;
}

void write(writer& w, const node& n) {
  switch (n.type()) {
    case kind::null:
      w.null();
      return;
    case kind::boolean:
      w.boolean(n.as_boolean());
      return;
    case kind::number:
      w.number(n.text());
      return;
    case kind::string:
      w.string(n.text());
      return;
    case kind::array:
      w.begin_array();
      for (const node& item : n.items())
        write(w, item);
      w.end_array();
      return;
    case kind::object:
      w.begin_object();
      for (const member& m : n.members()) {
        w.key(m.key);
        write(w, m.value);
      }
      w.end_object();
      return;
  }
}

}  // namespace ordergate::codec
