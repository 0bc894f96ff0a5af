#include "mapping/file_compiler.hpp"
#include "ordergate/core/file.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace ordergate::mapping {
namespace {

namespace fs = std::filesystem;

bool is_mapping_file(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".json" || ext == ".jsonc";
}

/// Parses one file's text and works out its kind; nullptr after an error.
std::unique_ptr<mapping_unit> parse_unit(const std::string& path, std::string text,
                                         diagnostics& out) {
  auto unit = std::make_unique<mapping_unit>(
      mapping_unit{source_file(path, std::move(text)), nullptr, {}, {}});
  unit->stem = fs::path(path).stem().string();
  unit->root = parse_source(unit->file, out);
  if (!unit->root) return nullptr;
  if (!unit->root->is_object()) {
    out.add(unit->file.locate(unit->root->offset), "a mapping file is a JSON object");
    return nullptr;
  }
  int kinds = 0;
  for (const auto& [key, k] :
       {std::pair{"route", mapping_unit::kind::route}, std::pair{"job", mapping_unit::kind::job},
        std::pair{"document", mapping_unit::kind::document}}) {
    if (unit->root->find(key)) {
      unit->file_kind = k;
      ++kinds;
    }
  }
  if (kinds == 0 && unit->root->find("tables")) {
    unit->file_kind = mapping_unit::kind::library;
    return unit;
  }
  if (kinds != 1) {
    out.add(
        unit->file.locate(unit->root->offset),
        "a mapping file has exactly one of \"route\", \"job\" or \"document\" (or only \"tables\": "
        "a table library)");
    return nullptr;
  }
  return unit;
}

}  // namespace

environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

load_result load_folder(const std::string& folder, const environment& env) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && is_mapping_file(it->path())) files.push_back(it->path().string());
  }
  if (ec) {
    load_result result;
    result.errors.add(location{std::make_shared<const std::string>(folder), 0, 0},
                      "cannot read the mapping folder: " + ec.message());
    return result;
  }
  std::sort(files.begin(), files.end());
  return load_files(files, env);
}

load_result load_files(const std::vector<std::string>& files, const environment& env) {
  std::vector<mapping_text> texts;
  diagnostics unreadable;
  for (const std::string& f : files) {
    if (auto text = core::read_file(f)) {
      texts.push_back({f, std::move(*text)});
    } else {
      unreadable.add(location{std::make_shared<const std::string>(f), 0, 0},
                     "cannot read the file");
    }
  }
  load_result result = load_mapping_texts(std::move(texts), env);
  result.files = files;
  unreadable.append(result.errors);
  result.errors = std::move(unreadable);
  if (!result.errors.empty()) result.mappings = nullptr;
  return result;
}

load_result load_mapping_texts(std::vector<mapping_text> texts, const environment& env) {
  load_result result;
  std::vector<std::unique_ptr<mapping_unit>> units;
  for (auto& t : texts) {
    result.files.push_back(t.name);
    if (auto u = parse_unit(t.name, std::move(t.text), result.errors))
      units.push_back(std::move(u));
  }
  auto set = std::make_shared<mapping_set>();
  shared_definitions shared;
  // Table libraries, then documents: every other file may use them.
  for (const auto& u : units) {
    if (u->file_kind != mapping_unit::kind::library) continue;
    if (auto library = compile_library_file(*u, result.errors))
      shared.libraries.push_back(std::move(library));
  }
  for (const auto& u : units) {
    if (u->file_kind != mapping_unit::kind::document) continue;
    auto doc = compile_document_file(*u, env, shared, result.errors);
    if (!doc) continue;
    if (shared.documents.count(doc->name)) {
      result.errors.add(doc->where, "a document named '" + doc->name + "' is already defined");
      continue;
    }
    shared.documents.emplace(doc->name, std::move(doc));
  }
  set->documents = shared.documents;
  for (const auto& u : units) {
    if (u->file_kind == mapping_unit::kind::route) {
      auto route = compile_route_file(*u, env, shared, result.errors);
      if (!route) continue;
      for (const auto& other : set->routes) {
        if (other->method == route->method && other->path == route->path) {
          result.errors.add(route->where,
                            route->label() + " is already served by " + other->where.to_string());
        }
      }
      set->routes.push_back(std::move(route));
    } else if (u->file_kind == mapping_unit::kind::job) {
      auto job = compile_job_file(*u, env, shared, result.errors);
      if (!job) continue;
      for (const auto& other : set->jobs) {
        if (other->name == job->name) {
          result.errors.add(job->where, "a job named '" + job->name + "' is already defined");
        }
      }
      set->jobs.push_back(std::move(job));
    }
  }
  if (result.errors.empty()) result.mappings = std::move(set);
  return result;
}

}  // namespace ordergate::mapping
