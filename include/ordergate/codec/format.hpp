#pragma once
// Formats by name and by media type: the one place that knows which codec reads
// and writes which bytes.

#include "ordergate/codec/json.hpp"
#include "ordergate/codec/xml.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::codec {

enum class format : std::uint8_t { json, xml, form, text };

std::string_view format_name(format f) noexcept;
std::optional<format> format_from_name(std::string_view name) noexcept;

/// The media type written in Content-Type for `f` (e.g. "application/json").
std::string_view media_type(format f) noexcept;

/// The format of a Content-Type value ("application/json; charset=utf-8",
/// "text/xml", "application/x-www-form-urlencoded", "+json"/"+xml" suffixes);
/// nullopt for anything else. Parameters and case are ignored.
std::optional<format> format_from_content_type(std::string_view content_type) noexcept;

struct decode_options {
  decode_limits limits;
  xml_decode_options xml;
  /// JSON: what to build of the document (the rest is validated and skipped).
  const projection* keep = &projection::everything();
};

/// Decodes the `size` bytes at `text`, which are followed by a NUL byte (modified in
/// place for JSON), with the codec of `f`; `text` turns into a single string node.
decode_result decode(format f, char* text, std::size_t size, std::pmr::memory_resource& arena,
                     const decode_options& options = {});
inline decode_result decode(format f, std::string& text, std::pmr::memory_resource& arena,
                            const decode_options& options = {}) {
  return decode(f, text.data(), text.size(), arena, options);
}

struct encode_options {
  /// XML: the options, which must outlive the writer; null for the defaults.
  const xml_encode_options* xml = nullptr;
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
};

/// A writer encoding into `out` with the codec of `f` (`text` writes a string's bytes).
std::unique_ptr<writer> make_writer(format f, std::string& out, const encode_options& options = {});

}  // namespace ordergate::codec
