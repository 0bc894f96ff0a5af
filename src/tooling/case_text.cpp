#include "tooling/case_text.hpp"

#include "ordergate/core/file.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>

namespace ordergate::tooling::golden {
namespace {

constexpr unsigned jsonc_flags =
    rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag |
    rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag |
    rapidjson::kParseIterativeFlag;

/// Recursion stops one level past the limit, so a deep document cannot exhaust the stack.
bool deeper_than_limit(const rapidjson::Value& v, unsigned depth, std::string& path) {
  if (!v.IsObject() && !v.IsArray()) return false;
  if (depth > max_depth) return true;
  if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      if (deeper_than_limit(v[i], depth + 1, path)) {
        path = "[" + std::to_string(i) + "]" + path;
        return true;
      }
    }
    return false;
  }
  for (const auto& m : v.GetObject()) {
    if (deeper_than_limit(m.value, depth + 1, path)) {
      path = std::string(m.name.GetString(), m.name.GetStringLength()) +
             (path.empty() || path.front() == '[' ? "" : ".") + path;
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> parse_jsonc(std::string_view text, rapidjson::Document& doc) {
  rapidjson::MemoryStream stream(text.data(), text.size());
  doc.ParseStream<jsonc_flags, rapidjson::UTF8<>>(stream);
  if (!doc.HasParseError()) return std::nullopt;
  const std::size_t offset = std::min(doc.GetErrorOffset(), text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // characters, not bytes, as the mapping loader counts them
    }
  }
  return "syntax error at line " + std::to_string(line) + ", column " + std::to_string(column) +
         ": " + rapidjson::GetParseError_En(doc.GetParseError());
}

std::optional<std::string> too_deep(const rapidjson::Value& v) {
  std::string path;
  if (!deeper_than_limit(v, 1, path)) return std::nullopt;
  // The path of the deep place repeats one step for each level: its start says enough.
  if (path.size() > 60) path = path.substr(0, 60) + "...";
  return path;
}

std::string compact_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return {out.GetString(), out.GetSize()};
}

boost::system::result<std::string, std::string> read_case_file(const case_files& files,
                                                               const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code root_error, file_error;
  const fs::path root = fs::weakly_canonical(files.root, root_error);
  const fs::path file = fs::weakly_canonical(fs::path(files.dir) / name, file_error);
  const fs::path inside = file.lexically_relative(root);
  if (root_error || file_error || files.root.empty() || inside.empty() || *inside.begin() == "..") {
    return {boost::system::in_place_error, "'" + name + "' is outside the tests folder"};
  }
  auto text = core::read_file(file.string());
  if (!text) return {boost::system::in_place_error, "cannot read '" + name + "'"};
  return {boost::system::in_place_value, std::move(*text)};
}

const std::array<std::pair<std::string_view, http::upstream_errc>, 6>& failure_names() {
  static constexpr std::array<std::pair<std::string_view, http::upstream_errc>, 6> names{{
      {"timeout", http::upstream_errc::timeout},
      {"connect_failed", http::upstream_errc::connect_failed},
      {"resolve_failed", http::upstream_errc::resolve_failed},
      {"bad_answer", http::upstream_errc::bad_answer},
      {"tls_failed", http::upstream_errc::tls_failed},
      {"too_large", http::upstream_errc::too_large},
  }};
  return names;
}

}  // namespace ordergate::tooling::golden
