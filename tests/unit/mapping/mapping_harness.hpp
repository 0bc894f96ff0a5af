#pragma once
// Helpers for the mapping unit tests: mapping files written into a temporary
// folder, loaded through the public loader, and document mappings run on JSON
// input the way the pipeline runs them.

#include "ordergate/codec/json.hpp"
#include "ordergate/core/error.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory_resource>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace ordergate::core {

/// Error codes print by name in failed checks.
inline std::ostream& boost_test_print_type(std::ostream& out, errc e) {
  return out << code_name(e);
}

}  // namespace ordergate::core

namespace ordergate::mapping::test {

using env_map = std::map<std::string, std::string>;

/// A fresh folder under the system temp directory, removed with everything in it.
class temp_folder {
 public:
  temp_folder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ordergate-mapping-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~temp_folder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  /// Writes `text` to `name` inside the folder; returns the full path.
  std::string write(const std::string& name, std::string_view text) const {
    const auto p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

inline environment env_of(env_map vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

/// "file:line:col" of the first character of the `nth` occurrence of `needle`
/// in `text` (columns count characters, as the loader does).
inline std::string where(std::string_view file, std::string_view text, std::string_view needle,
                         int nth = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth && at != std::string_view::npos; ++i)
    at = text.find(needle, at + 1);
  BOOST_REQUIRE_MESSAGE(at != std::string_view::npos,
                        "test bug: '" << needle << "' not in the file");
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

/// Every diagnostic, one per line.
inline std::string all_errors(const load_result& r) {
  std::string out;
  for (const diagnostic& d : r.errors.items())
    out += d.to_string() + "\n";
  return out;
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// Loads the given files (name -> text) from a fresh folder.
inline load_result load_texts(const std::map<std::string, std::string>& files,
                              const env_map& env = {}) {
  temp_folder folder;
  for (const auto& [name, text] : files)
    folder.write(name, text);
  return load_folder(folder.path(), env_of(env));
}

/// The diagnostics of loading one file named `name`.
inline std::string load_errors(const std::string& name, const std::string& text,
                               const env_map& env = {}) {
  const load_result r = load_texts({{name, text}}, env);
  BOOST_TEST_INFO("file:\n" << text);
  BOOST_CHECK_MESSAGE(!r.mappings, "the file unexpectedly loaded");
  return all_errors(r);
}

/// JSON string literal for `s` (for expressions embedded in generated files).
inline std::string json_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// What running a document mapping gave: its JSON output, or the failure.
struct run_result {
  bool ok = false;
  std::string output;
  eval_failure failure;
};

/// Runs `doc` on the JSON `input` as the pipeline does: the input is the root of
/// error paths ("data[3].status").
inline run_result run_document(const compiled_document& doc, std::string_view input) {
  std::pmr::monotonic_buffer_resource arena;
  auto decoded = codec::decode_json_copy(input, arena);
  BOOST_REQUIRE_MESSAGE(decoded, "test bug: input is not JSON: " << input);
  const codec::node* root =
      new (arena.allocate(sizeof(codec::node), alignof(codec::node))) codec::node(*decoded);
  frame f(arena, doc.slot_count);
  f.add_root({root, "", core::errc::unmappable});
  f.slot(doc.input_slot) = value::of(root);
  run_result out;
  codec::json_writer w(out.output);
  out.ok = bind_all(doc.lets, f) && render(doc.output, f, w);
  if (!out.ok) {
    BOOST_REQUIRE(f.failure().has_value());
    out.failure = *f.failure();
  }
  return out;
}

/// A document mapping file named doc.jsonc: input `input`, the given extra
/// top-level members (e.g. "\"tables\": {...},") and `output` (JSON text).
inline std::string document_file(std::string_view output, std::string_view extra = {}) {
  std::string text = "{\n  \"document\": {\"input\": \"input\"},\n";
  if (!extra.empty()) text += "  " + std::string(extra) + "\n";
  text += "  \"output\": " + std::string(output) + "\n}\n";
  return text;
}

/// Loads a single document mapping (plus optional other files) and keeps it.
class document_fixture {
 public:
  explicit document_fixture(const std::string& text, const env_map& env = {},
                            const std::map<std::string, std::string>& others = {}) {
    text_ = text;
    auto files = others;
    files["doc.jsonc"] = text;
    loaded_ = load_texts(files, env);
    BOOST_REQUIRE_MESSAGE(loaded_.mappings, "load failed:\n" << all_errors(loaded_) << text);
    const auto it = loaded_.mappings->documents.find("doc");
    BOOST_REQUIRE(it != loaded_.mappings->documents.end());
    doc_ = it->second;
  }

  run_result run(std::string_view input = "null") const { return run_document(*doc_, input); }
  /// The output; fails the test when the run failed.
  std::string output(std::string_view input = "null") const {
    const run_result r = run(input);
    BOOST_CHECK_MESSAGE(r.ok, "run failed: " << r.failure.message);
    return r.output;
  }
  /// The failure message; fails the test when the run succeeded.
  eval_failure failure(std::string_view input = "null") const {
    const run_result r = run(input);
    BOOST_CHECK_MESSAGE(!r.ok, "run unexpectedly gave " << r.output);
    return r.failure;
  }
  const compiled_document& doc() const { return *doc_; }
  const std::string& text() const { return text_; }
  /// "doc.jsonc:line:col" of `needle` in the file.
  std::string at(std::string_view needle, int nth = 0) const {
    return where("doc.jsonc", text_, needle, nth);
  }

 private:
  std::string text_;
  load_result loaded_;
  std::shared_ptr<const compiled_document> doc_;
};

/// A document whose output is the expression `expression` (on input `input`).
inline document_fixture expression(std::string_view expression, std::string_view extra = {},
                                   const env_map& env = {}) {
  return document_fixture(
      document_file(json_quoted(std::string("= ") + std::string(expression)), extra), env);
}

/// The JSON output of `expression` evaluated on `input`.
inline std::string eval(std::string_view expr, std::string_view input = "null",
                        std::string_view extra = {}) {
  return expression(expr, extra).output(input);
}

/// The failure message of `expression` evaluated on `input`.
inline std::string eval_error(std::string_view expr, std::string_view input = "null",
                              std::string_view extra = {}) {
  return expression(expr, extra).failure(input).message;
}

/// The output of `expr` applied to input.v, where input is {"v": <v>}.
inline std::string on(std::string_view expr, std::string_view v) {
  return eval(expr, "{\"v\": " + std::string(v) + "}");
}

/// The load errors of a document whose output is `expression`.
inline std::string expression_load_errors(std::string_view expr, std::string_view extra = {}) {
  return load_errors("doc.jsonc",
                     document_file(json_quoted(std::string("= ") + std::string(expr)), extra));
}

}  // namespace ordergate::mapping::test
