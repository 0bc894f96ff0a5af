// The playground's API, apart from runs (playground_run.cpp): the mappings with golden
// cases, one case opened as editable parts, and an edited case saved as a new one.

#include "ordergate/core/file.hpp"
#include "ordergate/tooling/playground.hpp"
#include "tooling/playground_folder.hpp"
#include "tooling/playground_json.hpp"

#include <filesystem>
#include <fstream>

namespace ordergate::tooling::playground {
namespace {

namespace fs = std::filesystem;

/// Lower-case letters, digits and '-', starting with a letter or digit: a folder name
/// that cannot climb out of tests/<mapping>/ or clash by case on another file system.
bool valid_case_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

api_answer broken_case(const golden::case_problems& problems, std::string_view message) {
  json_out out;
  out.begin_object().key("error").string("broken_case").key("message").string(message);
  write_case_errors(out, problems);
  out.end_object();
  return {400, out.str()};
}

}  // namespace

workspace::workspace(std::string mappings_dir) : dir_(std::move(mappings_dir)) {}

api_answer workspace::files() const {
  json_out out;
  out.begin_object().key("mappings").begin_array();
  for (const mapping_entry& e : catalogue(dir_)) {
    out.begin_object()
        .key("mapping")
        .string(e.name)
        .key("file")
        .string(e.file)
        .key("kind")
        .string(e.kind)
        .key("label")
        .string(e.label)
        .key("cases")
        .begin_array();
    for (const std::string& c : e.cases)
      out.string(c);
    out.end_array().end_object();
  }
  out.end_array().end_object();
  return {200, out.str()};
}

api_answer workspace::open_case(std::string_view mapping, std::string_view name) const {
  const auto entries = catalogue(dir_);
  const mapping_entry* entry = find_entry(entries, mapping);
  if (!entry) return error_answer(404, "not_found", "no mapping with golden cases named this");
  if (!entry->has_case(name)) return error_answer(404, "not_found", "no such case");
  const fs::path case_dir = fs::path(dir_) / "tests" / entry->name / name;
  const auto text = core::read_file((case_dir / "case.jsonc").string());
  if (!text) return error_answer(500, "internal_error", "cannot read the case file");
  const auto parts = parts_of(*text, files_of(dir_, case_dir.string()));
  if (!parts) return broken_case(parts.error(), "the case file is broken");
  const auto mapping_text = core::read_file((fs::path(dir_) / entry->file).string());
  if (!mapping_text) return error_answer(500, "internal_error", "cannot read the mapping file");
  const auto defaults =
      core::read_file((fs::path(dir_) / "tests" / entry->name / "defaults.jsonc").string());
  json_out out;
  out.begin_object()
      .key("mapping")
      .string(entry->name)
      .key("case")
      .string(name)
      .key("file")
      .string(entry->file)
      .key("kind")
      .string(entry->kind)
      .key("label")
      .string(entry->label)
      .key("mapping_text")
      .string(*mapping_text)
      .key("defaults")
      .string(defaults.value_or(""))
      .key("description")
      .string(description_of(*text))
      .key("parts")
      .begin_object();
  for (const auto& [part, part_text] : *parts)
    out.key(part).string(part_text);
  out.end_object().end_object();
  return {200, out.str()};
}

api_answer workspace::save(std::string_view body) const {
  api_request request(body);
  const auto mapping = request.text("mapping");
  const auto name = request.text("name");
  const auto parts = request.parts();
  if (request.error()) return *request.error();
  if (!valid_case_name(*name)) {
    return error_answer(400, "bad_request",
                        "a case name is lower-case letters, digits and '-' (at most 64), "
                        "starting with a letter or digit");
  }
  const auto entries = catalogue(dir_);
  const mapping_entry* entry = find_entry(entries, *mapping);
  if (!entry) return error_answer(404, "not_found", "no mapping with golden cases named this");
  auto text = case_text_of(*parts, entry->document(), text_for::save);
  if (!text) return broken_case(text.error(), "the case is broken; nothing was saved");
  const auto from = request.optional_text("case");
  const std::string header =
      "// Saved by ordergate playground" +
      (from && entry->has_case(*from) ? " from " + entry->name + "/" + *from : std::string()) +
      ".\n";
  // The folder first: creating it is what claims the name, so two saves cannot both win.
  const fs::path case_dir = fs::path(dir_) / "tests" / entry->name / *name;
  std::error_code ec;
  if (!fs::create_directory(case_dir, ec)) {
    if (ec) return error_answer(500, "internal_error", "cannot create the case folder");
    return error_answer(409, "conflict", "a case named '" + *name + "' exists already");
  }
  const auto checked = golden::parse_case(*text, files_of(dir_, case_dir.string()));
  if (!checked) {
    fs::remove_all(case_dir, ec);
    return broken_case(checked.error(), "the case is broken; nothing was saved");
  }
  {
    std::ofstream file(case_dir / "case.jsonc", std::ios::binary);
    file << header << *text;
    file.close();
    if (!file) {
      fs::remove_all(case_dir, ec);
      return error_answer(500, "internal_error", "cannot write the case file");
    }
  }
  const golden::outcome result = golden::run_case({entry->name, *name, case_dir.string()}, dir_);
  json_out out;
  out.begin_object()
      .key("saved")
      .string("tests/" + entry->name + "/" + *name + "/case.jsonc")
      .key("passes")
      .boolean(result.passed)
      .key("report")
      .string(result.report)
      .end_object();
  return {201, out.str()};
}

}  // namespace ordergate::tooling::playground
