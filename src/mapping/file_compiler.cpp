#include "file_compiler.hpp"

#include "sections.hpp"
#include "step_compiler.hpp"

namespace ordergate::mapping {
namespace {

constexpr std::string_view methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

/// The start of every file kind: storage, context, config, tables.
struct file_start {
  std::shared_ptr<file_storage> storage = std::make_shared<file_storage>();
  compile_context ctx;
  std::vector<std::string> unavailable;
  bool ok = true;

  file_start(const mapping_unit& unit, const environment& env, const shared_definitions& shared,
             diagnostics& out)
      : ctx(unit.file, out, *storage) {
    ctx.documents = &shared.documents;
    ctx.unavailable = &unavailable;
    for (const auto& library : shared.libraries) {
      storage->libraries.push_back(library);
      for (const auto& [name, table] : library->tables)
        storage->tables.emplace(name, table);
    }
    ok = compile_config(ctx, unit.root->find("config"), env, unavailable);
    ok = compile_tables(ctx, unit.root->find("tables")) && ok;
  }
};

bool compile_auth(compile_context& ctx, const source_node& n, auth_spec& out) {
  if (n.is_string() && n.text == "none") {
    out.k = auth_spec::kind::none;
    return true;
  }
  object_reader r(ctx, n, "\"auth\" (or \"none\")", {"bearer", "body_field"});
  if (!n.is_object()) return false;
  bool ok = r.ok();
  if (const auto* bearer = r.require("bearer")) {
    auto e = compile_value(ctx, *bearer);
    if (!e || !e->is_constant()) {
      if (e)
        ctx.error(bearer->offset, "bearer must be known at load, e.g. \"= config.imshop_key\"");
      return false;
    }
    out.k = auth_spec::kind::bearer;
    out.key = std::string(e->constant.as_string());
  }
  if (const auto* field = r.get("body_field"))
    out.body_field = read_string(ctx, *field, "body_field").value_or("");
  return ok;
}

bool compile_input(compile_context& ctx, const source_node& n, compiled_route& route) {
  object_reader r(ctx, n, "\"input\"", {"format", "body", "query"});
  if (!n.is_object()) return false;
  bool ok = r.ok();
  if (const auto* f = r.get("format")) {
    const auto name = read_string(ctx, *f, "format");
    const auto fmt = name ? codec::format_from_name(*name) : std::nullopt;
    if (!fmt || *fmt == codec::format::text) {
      ctx.error(f->offset, "the input format must be json, xml or form");
      ok = false;
    } else {
      route.input_format = *fmt;
    }
  }
  if (const auto* body = r.get("body")) {
    route.body_check = compile_fields(ctx, *body, false);
    ok = ok && route.body_check.has_value();
  }
  if (const auto* query = r.get("query")) {
    route.query_check = compile_fields(ctx, *query, true);
    ok = ok && route.query_check.has_value();
  }
  return ok;
}

std::optional<std::vector<binding>> optional_lets(compile_context& ctx, const source_node* n) {
  if (!n) return std::vector<binding>();
  return compile_lets(ctx, *n);
}

}  // namespace

std::shared_ptr<const file_storage> compile_library_file(const mapping_unit& unit,
                                                         diagnostics& out) {
  auto storage = std::make_shared<file_storage>();
  compile_context ctx(unit.file, out, *storage);
  object_reader top(ctx, *unit.root, "a table library file", {"$schema", "description", "tables"});
  const bool ok = compile_tables(ctx, unit.root->find("tables"));
  if (!ok || !top.ok()) return nullptr;
  return storage;
}

std::shared_ptr<const compiled_document> compile_document_file(const mapping_unit& unit,
                                                               const environment& env,
                                                               const shared_definitions& shared,
                                                               diagnostics& out) {
  const source_node& root = *unit.root;
  file_start start(unit, env, shared, out);
  compile_context& ctx = start.ctx;
  object_reader top(ctx, root, "a document mapping file",
                    {"$schema", "description", "document", "config", "tables", "let", "output"});
  auto doc = std::make_shared<compiled_document>();
  doc->name = unit.stem;
  doc->where = ctx.at(root.offset);
  bool ok = top.ok() && start.ok;
  std::string input = "input";
  if (const auto* d = top.require("document")) {
    object_reader r(ctx, *d, "\"document\"", {"name", "input"});
    ok = ok && r.ok();
    if (const auto* name = r.get("name"))
      doc->name = read_string(ctx, *name, "name").value_or(unit.stem);
    if (const auto* in = r.get("input")) {
      input = read_string(ctx, *in, "input").value_or("input");
      if (!valid_name(input)) {
        ctx.error(in->offset, "input names the document's input, e.g. \"order\"");
        ok = false;
      }
    }
  }
  doc->input_slot = ctx.new_slot();
  ctx.push(symbol{input, symbol::kind::slot, doc->input_slot, {}, {}});
  auto lets = optional_lets(ctx, top.get("let"));
  ok = ok && lets.has_value();
  if (lets) doc->lets = std::move(*lets);
  if (const auto* output = top.require("output")) {
    auto t = compile_template(ctx, *output);
    ok = ok && t.has_value();
    if (t) doc->output = std::move(*t);
  }
  if (!ok || !top.ok()) return nullptr;
  doc->slot_count = ctx.slot_count();
  doc->unavailable = std::move(start.unavailable);
  doc->storage = start.storage;
  return doc;
}

std::shared_ptr<const compiled_route> compile_route_file(const mapping_unit& unit,
                                                         const environment& env,
                                                         const shared_definitions& shared,
                                                         diagnostics& out) {
  const source_node& root = *unit.root;
  file_start start(unit, env, shared, out);
  compile_context& ctx = start.ctx;
  object_reader top(ctx, root, "a route mapping file",
                    {"$schema", "description", "route", "config", "tables", "auth", "input", "let",
                     "steps", "response"});
  auto route = std::make_shared<compiled_route>();
  route->name = unit.stem;
  route->file = unit.file.name();
  route->where = ctx.at(root.offset);
  bool ok = top.ok() && start.ok;
  if (const auto* r = top.require("route")) {
    object_reader rr(ctx, *r, "\"route\"", {"method", "path"});
    ok = ok && rr.ok();
    if (const auto* m = rr.require("method")) {
      route->method = read_string(ctx, *m, "method").value_or("");
      if (std::find(std::begin(methods), std::end(methods), route->method) == std::end(methods)) {
        ctx.error(m->offset, "method must be GET, POST, PUT, PATCH or DELETE");
        ok = false;
      }
    }
    if (const auto* p = rr.require("path")) {
      route->path = read_string(ctx, *p, "path").value_or("");
      if (!route->path.starts_with("/") || route->path.find_first_of("?# ") != std::string::npos) {
        ctx.error(p->offset,
                  "path must start with '/' and hold no query, e.g. \"/imshop/order-history\"");
        ok = false;
      }
    }
  }
  if (const auto* auth = top.require("auth")) ok = compile_auth(ctx, *auth, route->auth) && ok;
  if (const auto* input = top.get("input")) ok = compile_input(ctx, *input, *route) && ok;
  route->request = {ctx.new_slot(), ctx.new_slot(), ctx.new_slot(), ctx.new_slot(), ctx.new_slot()};
  ctx.push(symbol{"request",
                  symbol::kind::group,
                  0,
                  {{"body", route->request.body},
                   {"query", route->request.query},
                   {"headers", route->request.headers},
                   {"method", route->request.method},
                   {"path", route->request.path}},
                  {}});
  auto lets = optional_lets(ctx, top.get("let"));
  ok = ok && lets.has_value();
  if (lets) route->lets = std::move(*lets);
  if (const auto* steps = top.get("steps")) {
    if (!steps->is_array()) {
      ctx.error(steps->offset, "\"steps\" must be an array of steps");
      ok = false;
    } else {
      for (const source_node& s : steps->items) {
        auto compiled = compile_step(ctx, s, {});
        ok = ok && compiled.has_value();
        if (compiled) route->steps.push_back(std::move(*compiled));
      }
    }
  }
  if (const auto* response = top.require("response")) {
    auto r = compile_response(ctx, *response);
    ok = ok && r.has_value();
    if (r) route->response = std::move(*r);
  }
  if (!ok || !top.ok()) return nullptr;
  route->slot_count = ctx.slot_count();
  route->unavailable = std::move(start.unavailable);
  route->storage = start.storage;
  return route;
}

std::shared_ptr<const compiled_job> compile_job_file(const mapping_unit& unit,
                                                     const environment& env,
                                                     const shared_definitions& shared,
                                                     diagnostics& out) {
  const source_node& root = *unit.root;
  file_start start(unit, env, shared, out);
  compile_context& ctx = start.ctx;
  object_reader top(ctx, root, "a job mapping file",
                    {"$schema", "description", "job", "config", "tables", "source", "item",
                     "batch_size", "sink"});
  auto job = std::make_shared<compiled_job>();
  job->name = unit.stem;
  job->file = unit.file.name();
  job->where = ctx.at(root.offset);
  bool ok = top.ok() && start.ok;
  if (const auto* j = top.require("job")) {
    object_reader r(ctx, *j, "\"job\"", {"name", "interval_seconds", "max_pages"});
    ok = ok && r.ok();
    if (const auto* name = r.get("name"))
      job->name = read_string(ctx, *name, "name").value_or(unit.stem);
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
          start.unavailable.push_back("the job interval must be a whole number of seconds >= 1");
        } else {
          job->interval = std::chrono::seconds(*seconds);
        }
      }
    }
    if (const auto* max = r.get("max_pages")) {
      job->max_pages =
          static_cast<unsigned>(read_integer(ctx, *max, "max_pages", 1, 1'000'000).value_or(1000));
    }
  }
  job->page_slot = ctx.new_slot();
  ctx.push(symbol{"page", symbol::kind::slot, job->page_slot, {}, {}});
  if (const auto* source = top.require("source")) {
    // "items" and "next_page" read the answer, so they are compiled after the call.
    if (!source->is_object()) {
      ctx.error(source->offset, "\"source\" must be an object");
      ok = false;
    } else {
      auto s = compile_step(ctx, *source, "source", {"items", "next_page"});
      ok = ok && s.has_value();
      if (s) job->source = std::move(*s);
      for (const char* key : {"items", "next_page"}) {
        const source_node* n = source->find(key);
        if (!n) {
          ctx.error(source->offset, std::string("\"source\" needs '") + key + "'");
          ok = false;
          continue;
        }
        auto e = compile_value(ctx, *n);
        ok = ok && e.has_value();
        if (e) (std::string_view(key) == "items" ? job->items : job->next_page) = std::move(*e);
      }
    }
  }
  job->item_slot = ctx.new_slot();
  ctx.push(symbol{"item", symbol::kind::slot, job->item_slot, {}, {}});
  if (const auto* item = top.require("item")) {
    object_reader r(ctx, *item, "\"item\"", {"key", "state", "document"});
    ok = ok && r.ok();
    for (const char* key : {"key", "state"}) {
      if (const auto* n = r.require(key)) {
        auto e = compile_value(ctx, *n);
        ok = ok && e.has_value();
        if (e) (std::string_view(key) == "key" ? job->key : job->state) = std::move(*e);
      }
    }
    if (const auto* doc = r.require("document")) {
      auto t = compile_template(ctx, *doc);
      ok = ok && t.has_value();
      if (t) job->document = std::move(*t);
    }
  }
  if (const auto* size = top.get("batch_size")) {
    job->batch_size =
        static_cast<std::size_t>(read_integer(ctx, *size, "batch_size", 1, 10'000).value_or(100));
  }
  job->batch_slot = ctx.new_slot();
  ctx.push(symbol{"batch", symbol::kind::slot, job->batch_slot, {}, {}});
  if (const auto* sink = top.require("sink")) {
    auto s = compile_step(ctx, *sink, "sink");
    ok = ok && s.has_value();
    if (s) job->sink = std::move(*s);
  }
  if (!ok || !top.ok()) return nullptr;
  job->slot_count = ctx.slot_count();
  job->unavailable = std::move(start.unavailable);
  job->storage = start.storage;
  return job;
}

}  // namespace ordergate::mapping
