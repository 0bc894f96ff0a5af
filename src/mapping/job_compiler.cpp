// Compiling job files: a source read page by page (by number, or by a cursor), items
// with a key and a state, optional per-item steps, a document per item, and a sink
// that takes batches of documents.

#include "mapping/file_compiler.hpp"

#include "mapping/answer_projection.hpp"
#include "mapping/sections.hpp"
#include "mapping/step_compiler.hpp"

namespace ordergate::mapping {
namespace {

/// A slot named `name`, visible to everything compiled after it.
std::uint32_t declare_slot(compile_context& ctx, const char* name) {
  const std::uint32_t slot = ctx.new_slot();
  ctx.push(symbol{name, symbol::kind::slot, slot, {}, {}});
  return slot;
}

/// The expression of the member `key` of `n`, reported missing when absent.
std::optional<expr> required_expression(compile_context& ctx, const source_node& n, const char* key,
                                        std::string_view what, bool& ok) {
  const source_node* member = n.find(key);
  if (!member) {
    ctx.error(n.offset, std::string(what) + " needs '" + key + "'");
    ok = false;
    return std::nullopt;
  }
  auto e = compile_value(ctx, *member);
  ok = ok && e.has_value();
  return e;
}

bool compile_job_section(compile_context& ctx, const source_node& n, compiled_job& job,
                         std::vector<std::string>& unavailable) {
  object_reader r(ctx, n, "\"job\"", {"name", "interval_seconds", "max_pages"});
  bool ok = r.ok();
  if (const auto* name = r.get("name"))
    job.name = read_string(ctx, *name, "name").value_or(job.name);
  if (const auto* every = r.get("interval_seconds")) {
    auto e = compile_value(ctx, *every);
    if (e && !e->is_constant())
      ctx.error(every->offset,
                "interval_seconds must be known at load (a number or a config value)");
    ok = ok && e && e->is_constant();
    if (e && e->is_constant() && !e->constant.is_nothing()) {
      const auto d = numeric(e->constant);
      const auto seconds = d ? d->to_int64() : std::nullopt;
      if (!seconds || *seconds < 1) {
        unavailable.push_back("the job interval must be a whole number of seconds >= 1");
      } else {
        job.interval = std::chrono::seconds(*seconds);
      }
    }
  }
  if (const auto* max = r.get("max_pages")) {
    job.max_pages =
        static_cast<unsigned>(read_integer(ctx, *max, "max_pages", 1, 1'000'000).value_or(1000));
  }
  return ok;
}

/// "cursor": {"start": {step..., "value"}, ...}: the parts compiled before the source
/// (the variables `cursor` and `offset`, and the first run's start call).
bool compile_cursor_start(compile_context& ctx, const source_node& n, job_cursor& out) {
  object_reader r(ctx, n, "\"cursor\"", {"of_item", "start", "forget_before", "description"});
  bool ok = r.ok() && n.is_object();
  out.cursor_slot = declare_slot(ctx, "cursor");
  out.offset_slot = declare_slot(ctx, "offset");
  ok = r.require("of_item") && ok;
  if (const auto* start = r.require("start")) {
    auto s = compile_step(ctx, *start, "start", {"value"});
    ok = ok && s.has_value();
    if (s) out.start = std::move(*s);
    if (start->is_object()) {
      auto v = required_expression(ctx, *start, "value", "\"start\"", ok);
      if (v) out.start_value = std::move(*v);
    }
  } else {
    ok = false;
  }
  return ok;
}

/// The parts of "cursor" that read an item (compiled once `item` is visible).
bool compile_cursor_item(compile_context& ctx, const source_node& n, job_cursor& out) {
  bool ok = true;
  if (const source_node* of_item = n.find("of_item")) {
    auto e = compile_value(ctx, *of_item);
    ok = e.has_value();
    if (e) out.of_item = std::move(*e);
  }
  if (const source_node* forget = n.find("forget_before")) {
    auto e = compile_value(ctx, *forget);
    ok = ok && e.has_value();
    if (e) out.forget_before = std::move(*e);
  }
  return ok;
}

bool compile_source(compile_context& ctx, const source_node& n, compiled_job& job) {
  // "items" and "next_page" read the answer, so they are compiled after the call.
  if (!n.is_object()) {
    ctx.error(n.offset, "\"source\" must be an object");
    return false;
  }
  auto s = compile_step(ctx, n, "source", {"items", "next_page"});
  bool ok = s.has_value();
  if (s) job.source = std::move(*s);
  if (auto e = required_expression(ctx, n, "items", "\"source\"", ok)) job.items = std::move(*e);
  if (auto e = required_expression(ctx, n, "next_page", "\"source\"", ok))
    job.next_page = std::move(*e);
  return ok;
}

bool compile_item(compile_context& ctx, const source_node& n, compiled_job& job) {
  object_reader r(ctx, n, "\"item\"", {"key", "state", "steps", "sent_state", "document"});
  bool ok = r.ok();
  for (const char* key : {"key", "state"}) {
    if (const auto* member = r.require(key)) {
      auto e = compile_value(ctx, *member);
      ok = ok && e.has_value();
      if (e) (std::string_view(key) == "key" ? job.key : job.state) = std::move(*e);
    }
  }
  if (const auto* steps = r.get("steps")) {
    if (!steps->is_array()) {
      ctx.error(steps->offset, "\"steps\" must be an array of steps");
      ok = false;
    } else {
      for (const source_node& s : steps->items) {
        auto compiled = compile_step(ctx, s, {});
        ok = ok && compiled.has_value();
        if (compiled) job.item_steps.push_back(std::move(*compiled));
      }
    }
  }
  if (const auto* sent = r.get("sent_state")) {
    auto e = compile_value(ctx, *sent);
    ok = ok && e.has_value();
    if (e) job.sent_state = std::move(*e);
  }
  if (const auto* doc = r.require("document")) {
    auto t = compile_template(ctx, *doc);
    ok = ok && t.has_value();
    if (t) job.document = std::move(*t);
  }
  return ok;
}

bool compile_sink(compile_context& ctx, const source_node& n, compiled_job& job) {
  auto s = compile_step(ctx, n, "sink", {"warning"});
  bool ok = s.has_value();
  if (s) job.sink = std::move(*s);
  if (const source_node* warning = n.is_object() ? n.find("warning") : nullptr) {
    auto e = compile_value(ctx, *warning);
    ok = ok && e.has_value();
    if (e) job.sink_warning = std::move(*e);
  }
  return ok;
}

}  // namespace

std::shared_ptr<const compiled_job> compile_job_file(const mapping_unit& unit,
                                                     const environment& env,
                                                     const shared_definitions& shared,
                                                     diagnostics& out) {
  const source_node& root = *unit.root;
  file_start start(unit, env, shared, out);
  compile_context& ctx = start.ctx;
  object_reader top(ctx, root, "a job mapping file",
                    {"$schema", "description", "job", "config", "tables", "cursor", "source",
                     "item", "batch_size", "sink"});
  auto job = std::make_shared<compiled_job>();
  job->name = unit.stem;
  job->file = unit.file.name();
  job->where = ctx.at(root.offset);
  bool ok = top.ok() && start.ok;
  if (const auto* j = top.require("job"))
    ok = compile_job_section(ctx, *j, *job, start.unavailable) && ok;
  job->page_slot = declare_slot(ctx, "page");
  const source_node* cursor = top.get("cursor");
  if (cursor) {
    job->cursor.emplace();
    ok = compile_cursor_start(ctx, *cursor, *job->cursor) && ok;
  }
  if (const auto* source = top.require("source")) ok = compile_source(ctx, *source, *job) && ok;
  job->item_slot = declare_slot(ctx, "item");
  if (cursor && cursor->is_object()) ok = compile_cursor_item(ctx, *cursor, *job->cursor) && ok;
  if (const auto* item = top.require("item")) ok = compile_item(ctx, *item, *job) && ok;
  if (const auto* size = top.get("batch_size")) {
    job->batch_size =
        static_cast<std::size_t>(read_integer(ctx, *size, "batch_size", 1, 10'000).value_or(100));
  }
  job->batch_slot = declare_slot(ctx, "batch");
  if (const auto* sink = top.require("sink")) ok = compile_sink(ctx, *sink, *job) && ok;
  if (!ok || !top.ok()) return nullptr;
  start.hand_over(*job);
  if (project_upstream_answers()) project_answers(*job);
  return job;
}

}  // namespace ordergate::mapping
