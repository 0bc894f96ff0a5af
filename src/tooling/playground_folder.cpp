#include "tooling/playground_folder.hpp"

#include "ordergate/core/file.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "tooling/case_text.hpp"
#include "tooling/playground_json.hpp"

#include <algorithm>
#include <filesystem>

namespace ordergate::tooling::playground {
namespace {

namespace fs = std::filesystem;

/// A mapping named `name` in the loaded set: its file, kind and label.
bool describe(const mapping::mapping_set& set, mapping_entry& e) {
  for (const auto& r : set.routes) {
    if (r->name != e.name) continue;
    e.file = fs::path(r->file).filename().string();
    e.kind = "route";
    e.label = r->label();
    return true;
  }
  if (const auto d = set.documents.find(e.name); d != set.documents.end()) {
    e.file = d->second->where.file ? fs::path(*d->second->where.file).filename().string() : "";
    e.kind = "document";
    e.label = "document " + e.name;
    return !e.file.empty();
  }
  return false;
}

}  // namespace

bool mapping_entry::has_case(std::string_view c) const {
  return std::find(cases.begin(), cases.end(), c) != cases.end();
}

std::vector<mapping_entry> catalogue(const std::string& dir) {
  std::vector<mapping_entry> entries;
  for (const golden::test_case& c : golden::find_cases(dir)) {
    if (entries.empty() || entries.back().name != c.mapping) {
      entries.emplace_back();
      entries.back().name = c.mapping;
    }
    entries.back().cases.push_back(c.name);
  }
  // No environment: every route compiles (as one that would answer 503), which is all
  // it takes to know its file and label.
  const auto loaded = mapping::load_folder(dir, [](std::string_view) { return std::nullopt; });
  for (mapping_entry& e : entries) {
    if (loaded.mappings && describe(*loaded.mappings, e)) continue;
    // A folder that does not load: the file named like the mapping, if any.
    for (const char* ext : {".jsonc", ".json"}) {
      std::error_code ignored;
      if (e.file.empty() && fs::exists(fs::path(dir) / (e.name + ext), ignored))
        e.file = e.name + ext;
    }
    e.kind = "route";
    e.label = e.name;
  }
  std::erase_if(entries, [](const mapping_entry& e) { return e.file.empty(); });
  return entries;
}

const mapping_entry* find_entry(const std::vector<mapping_entry>& entries, std::string_view name) {
  for (const mapping_entry& e : entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::vector<std::string> mapping_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    std::error_code ignored;
    if (it->is_regular_file(ignored) && (ext == ".json" || ext == ".jsonc"))
      files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

boost::system::result<golden::case_defaults, golden::case_problems> read_defaults(
    const std::string& dir, const mapping_entry& entry) {
  const fs::path file = fs::path(dir) / "tests" / entry.name / "defaults.jsonc";
  std::error_code ignored;
  if (!fs::exists(file, ignored)) return golden::case_defaults{};
  const auto text = core::read_file(file.string());
  if (!text) return golden::case_problems{{"defaults.jsonc", "cannot be read"}};
  auto parsed = golden::parse_defaults(*text);
  if (parsed) return parsed;
  golden::case_problems problems;
  for (const golden::case_problem& p : parsed.error())
    problems.push_back({"defaults.jsonc", p.to_string()});
  return problems;
}

golden::case_files files_of(const std::string& dir, const std::string& case_dir) {
  return {case_dir, (fs::path(dir) / "tests").string()};
}

api_answer error_answer(unsigned status, std::string_view code, std::string_view message) {
  json_out out;
  out.begin_object().key("error").string(code).key("message").string(message).end_object();
  return {status, out.str()};
}

void write_case_errors(json_out& out, const golden::case_problems& problems) {
  out.key("case_errors").begin_array();
  for (const golden::case_problem& p : problems) {
    out.begin_object()
        .key("part")
        .string(p.path.substr(0, p.path.find_first_of(".[")))
        .key("path")
        .string(p.path)
        .key("message")
        .string(p.message)
        .key("text")
        .string(p.to_string())
        .end_object();
  }
  out.end_array();
}

api_request::api_request(std::string_view body) {
  if (auto error = golden::parse_jsonc(body, doc_)) {
    error_ = error_answer(400, "bad_request", "the request is not JSON: " + *error);
  } else if (!doc_.IsObject()) {
    error_ = error_answer(400, "bad_request", "the request must be a JSON object");
  }
}

std::optional<std::string> api_request::text(const char* key) {
  if (error_) return std::nullopt;
  const rapidjson::Document& doc = doc_;  // const iterators: see golden_case.cpp
  const auto it = doc.FindMember(key);
  if (it != doc.MemberEnd() && it->value.IsString())
    return std::string(it->value.GetString(), it->value.GetStringLength());
  error_ = error_answer(400, "bad_request", std::string("\"") + key + "\" must be a string");
  return std::nullopt;
}

std::optional<std::string> api_request::optional_text(const char* key) const {
  if (error_) return std::nullopt;
  const auto it = doc_.FindMember(key);
  if (it == doc_.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<case_parts> api_request::parts() {
  if (error_) return std::nullopt;
  const rapidjson::Document& doc = doc_;
  const auto it = doc.FindMember("parts");
  if (it != doc.MemberEnd() && it->value.IsObject()) {
    case_parts parts;
    bool strings = true;
    for (const auto& m : it->value.GetObject()) {
      strings = strings && m.value.IsString();
      if (strings) {
        parts[std::string(m.name.GetString(), m.name.GetStringLength())] =
            std::string(m.value.GetString(), m.value.GetStringLength());
      }
    }
    if (strings) return parts;
  }
  error_ = error_answer(400, "bad_request", "\"parts\" must be an object of texts");
  return std::nullopt;
}

}  // namespace ordergate::tooling::playground
