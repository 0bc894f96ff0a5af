#include "mapping/step_compiler.hpp"

#include "ordergate/mapping/answer_status.hpp"

#include <algorithm>
#include <vector>

namespace ordergate::mapping {
namespace {

constexpr std::string_view methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

std::optional<codec::xml_encode_options> compile_xml_options(compile_context& ctx,
                                                             const source_node& n) {
  object_reader r(ctx, n, "\"xml\"", {"root", "arrays", "element_names", "item", "declaration"});
  if (!r.ok()) return std::nullopt;
  codec::xml_encode_options out;
  bool ok = true;
  if (const auto* root = r.get("root"))
    ok = (out.root = read_string(ctx, *root, "root").value_or("")) != "" && ok;
  if (const auto* arrays = r.get("arrays")) {
    const auto style = read_string(ctx, *arrays, "arrays");
    if (style == "repeat") {
      out.arrays = codec::xml_array_style::repeat;
    } else if (style == "wrap") {
      out.arrays = codec::xml_array_style::wrap;
    } else {
      ctx.error(arrays->offset,
                "arrays must be \"repeat\" (<tags>a</tags><tags>b</tags>) or \"wrap\" "
                "(<orders><order>..)");
      ok = false;
    }
  }
  if (const auto* names = r.get("element_names")) {
    if (!names->is_object()) {
      ctx.error(names->offset, "element_names must be an object such as {\"data\": \"row\"}");
      ok = false;
    } else {
      for (const source_member& m : names->members) {
        if (auto v = read_string(ctx, *m.value, "an element name"))
          out.element_names.emplace(m.key, *v);
      }
    }
  }
  if (const auto* item = r.get("item"))
    out.default_item = read_string(ctx, *item, "item").value_or("item");
  if (const auto* decl = r.get("declaration"))
    out.declaration = read_boolean(ctx, *decl, "declaration").value_or(true);
  if (!ok) return std::nullopt;
  return out;
}

/// "format": "json" | "xml" | "form" | "text" | "= expression", with "xml" options.
bool compile_format(compile_context& ctx, const object_reader& r, format_choice& out) {
  bool ok = true;
  if (const auto* f = r.get("format")) {
    if (f->is_string() && is_expression(f->text)) {
      auto e = compile_expression(ctx, *f);
      ok = e.has_value();
      if (e) out.chosen = std::make_unique<expr>(std::move(*e));
    } else if (const auto name = read_string(ctx, *f, "format")) {
      const auto fmt = codec::format_from_name(*name);
      if (!fmt) {
        ctx.error(f->offset, "format must be json, xml, form, text or an expression choosing one");
        ok = false;
      } else {
        out.fixed = *fmt;
      }
    } else {
      ok = false;
    }
  }
  if (const auto* xml = r.get("xml")) {
    auto options = compile_xml_options(ctx, *xml);
    ok = ok && options.has_value();
    if (options) out.xml = std::move(*options);
  }
  return ok;
}

std::optional<template_node> optional_template(compile_context& ctx, const object_reader& r,
                                               std::string_view key, bool& ok) {
  const auto* n = r.get(key);
  if (!n) return std::nullopt;
  auto t = compile_template(ctx, *n);
  ok = ok && t.has_value();
  return t;
}

std::optional<expr> optional_expression(compile_context& ctx, const object_reader& r,
                                        std::string_view key, bool& ok) {
  const auto* n = r.get(key);
  if (!n) return std::nullopt;
  if (!n->is_string() || !is_expression(n->text)) {
    ctx.error(n->offset, std::string(key) + " must be an expression (a string starting with '=')");
    ok = false;
    return std::nullopt;
  }
  auto e = compile_expression(ctx, *n);
  ok = ok && e.has_value();
  return e;
}

bool compile_answer_options(compile_context& ctx, const source_node& n, call_spec& call) {
  object_reader r(ctx, n, "\"answer\"", {"format", "always_array"});
  bool ok = r.ok();
  if (const auto* f = r.get("format")) {
    const auto name = read_string(ctx, *f, "format");
    const auto fmt = name ? codec::format_from_name(*name) : std::nullopt;
    if (!fmt || *fmt == codec::format::form) {
      ctx.error(f->offset,
                "the answer format must be json, xml or text (default: from Content-Type)");
      ok = false;
    }
    call.answer_format = fmt;
  }
  if (const auto* paths = r.get("always_array")) {
    if (!paths->is_array()) {
      ctx.error(paths->offset,
                "always_array must be an array of element paths such as \"response.orders.order\"");
      ok = false;
    } else {
      for (const source_node& p : paths->items)
        call.answer_xml.always_array.push_back(p.text);
    }
  }
  return ok;
}

std::optional<core::errc> error_code_from(std::string_view name) {
  for (int i = static_cast<int>(core::errc::bad_request);
       i <= static_cast<int>(core::errc::upstream_timeout); ++i) {
    const auto e = static_cast<core::errc>(i);
    if (core::code_name(e) == name) return e;
  }
  return std::nullopt;
}

std::optional<failure_rule> compile_failure_rule(compile_context& ctx, const source_node& n) {
  object_reader r(ctx, n, "an on_failure rule", {"when", "error", "message", "respond"});
  bool ok = r.ok();
  failure_rule rule;
  rule.where = ctx.at(n.offset);
  rule.when = optional_expression(ctx, r, "when", ok);
  if (const auto* e = r.get("error")) {
    const auto name = read_string(ctx, *e, "error");
    const auto code = name ? error_code_from(*name) : std::nullopt;
    if (!code) {
      ctx.error(e->offset,
                "error must be one of the error codes: bad_request, unauthorized, not_found, "
                "method_not_allowed, payload_too_large, unsupported_media_type, unmappable, "
                "upstream_error, unavailable, upstream_timeout");
      ok = false;
    } else {
      rule.error = *code;
    }
  }
  if (const auto* m = r.get("message")) {
    auto e = compile_value(ctx, *m);
    ok = ok && e.has_value();
    rule.message = std::move(e);
  }
  if (const auto* respond = r.get("respond")) {
    if (r.get("error") || r.get("message")) {
      ctx.error(respond->offset,
                "a rule either answers (respond) or fails (error, message), not both");
      ok = false;
    }
    auto spec = compile_response(ctx, *respond);
    ok = ok && spec.has_value();
    rule.respond = std::move(spec);
  }
  if (!ok) return std::nullopt;
  return rule;
}

}  // namespace

std::optional<step> compile_step(compile_context& ctx, const source_node& n,
                                 std::string_view fixed_name,
                                 const std::vector<std::string_view>& extra_keys) {
  std::vector<std::string_view> keys = {
      "service",    "method",     "url",       "query",        "headers",
      "body",       "format",     "xml",       "timeout_ms",   "connect_timeout_ms",
      "attempts",   "answer",     "skip_when", "dry_run_when", "fails_when",
      "on_failure", "description"};
  if (fixed_name.empty()) keys.push_back("name");
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  object_reader r(ctx, n, fixed_name.empty() ? "a step" : "\"" + std::string(fixed_name) + "\"",
                  keys);
  if (!n.is_object()) return std::nullopt;
  bool ok = r.ok();
  step s;
  s.where = ctx.at(n.offset);
  if (fixed_name.empty()) {
    if (const auto* name = r.require("name")) {
      s.name = read_string(ctx, *name, "name").value_or("");
      if (!valid_name(s.name)) {
        ctx.error(name->offset,
                  "a step name must be a name such as \"search\" (letters, digits and '_')");
        ok = false;
      } else if (ctx.find(s.name)) {
        ctx.error(name->offset, "the name '" + s.name + "' is already used");
        ok = false;
      }
    }
  } else {
    s.name = fixed_name;
  }
  call_spec& call = s.call;
  call.where = s.where;
  call.service = s.name;
  if (const auto* service = r.get("service"))
    call.service = read_string(ctx, *service, "service").value_or(s.name);
  call.method = "GET";
  if (const auto* method = r.get("method")) {
    call.method = read_string(ctx, *method, "method").value_or("GET");
    if (std::find(std::begin(methods), std::end(methods), call.method) == std::end(methods)) {
      ctx.error(method->offset, "method must be GET, POST, PUT, PATCH, DELETE or HEAD");
      ok = false;
    }
  }
  if (const auto* url = r.require("url")) {
    auto e = compile_value(ctx, *url);
    ok = ok && e.has_value();
    if (e) call.url = std::move(*e);
  }
  call.query = optional_template(ctx, r, "query", ok);
  call.headers = optional_template(ctx, r, "headers", ok);
  call.body = optional_template(ctx, r, "body", ok);
  ok = compile_format(ctx, r, call.body_format) && ok;
  if (const auto* t = r.get("timeout_ms")) {
    const auto v = read_integer(ctx, *t, "timeout_ms", 1, 600'000);
    ok = ok && v.has_value();
    call.timeout = std::chrono::milliseconds(v.value_or(10'000));
  }
  if (const auto* t = r.get("connect_timeout_ms")) {
    const auto v = read_integer(ctx, *t, "connect_timeout_ms", 1, 600'000);
    ok = ok && v.has_value();
    call.connect_timeout = std::chrono::milliseconds(v.value_or(3'000));
  }
  if (const auto* a = r.get("attempts")) {
    const auto v = read_integer(ctx, *a, "attempts", 1, 10);
    ok = ok && v.has_value();
    // The client retries a GET after connect errors and 502/503/504, any other method
    // only when nothing was sent: a request that may have been received is never re-sent.
    call.attempts = static_cast<unsigned>(v.value_or(1));
  }
  if (const auto* answer = r.get("answer")) ok = compile_answer_options(ctx, *answer, call) && ok;
  s.skip_when = optional_expression(ctx, r, "skip_when", ok);
  s.dry_run_when = optional_expression(ctx, r, "dry_run_when", ok);

  // From here on the step's answer is visible: <name>.status, .headers, .body.
  s.answer = {ctx.new_slot(), ctx.new_slot(), ctx.new_slot()};
  ctx.push(
      symbol{s.name,
             symbol::kind::group,
             0,
             {{"status", s.answer.status}, {"headers", s.answer.headers}, {"body", s.answer.body}},
             {}});
  s.fails_when = optional_expression(ctx, r, "fails_when", ok);
  if (const auto* rules = r.get("on_failure")) {
    if (!rules->is_array()) {
      ctx.error(rules->offset, "on_failure must be an array of rules");
      ok = false;
    } else {
      for (const source_node& rule : rules->items) {
        auto compiled = compile_failure_rule(ctx, rule);
        ok = ok && compiled.has_value();
        if (compiled) s.on_failure.push_back(std::move(*compiled));
      }
    }
  }
  if (!ok) return std::nullopt;
  return s;
}

std::optional<response_spec> compile_response(compile_context& ctx, const source_node& n) {
  object_reader r(ctx, n, "a response",
                  {"status", "headers", "body", "format", "xml", "description"});
  if (!n.is_object()) return std::nullopt;
  bool ok = r.ok();
  response_spec out;
  out.where = ctx.at(n.offset);
  out.status.constant = value::number(decimal::from_int(200));
  std::optional<std::int64_t> constant_code;
  const source_node* status = r.get("status");
  if (status) {
    auto e = compile_value(ctx, *status);
    ok = ok && e.has_value();
    if (e) {
      if (e->is_constant()) {
        const auto d = numeric(e->constant);
        constant_code = d ? d->to_int64() : std::nullopt;
        if (!constant_code || !answerable_status(*constant_code)) {
          ctx.error(status->offset,
                    "status must be an HTTP status code from 200 to 599 (1xx are interim "
                    "answers)");
          ok = false;
        }
      }
      out.status = std::move(*e);
    }
  }
  out.headers = optional_template(ctx, r, "headers", ok);
  out.body = optional_template(ctx, r, "body", ok);
  if (out.body && constant_code && !status_has_body(*constant_code)) {
    ctx.error(status->offset, "an answer with status " + std::to_string(*constant_code) +
                                  " has no body: remove body or choose another status");
    ok = false;
  }
  ok = compile_format(ctx, r, out.body_format) && ok;
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ordergate::mapping
