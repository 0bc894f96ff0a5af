#include "ordergate/mapping/output_template.hpp"

#include "mapping/builtins.hpp"
#include "ordergate/mapping/mapping.hpp"

namespace ordergate::mapping {
namespace {

/// Follows conditionals down to what actually renders; nullptr means "omitted".
const template_node* resolve(const template_node* t, frame& frame) {
  while (t && t->kind == tnode_kind::conditional) {
    const value c = evaluate(t->e, frame);
    if (frame.failed()) return nullptr;
    if (truthy(c)) {
      t = &t->items[0];
    } else {
      t = t->items.size() > 1 ? &t->items[1] : nullptr;
    }
  }
  return t;
}

/// Renders one member or element; `key` is written only when something is.
bool render_slot(const template_node& child, frame& frame, codec::writer& w,
                 const codec::member_key* key) {
  const template_node* t = &child;
  if (t->kind == tnode_kind::conditional) {
    t = resolve(t, frame);
    if (frame.failed()) return false;
    if (!t) return true;
  }
  if (t->kind == tnode_kind::value) {
    const value v = evaluate(t->e, frame);
    if (frame.failed()) return false;
    if (v.is_omit()) return true;
    if (key) {
      write_member(w, *key, v);
    } else {
      write_value(w, v);
    }
    return true;
  }
  if (key) w.key(*key);
  return render(*t, frame, w);
}

bool render_use(const template_node& t, frame& frame, codec::writer& w) {
  const compiled_document& doc = *t.document;
  const value input = evaluate(t.e, frame);
  if (frame.failed()) return false;
  mapping::frame inner(frame, doc.slot_count);
  inner.slot(doc.input_slot) = input;
  if (!bind_all(doc.lets, inner)) return false;
  return render(doc.output, inner, w);
}

bool render_for_each(const template_node& t, frame& frame, codec::writer& w) {
  const value collection = evaluate(t.e, frame);
  if (frame.failed()) return false;
  w.begin_array();
  bool ok = true;
  const bool iterable = for_each_item(collection, [&](const value& item) {
    if (!ok) return;
    frame.slot(t.slot) = item;
    if (t.filter) {
      const value keep = evaluate(*t.filter, frame);
      if (frame.failed()) {
        ok = false;
        return;
      }
      if (!truthy(keep)) return;
    }
    ok = bind_all(t.lets, frame) && render_slot(t.items[0], frame, w, nullptr);
  });
  if (!iterable) {
    frame.fail(core::errc::unmappable, "$for: cannot iterate over " + describe(collection),
               &collection, t.where);
    return false;
  }
  // After a failure the writer is inside whatever the failed element left open: the
  // output is abandoned, never closed.
  if (!ok) return false;
  w.end_array();
  return true;
}

}  // namespace

bool bind_all(const std::vector<binding>& bindings, frame& frame) {
  for (const binding& b : bindings) {
    frame.slot(b.slot) = evaluate(b.e, frame);
    if (frame.failed()) return false;
  }
  return true;
}

bool render(const template_node& t, frame& frame, codec::writer& w) {
  switch (t.kind) {
    case tnode_kind::value: {
      const value v = evaluate(t.e, frame);
      if (frame.failed()) return false;
      write_value(w, v.is_omit() ? value::null() : v);
      return true;
    }
    case tnode_kind::object:
      w.begin_object();
      for (const tfield& f : t.fields) {
        if (!f.prepared.empty() && w.prepared_member(f.prepared)) continue;
        if (!render_slot(f.value, frame, w, &f.key)) return false;
      }
      w.end_object();
      return true;
    case tnode_kind::array:
      w.begin_array();
      for (const template_node& item : t.items) {
        if (!render_slot(item, frame, w, nullptr)) return false;
      }
      w.end_array();
      return true;
    case tnode_kind::for_each:
      return render_for_each(t, frame, w);
    case tnode_kind::conditional: {
      const template_node* chosen = resolve(&t, frame);
      if (frame.failed()) return false;
      if (!chosen) {
        w.null();
        return true;
      }
      return render(*chosen, frame, w);
    }
    case tnode_kind::use:
      return render_use(t, frame, w);
  }
  return true;
}

}  // namespace ordergate::mapping
