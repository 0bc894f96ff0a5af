#include "mapping/answer_projection.hpp"

#include "mapping/builtins.hpp"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

namespace ordergate::mapping {
namespace {

using codec::projection;

/// Where a value may come from: the places in answer projections it aliases. Empty for
/// values that are computed, literal, or from documents that are not projected.
using origins = std::vector<projection*>;

void add(origins& to, const origins& from) {
  for (projection* p : from) {
    if (std::find(to.begin(), to.end(), p) == to.end()) to.push_back(p);
  }
}

/// One evaluation scope: the origins bound to each slot of a frame.
struct scope {
  std::vector<origins> slots;
  explicit scope(std::uint32_t slot_count) : slots(slot_count) {}
};

class analysis {
 public:
  /// Finishes every root and hands each step its projection.
  void finish() {
    for (auto& [s, root] : steps_) {
      root->finish();
      s->answer_keep = root;
    }
  }

  /// A value written out, compared or converted: all of it.
  static void use_whole(const origins& of) {
    for (projection* p : of)
      p->keep_all();
  }

  /// Truthiness: an object's is whether it has members, so all of them must be there.
  static void use_truth(const origins& of) {
    for (projection* p : of)
      p->keep_every_member();
  }

  /// Analyses a step's call and its judgement of the answer, binding its body to a root.
  void step(mapping::step& s, scope& sc) {
    use_whole(eval(s.call.url, sc));
    render_optional(s.call.query, sc);
    render_optional(s.call.headers, sc);
    render_optional(s.call.body, sc);
    if (s.call.body_format.chosen) use_whole(eval(*s.call.body_format.chosen, sc));
    if (s.skip_when) use_truth(eval(*s.skip_when, sc));
    if (s.dry_run_when) use_truth(eval(*s.dry_run_when, sc));
    auto root = std::make_shared<projection>();
    steps_.emplace_back(&s, root);
    sc.slots[s.answer.body] = {root.get()};
    if (s.fails_when) use_truth(eval(*s.fails_when, sc));
    for (failure_rule& rule : s.on_failure) {
      if (rule.when) use_truth(eval(*rule.when, sc));
      if (rule.message) use_whole(eval(*rule.message, sc));
      if (rule.respond) response(*rule.respond, sc);
    }
  }

  void response(const response_spec& r, scope& sc) {
    use_whole(eval(r.status, sc));
    render_optional(r.headers, sc);
    render_optional(r.body, sc);
    if (r.body_format.chosen) use_whole(eval(*r.body_format.chosen, sc));
  }

  void bind(const std::vector<binding>& bindings, scope& sc) {
    for (const binding& b : bindings)
      sc.slots[b.slot] = eval(b.e, sc);
  }

  void render_optional(const std::optional<template_node>& t, scope& sc) {
    if (t) render(*t, sc);
  }

  void render(const template_node& t, scope& sc) {
    switch (t.kind) {
      case tnode_kind::value:
        use_whole(eval(t.e, sc));
        return;
      case tnode_kind::object:
        for (const auto& field : t.fields)
          render(field.value, sc);
        return;
      case tnode_kind::array:
        for (const template_node& item : t.items)
          render(item, sc);
        return;
      case tnode_kind::for_each: {
        sc.slots[t.slot] = elements(eval(t.e, sc));
        if (t.filter) use_truth(eval(*t.filter, sc));
        bind(t.lets, sc);
        for (const template_node& item : t.items)
          render(item, sc);
        return;
      }
      case tnode_kind::conditional:
        use_truth(eval(t.e, sc));
        for (const template_node& item : t.items)
          render(item, sc);
        return;
      case tnode_kind::use: {
        const origins input = eval(t.e, sc);
        const compiled_document& doc = *t.document;
        scope inner(doc.slot_count);
        inner.slots[doc.input_slot] = input;
        bind(doc.lets, inner);
        render(doc.output, inner);
        return;
      }
    }
  }

  /// The origins of `e`'s value; uses inside `e` are recorded on the way.
  origins eval(const expr& e, scope& sc) {
    switch (e.op) {
      case expr_op::constant:
        return {};
      case expr_op::slot:
        return e.slot < sc.slots.size() ? sc.slots[e.slot] : origins{};
      case expr_op::member:
        return members(eval(e.args[0], sc), e.key);
      case expr_op::index:
        return index(e, sc);
      case expr_op::call:
        return call(e, sc);
      case expr_op::lambda:
        use_whole(eval(e.args[0], sc));
        return {};
      case expr_op::negate:
        use_whole(eval(e.args[0], sc));
        return {};
      case expr_op::logical_not:
        use_truth(eval(e.args[0], sc));
        return {};
      case expr_op::binary:
        return binary(e, sc);
      case expr_op::conditional: {
        use_truth(eval(e.args[0], sc));
        origins out = eval(e.args[1], sc);
        add(out, eval(e.args[2], sc));
        return out;
      }
      case expr_op::array:
      case expr_op::object:
        for (const expr& item : e.args)
          use_whole(eval(item, sc));
        return {};
    }
    return {};
  }

 private:
  static origins members(const origins& of, std::string_view key) {
    origins out;
    for (projection* p : of)
      out.push_back(&p->member(key));
    return out;
  }

