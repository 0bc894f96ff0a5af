#include "ordergate/codec/projection.hpp"

#include "ordergate/core/short_bytes.hpp"

#include <algorithm>

namespace ordergate::codec {

// Namespace-scope constants: no initialisation guard on every call of find().
const projection projection::everything_ = [] {
  projection p;
  p.all_ = true;
  return p;
}();
const projection projection::nothing_;

projection& projection::member(std::string_view key) {
  for (auto& [k, p] : members_) {
    if (k == key) return *p;
  }
  members_.emplace_back(std::string(key), std::make_unique<projection>());
  return *members_.back().second;
}

projection& projection::each() {
  if (!each_) each_ = std::make_unique<projection>();
  return *each_;
}

void projection::merge(const projection& other) {
  all_ = all_ || other.all_;
  every_ = every_ || other.every_;
  if (other.each_) each().merge(*other.each_);
  for (const auto& [k, p] : other.members_)
    member(k).merge(*p);
}

void projection::finish() {
  std::uint32_t next = 0;
  finish_subtree(next);
  tree_size_ = next;
}

void projection::finish_subtree(std::uint32_t& next) {
  ordinal_ = next++;
  if (all_) {
    // Everything below is kept: what the paths named no longer matters.
    each_.reset();
    members_.clear();
    return;
  }
  // With every member kept, a named member is also one of "each": it gets both.
  if (every_ && each_) {
    for (auto& [k, p] : members_)
      p->merge(*each_);
  }
  key_lengths_ = 0;
  slots_.fill(0);
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& [k, p] = members_[i];
    key_lengths_ |= length_bit(k.size());
    std::uint8_t& slot = slots_[slot_of(k)];
    // More than 254 kept members, or two sharing a slot: that slot scans them all.
    slot = slot == 0 && i + 1 < collision ? static_cast<std::uint8_t>(i + 1) : collision;
    p->finish_subtree(next);
  }
  if (each_) each_->finish_subtree(next);
}

const projection* projection::find_in_all(std::string_view key) const noexcept {
  for (const auto& [name, child] : members_)
    if (core::same_text(name, key)) return child.get();
  return every_ ? &element() : nullptr;
}

std::string projection::describe() const {
  if (all_) return "*";
  std::string out = "{";
  auto add = [&](const std::string& part) {
    if (out.size() > 1) out += ", ";
    out += part;
  };
  if (every_) add("...");
  for (const auto& [k, p] : members_) {
    const std::string inner = p->describe();
    add(inner == "{}" ? k : k + ": " + inner);
  }
  if (each_) add("[]: " + each_->describe());
  return out + "}";
}

}  // namespace ordergate::codec
