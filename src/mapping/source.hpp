#pragma once
// Mapping files as read from disk: JSON with comments and trailing commas, parsed
// by RapidJSON into a small tree that remembers where every value and key starts,
// so that every error can say file:line:col.

#include "ordergate/mapping/diagnostics.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::mapping {

/// One text file with its line index.
class source_file {
 public:
  source_file(std::string name, std::string text);

  const std::string& name() const noexcept { return *name_; }
  const std::string& text() const noexcept { return text_; }
  /// 1-based line and column of a byte offset (columns count UTF-8 characters).
  location locate(std::uint32_t offset) const;

 private:
  std::shared_ptr<const std::string> name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

struct source_node;

struct source_member {
  std::string key;
  std::uint32_t key_offset = 0;  ///< offset of the key's opening quote
  std::unique_ptr<source_node> value;
};

/// A JSON value of a mapping file with its position.
struct source_node {
  enum class type : std::uint8_t { null, boolean, number, string, array, object };
  type t = type::null;
  bool boolean = false;
  std::string text;          ///< decoded string, or the number's literal text
  std::uint32_t offset = 0;  ///< where the value starts (the quote of a string)
  std::vector<source_node> items;
  std::vector<source_member> members;

  bool is_string() const noexcept { return t == type::string; }
  bool is_object() const noexcept { return t == type::object; }
  bool is_array() const noexcept { return t == type::array; }
  const source_node* find(std::string_view key) const noexcept;
};

/// Offset in the file of the character `index` of a string node's decoded text,
/// walking its escapes.
std::uint32_t string_char_offset(const source_file& file, const source_node& n, std::size_t index);

/// Parses `file`; on a syntax error adds a diagnostic and returns nullptr.
std::unique_ptr<source_node> parse_source(const source_file& file, diagnostics& out);

}  // namespace ordergate::mapping
