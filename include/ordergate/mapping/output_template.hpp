#pragma once
// Output templates: the part of a mapping file shaped like the document it
// produces. Literal values are copied, "= expression" values are computed, and a
// few directive objects ($for, $if, $use) add iteration, conditions and reuse of a
// document mapping. Rendering streams events straight into an encoder.

#include "ordergate/codec/writer.hpp"
#include "ordergate/mapping/expression.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace ordergate::mapping {

struct compiled_document;

/// A variable bound before something is rendered ("let" sections, "$let").
struct binding {
  std::uint32_t slot = 0;
  expr e;
};

enum class tnode_kind : std::uint8_t {
  value,        ///< `e` (a literal is a constant expression)
  object,       ///< `fields` in order; a field whose value is omit disappears
  array,        ///< `items`; omitted elements disappear
  for_each,     ///< for each item of `e` (array elements or object values): bind `slot`,
                ///< skip unless `filter`, bind `lets`, render `items[0]`
  conditional,  ///< `e` truthy: items[0], else items[1] when present, else omit
  use,          ///< render `document` with its input bound to `e`
};

struct tfield;

struct template_node {
  tnode_kind kind = tnode_kind::value;
  expr e;
  std::uint32_t slot = 0;
  std::vector<binding> lets;
  std::unique_ptr<expr> filter;
  std::vector<tfield> fields;
  std::vector<template_node> items;
  std::shared_ptr<const compiled_document> document;
  location where;
};

/// A member of an object template. (A named struct rather than std::pair: a pair needs
/// template_node complete where template_node declares its vector of them.)
struct tfield {
  codec::member_key key;
  template_node value;
  /// When `value` is a constant known at load: the whole member as text, for encoders
  /// that take it so (codec::writer::prepared_member); else empty.
  codec::prepared_text prepared;
};

/// Renders `t` into `w`. Returns false when evaluation failed (see `frame.failure()`);
/// encoder errors are reported by `w.failed()`.
bool render(const template_node& t, frame& frame, codec::writer& w);

/// Evaluates `bindings` in order into their slots; false on failure.
bool bind_all(const std::vector<binding>& bindings, frame& frame);

}  // namespace ordergate::mapping
