// POST /api/run: the folder loaded from memory with the edited file in place of the one
// on disk (the production loader and compiler), the edited case checked by
// golden::parse_case and run by golden::run, as `ordergate test` runs cases.

#include "ordergate/core/file.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/playground.hpp"
#include "tooling/playground_folder.hpp"
#include "tooling/playground_json.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace ordergate::tooling::playground {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;

/// What a run found, whatever stage it stopped at.
struct run_view {
  mapping::diagnostics load_errors;
  golden::case_problems case_errors;
  std::optional<golden::checked_case> checked;
  std::optional<golden::run_result> result;
};

void write_load_errors(json_out& out, const mapping::diagnostics& errors) {
  out.key("load_errors").begin_array();
  for (const mapping::diagnostic& d : errors.items()) {
    out.begin_object()
        .key("file")
        .string(d.where.file ? fs::path(*d.where.file).filename().string() : "")
        .key("line")
        .number(d.where.line)
        .key("column")
        .number(d.where.column)
        .key("message")
        .string(d.message)
        .key("text")
        .string(d.to_string())
        .end_object();
  }
  out.end_array();
}

void write_headers(json_out& out, const http::fields& headers) {
  out.key("headers").begin_array();
  for (const auto& h : headers)
    out.begin_array().string(h.name_string()).string(h.value()).end_array();
  out.end_array();
}

void write_calls(json_out& out, const golden::run_result& r) {
  out.key("calls").begin_array();
  for (const recorded_call& c : r.calls) {
    out.begin_object()
        .key("step")
        .string(c.step)
        .key("method")
        .string(beast::http::to_string(c.request.method))
        .key("url")
        .string(c.request.url.buffer());
    write_headers(out, c.request.headers);
    out.key("body").string(pretty_if_json(c.request.body)).end_object();
  }
  out.end_array();
}

std::string expected_body(const golden::body_spec& body) {
  switch (body.given_as) {
    case golden::body_spec::kind::none:
      return "";
    case golden::body_spec::kind::text:
      return body.text;
    default:
      return pretty_json(*body.data);
  }
}

/// The answer and what the case expects of it, side by side for the page's diff.
void write_answer(json_out& out, const golden::checked_case& c, const golden::run_result& r) {
  if (r.answer) {
    out.key("answer").begin_object().key("status").number(r.answer->result_int());
    write_headers(out, r.answer->base());
    out.key("body").string(pretty_if_json(r.answer->body())).end_object();
    out.key("expected");
    if (!c.response) {
      out.null();
      return;
    }
    out.begin_object();
    if (c.response->status) out.key("status").number(*c.response->status);
    out.key("body").string(expected_body(c.response->body)).end_object();
    return;
  }
  out.key("answer").begin_object().key("failed").boolean(r.failure.has_value());
  out.key("body").string(r.output ? pretty_if_json(*r.output)
                                  : pretty_if_json(core::render_error_body(*r.failure)));
  out.end_object();
  out.key("expected").begin_object().key("body");
  out.string(pretty_json(c.output ? *c.output : *c.error)).end_object();
}

run_view run_edited(const std::string& dir, const mapping_entry& entry, const std::string& case_dir,
                    const std::string& file, std::string mapping_text, const case_parts& parts) {
  run_view view;
  auto text = case_text_of(parts, entry.document(), text_for::run);
  if (!text) {
    view.case_errors = text.error();
    return view;
  }
  auto checked = golden::parse_case(*text, files_of(dir, case_dir));
  if (!checked) {
    view.case_errors = checked.error();
    return view;
  }
  view.checked = std::move(*checked);
  const auto defaults = read_defaults(dir, entry);
  if (!defaults) {
    view.case_errors = defaults.error();
    return view;
  }
  std::vector<mapping::mapping_text> texts;
  for (const std::string& path : mapping_files(dir)) {
    if (fs::path(path).filename() == file) {
      texts.push_back({path, std::move(mapping_text)});
    } else if (auto on_disk = core::read_file(path)) {
      texts.push_back({path, std::move(*on_disk)});
    }
  }
  const auto loaded = mapping::load_mapping_texts(
      std::move(texts), golden::case_environment(*defaults, *view.checked));
  if (!loaded.mappings) {
    view.load_errors = loaded.errors;
    return view;
  }
  auto result = golden::run(*loaded.mappings, entry.name, *view.checked, *defaults);
  if (!result) {
    view.case_errors = result.error();
    return view;
  }
  view.result = std::move(*result);
  return view;
}

}  // namespace

api_answer workspace::run(std::string_view body) const {
  const auto started = std::chrono::steady_clock::now();
  api_request request(body);
  const auto mapping = request.text("mapping");
  const auto name = request.text("case");
  const auto file = request.text("file");
  auto mapping_text = request.text("mapping_text");
  const auto parts = request.parts();
  if (request.error()) return *request.error();
  const auto entries = catalogue(dir_);
  const mapping_entry* entry = find_entry(entries, *mapping);
  if (!entry) return error_answer(404, "not_found", "no mapping with golden cases named this");
  if (!entry->has_case(*name)) return error_answer(404, "not_found", "no such case");
  bool known_file = false;
  for (const std::string& path : mapping_files(dir_))
    known_file = known_file || fs::path(path).filename() == *file;
  if (!known_file) return error_answer(404, "not_found", "no mapping file named this");

  const std::string case_dir = (fs::path(dir_) / "tests" / entry->name / *name).string();
  const run_view view = run_edited(dir_, *entry, case_dir, *file, std::move(*mapping_text), *parts);
  json_out out;
  out.begin_object();
  write_load_errors(out, view.load_errors);
  write_case_errors(out, view.case_errors);
  if (view.result) {
    const golden::run_result& r = *view.result;
    write_calls(out, r);
    write_answer(out, *view.checked, r);
    out.key("differences").begin_array();
    for (const std::string& d : r.found)
      out.string(d);
    out.end_array();
    out.key("passed").boolean(r.passed());
    out.key("suggested_expect").string(expect_from(r, *view.checked));
  } else {
    out.key("passed").boolean(false);
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(elapsed.count()) / 1000.0);
  out.key("elapsed_ms").raw(ms);
  out.end_object();
  return {200, out.str()};
}

}  // namespace ordergate::tooling::playground
