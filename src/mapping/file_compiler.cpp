#include "mapping/file_compiler.hpp"

#include "mapping/answer_projection.hpp"

#include "mapping/sections.hpp"
#include "mapping/step_compiler.hpp"

namespace ordergate::mapping {
namespace {

constexpr std::string_view methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

bool compile_auth(compile_context& ctx, const source_node& n, auth_spec& out) {
  if (n.is_string() && n.text == "none") {
    out.scheme = auth_spec::kind::none;
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
    out.scheme = auth_spec::kind::bearer;
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

file_start::file_start(const mapping_unit& unit, const environment& env,
                       const shared_definitions& shared, diagnostics& out)
    : ctx(unit.file, out, *storage) {
  ctx.documents = &shared.documents;
  ctx.unavailable = &unavailable;
  ctx.secrets = &secrets;
  for (const auto& library : shared.libraries) {
    storage->libraries.push_back(library);
    for (const auto& [name, table] : library->tables)
      storage->tables.emplace(name, table);
  }
  ok = compile_config(ctx, unit.root->find("config"), env, unavailable);
  ok = compile_tables(ctx, unit.root->find("tables")) && ok;
}

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
  start.hand_over(*doc);
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
  start.hand_over(*route);
  if (project_upstream_answers()) project_answers(*route);
  return route;
}

}  // namespace ordergate::mapping
