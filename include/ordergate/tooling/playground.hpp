#pragma once
// `ordergate playground`: a page to edit a mapping and a golden case and watch the
// answer change as you type. The API runs the production loader, compiler and route
// handler offline, exactly as `ordergate test` does (golden::parse_case and
// golden::run); nothing it serves executes anything but the mapping engine.
// docs/mapping-language.md, "The playground".

#include "ordergate/http/message.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace ordergate::tooling::playground {

/// An answer of the API: an HTTP status and a JSON body.
struct api_answer {
  unsigned status = 200;
  std::string body;
};

/// The API over one mapping folder. It reads the mapping files and golden cases of the
/// folder, and writes only new case folders under its tests/ (never a mapping file).
class workspace {
 public:
  explicit workspace(std::string mappings_dir);

  /// GET /api/files: the mappings that have golden cases (file, kind, label, cases).
  api_answer files() const;

  /// GET /api/case?mapping=&case=: the mapping file's text, defaults.jsonc and the
  /// case's parts (every *_file inlined).
  api_answer open_case(std::string_view mapping, std::string_view name) const;

  /// POST /api/run {mapping, case, file, mapping_text, parts}: loads the folder with
  /// `file` replaced by `mapping_text` and runs the edited case: load errors, case
  /// errors, the rendered calls, the answer, the differences from what it expects.
  api_answer run(std::string_view request) const;

  /// POST /api/save {mapping, case, name, parts}: writes the parts as a new case
  /// tests/<mapping>/<name>/case.jsonc and runs it as `ordergate test` would. 201, or
  /// 400 (a bad name or a broken case; nothing is left behind), 404 (unknown mapping),
  /// 409 (the case exists).
  api_answer save(std::string_view request) const;

  const std::string& mappings_dir() const noexcept { return dir_; }

 private:
  std::string dir_;
};

/// The site: the page and its assets, the API, and the rules every request must pass
/// first (Host is localhost or an IP address, no foreign Origin, JSON POSTs).
std::shared_ptr<http::handler> make_site(std::shared_ptr<const workspace> api);

}  // namespace ordergate::tooling::playground