  /// The items of a collection that is iterated: an array's elements, or an object's
  /// member values (then every member must be there).
  static origins elements(const origins& of) {
    origins out;
    for (projection* p : of) {
      p->keep_every_member();
      out.push_back(&p->each());
    }
    return out;
  }

  origins index(const expr& e, scope& sc) {
    const origins of = eval(e.args[0], sc);
    const expr& key = e.args[1];
    if (key.is_constant() && key.constant.type() == vtype::string)
      return members(of, key.constant.as_string());
    if (key.is_constant() && key.constant.type() == vtype::number) {
      origins out;
      for (projection* p : of)
        out.push_back(&p->each());
      return out;
    }
    // A key known only at run time: the whole collection.
    use_whole(eval(key, sc));
    use_whole(of);
    return {};
  }

  origins binary(const expr& e, scope& sc) {
    switch (e.bin) {
      case expr_binary::coalesce: {
        origins out = eval(e.args[0], sc);
        add(out, eval(e.args[1], sc));
        return out;
      }
      case expr_binary::logical_and:
      case expr_binary::logical_or:
        use_truth(eval(e.args[0], sc));
        use_truth(eval(e.args[1], sc));
        return {};
      case expr_binary::eq:
      case expr_binary::ne:
        // Comparing with null only asks whether the value is there.
        if (is_null_literal(e.args[0]) || is_null_literal(e.args[1])) {
          eval(e.args[0], sc);
          eval(e.args[1], sc);
          return {};
        }
        [[fallthrough]];
      default:
        use_whole(eval(e.args[0], sc));
        use_whole(eval(e.args[1], sc));
        return {};
    }
  }

  static bool is_null_literal(const expr& e) {
    return e.is_constant() && (e.constant.type() == vtype::null || e.constant.is_nothing());
  }

  /// Calls: most functions use their arguments whole; those that only look at a
  /// collection's shape, iterate it or pass one of its items on say so here.
  origins call(const expr& e, scope& sc) {
    const std::string_view name = e.fn->name;
    auto arg = [&](std::size_t i) { return i < e.args.size() ? eval(e.args[i], sc) : origins{}; };
    auto lambda = [&](std::size_t i, const origins& items) -> origins {
      if (i >= e.args.size() || e.args[i].op != expr_op::lambda) return {};
      sc.slots[e.args[i].slot] = items;
      return eval(e.args[i].args[0], sc);
    };
    if (name == "type" || name == "exists") {
      arg(0);  // the value's kind, or whether it is there
      return {};
    }
    if (name == "count" || name == "keys") {
      elements(arg(0));  // every member there (count, keys), contents not needed
      return {};
    }
    if (name == "first" || name == "last") {
      const origins items = elements(arg(0));
      use_truth(lambda(1, items));
      return items;
    }
    if (name == "any" || name == "all") {
      use_truth(lambda(1, elements(arg(0))));
      return {};
    }
    if (name == "map") {
      use_whole(lambda(1, elements(arg(0))));
      return {};
    }
    if (name == "sum" && e.args.size() > 1) {
      use_whole(lambda(1, elements(arg(0))));
      return {};
    }
    if (name == "lookup") {
      use_whole(arg(1));  // arg(0) is the table
      return arg(2);      // the fallback is returned as it is
    }
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      if (e.args[i].op == expr_op::lambda) {
        use_whole(lambda(i, {}));
      } else if (i < 4 && e.fn->params[i] == param::table) {
        continue;
      } else {
        use_whole(eval(e.args[i], sc));
      }
    }
    return {};
  }

  std::vector<std::pair<mapping::step*, std::shared_ptr<projection>>> steps_;
};

}  // namespace

bool project_upstream_answers() {
  static const bool project = [] {
    const char* full = std::getenv("ORDERGATE_FULL_DECODE");
    return full == nullptr || *full == '\0' || std::string_view(full) == "0";
  }();
  return project;
}

void project_answers(compiled_route& route) {
  analysis a;
  scope sc(route.slot_count);
  a.bind(route.lets, sc);
  for (step& s : route.steps)
    a.step(s, sc);
  a.response(route.response, sc);
  a.finish();
}

void project_answers(compiled_job& job) {
  analysis a;
  scope sc(job.slot_count);
  if (job.cursor) {
    a.step(job.cursor->start, sc);
    analysis::use_whole(a.eval(job.cursor->start_value, sc));
  }
  a.step(job.source, sc);
  analysis::use_truth(a.eval(job.next_page, sc));
  // The engine iterates the items (array elements or object values) and binds each to
  // `item`.
  origins items;
  for (projection* p : a.eval(job.items, sc)) {
    p->keep_every_member();
    items.push_back(&p->each());
  }
  sc.slots[job.item_slot] = items;
  if (job.cursor) {
    analysis::use_whole(a.eval(job.cursor->of_item, sc));
    if (job.cursor->forget_before) analysis::use_whole(a.eval(*job.cursor->forget_before, sc));
  }
  analysis::use_whole(a.eval(job.key, sc));
  analysis::use_whole(a.eval(job.state, sc));
  for (step& s : job.item_steps)
    a.step(s, sc);
  if (job.sent_state) analysis::use_whole(a.eval(*job.sent_state, sc));
  a.render(job.document, sc);
  a.step(job.sink, sc);
  if (job.sink_warning) analysis::use_whole(a.eval(*job.sink_warning, sc));
  a.finish();
}

}  // namespace ordergate::mapping
