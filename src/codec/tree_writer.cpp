#include "ordergate/codec/tree_writer.hpp"

#include <algorithm>

namespace ordergate::codec {

tree_writer::tree_writer(std::pmr::memory_resource& arena, bool copy_strings)
    : arena_(&arena), copy_strings_(copy_strings) {}

void tree_writer::reset(std::pmr::memory_resource& arena) {
  arena_ = &arena;
  clear_error();
  frames_.clear();
  members_.clear();
  items_.clear();
  root_ = node();
}

void tree_writer::place(node n) {
  if (failed()) return;
  if (frames_.empty()) {
    root_ = n;
  } else if (frames_.back().object) {
    if (!frames_.back().awaiting_value) {
      fail("tree_writer: value without a key inside an object");
      return;
    }
    members_.back().value = n;
    frames_.back().awaiting_value = false;
  } else {
    items_.push_back(n);
  }
}

void tree_writer::null() {
  place(node::make_null());
}
void tree_writer::boolean(bool b) {
  place(node::make_boolean(b));
}
void tree_writer::number(std::string_view literal) {
  place(node::make_number(keep(literal)));
}
void tree_writer::string(std::string_view s) {
  place(node::make_string(keep(s)));
}

void tree_writer::begin_object() {
  if (failed()) return;
  frames_.push_back({true, false, members_.size()});
}

void tree_writer::key(std::string_view k) {
  if (failed()) return;
  if (frames_.empty() || !frames_.back().object) {
    fail("tree_writer: key outside an object");
    return;
  }
  members_.push_back({keep(k), node::make_null()});
  frames_.back().awaiting_value = true;
}

void tree_writer::end_object() {
  if (failed()) return;
  const std::size_t first = frames_.back().first;
  const auto n = static_cast<std::uint32_t>(members_.size() - first);
  auto* out = static_cast<member*>(
      arena_->allocate(sizeof(member) * std::max<std::size_t>(n, 1), alignof(member)));
  std::copy(members_.begin() + static_cast<std::ptrdiff_t>(first), members_.end(), out);
  members_.resize(first);
  frames_.pop_back();
  place(node::make_object(out, n));
}

void tree_writer::begin_array() {
  if (failed()) return;
  frames_.push_back({false, false, items_.size()});
}

void tree_writer::end_array() {
  if (failed()) return;
  const std::size_t first = frames_.back().first;
  const auto n = static_cast<std::uint32_t>(items_.size() - first);
  auto* out = static_cast<node*>(
      arena_->allocate(sizeof(node) * std::max<std::size_t>(n, 1), alignof(node)));
  std::copy(items_.begin() + static_cast<std::ptrdiff_t>(first), items_.end(), out);
  items_.resize(first);
  frames_.pop_back();
  place(node::make_array(out, n));
}

}  // namespace ordergate::codec
