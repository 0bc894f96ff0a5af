#include "mapping/builtins.hpp"

namespace ordergate::mapping {
namespace {

// A key readable after a dot: an identifier (a leading digit would read as an index).
bool plain_key(std::string_view k) {
  if (k.empty() || (k.front() >= '0' && k.front() <= '9')) return false;
  for (char c : k) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

void append_key(std::string& path, std::string_view key) {
  if (plain_key(key)) {
    if (!path.empty()) path += '.';
    path += key;
  } else {
    // Keys with dots or punctuation (Webasyst's "shipping_address.city") stay readable.
    path += "[\"";
    path += key;
    path += "\"]";
  }
}

bool find_path(const codec::node& at, const codec::node* target, std::string& path) {
  if (&at == target) return true;
  const std::size_t keep = path.size();
  if (at.is_array()) {
    const auto items = at.items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      path += '[' + std::to_string(i) + ']';
      if (find_path(items[i], target, path)) return true;
      path.resize(keep);
    }
  } else if (at.is_object()) {
    for (const codec::member& m : at.members()) {
      append_key(path, m.key);
      if (find_path(m.value, target, path)) return true;
      path.resize(keep);
    }
  }
  return false;
}

}  // namespace

frame::frame(std::pmr::memory_resource& arena, std::uint32_t slot_count)
    : top_(this), arena_(arena), slots_(slot_count, &arena), roots_(&arena) {}

frame::frame(frame& parent, std::uint32_t slot_count)
    : top_(parent.top_),
      arena_(parent.arena_),
      slots_(slot_count, &parent.arena_),
      roots_(&parent.arena_) {}

std::optional<std::string> frame::path_of(const codec::node* n, const frame_root** root) const {
  for (const frame_root& r : top_->roots_) {
    std::string path(r.label);
    if (r.root && find_path(*r.root, n, path)) {
      if (root) *root = &r;
      return path;
    }
  }
  return std::nullopt;
}

void frame::fail(core::errc code, std::string_view message, const value* culprit,
                 const location& where) {
  if (top_ != this) {
    top_->fail(code, message, culprit, where);
    return;
  }
  if (failure_) return;
  eval_failure out;
  out.code = code;
  // A value read from an input (or a member missing from one) is named by its path.
  const codec::node* culprit_node = culprit ? culprit->node() : nullptr;
  if (!culprit_node && culprit) culprit_node = culprit->absent_parent();
  if (culprit_node) {
    const frame_root* root = nullptr;
    if (auto path = path_of(culprit_node, &root)) {
      out.path = std::move(*path);
      if (culprit->absent_parent()) append_key(out.path, culprit->absent_key());
      // A bad value in an upstream answer is the upstream's fault, not the client's.
      if (code == core::errc::unmappable) out.code = root->code;
    }
  }
  if (!out.path.empty()) out.message = out.path + ": ";
  out.message += message;
  if (where.line != 0) out.message += " (" + where.to_string() + ")";
  failure_ = std::move(out);
}

std::string describe(const value& v) {
  switch (v.type()) {
    case vtype::null:
      return "null";
    case vtype::omit:
      return "omit";
    case vtype::boolean:
      return v.as_boolean() ? "true" : "false";
    case vtype::number: {
      if (const codec::node* n = v.node()) return std::string(n->text());
      return v.as_number().to_string();
    }
    case vtype::string: {
      std::string_view s = v.as_string();
      std::string out = "\"";
      out += s.size() > 60 ? std::string(s.substr(0, 57)) + "..." : std::string(s);
      return out + "\"";
    }
    case vtype::array:
      return "an array";
    case vtype::object:
      return "an object";
    case vtype::time:
      return "a time";
  }
  return "a value";
}

std::string describe_value(const value& v) {
  return describe(v);
}

std::string_view static_type_name(static_type t) noexcept {
  switch (t) {
    case static_type::unknown:
      return "any";
    case static_type::null:
      return "null";
    case static_type::boolean:
      return "boolean";
    case static_type::number:
      return "number";
    case static_type::string:
      return "string";
    case static_type::array:
      return "array";
    case static_type::object:
      return "object";
    case static_type::time:
      return "time";
  }
  return "any";
}

namespace {

std::vector<const builtin*> collect() {
  std::vector<const builtin*> all;
  for (auto group : {conversion_builtins(), text_builtins(), collection_builtins(), time_builtins(),
                     table_builtins()}) {
    for (const builtin& b : group)
      all.push_back(&b);
  }
  return all;
}

}  // namespace

std::span<const builtin* const> all_builtins() noexcept {
  static const std::vector<const builtin*> all = collect();
  return all;
}

const builtin* find_builtin(std::string_view name) noexcept {
  for (const builtin* b : all_builtins()) {
    if (b->name == name) return b;
  }
  return nullptr;
}

}  // namespace ordergate::mapping
