#include "mapping/source.hpp"

#include "ordergate/core/utf8.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>

namespace ordergate::mapping {

std::string location::to_string() const {
  std::string name = file ? *file : std::string("<input>");
  const auto slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  return name + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string diagnostic::to_string() const {
  return where.to_string() + ": " + message;
}

source_file::source_file(std::string name, std::string text)
    : name_(std::make_shared<const std::string>(std::move(name))), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

location source_file::locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  std::uint32_t column = 1;
  for (std::uint32_t i = line_starts_[line - 1]; i < offset; ++i) {
    // Count characters, not bytes: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {name_, line, column};
}

const source_node* source_node::find(std::string_view key) const noexcept {
  for (const source_member& m : members) {
    if (m.key == key) return m.value.get();
  }
  return nullptr;
}

namespace {

/// The code unit of the 4 hex digits at raw[at], or -1.
long hex4(const std::string& raw, std::size_t at) {
  if (at + 4 > raw.size()) return -1;
  long v = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = raw[i];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

std::uint32_t string_char_offset(const source_file& file, const source_node& n, std::size_t index) {
  // Walk the raw text after the opening quote, counting decoded bytes.
  const std::string& raw = file.text();
  std::size_t pos = n.offset + 1;
  std::size_t decoded = 0;
  while (pos < raw.size() && raw[pos] != '"' && decoded < index) {
    if (raw[pos] == '\\' && pos + 1 < raw.size()) {
      if (raw[pos + 1] == 'u') {
        // \uXXXX decodes to 1-3 UTF-8 bytes; a surrogate pair (12 characters) to 4.
        const long unit = hex4(raw, pos + 2);
        const bool pair = unit >= 0xD800 && unit <= 0xDBFF && raw.compare(pos + 6, 2, "\\u") == 0;
        pos += pair ? 12 : 6;
        decoded += pair ? 4 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
      } else {
        pos += 2;
        decoded += 1;
      }
    } else {
      ++pos;
      ++decoded;
    }
  }
  return static_cast<std::uint32_t>(pos);
}

namespace {

/// The file's text as RapidJSON's input stream, bounded by its size: past the end it
/// reads NULs without moving. (A plain StringStream relies on the terminating NUL, but
/// the validating reader takes the continuation bytes of a UTF-8 sequence without
/// looking, and read past the NUL of a file ending inside one.) Also, RapidJSON copies
/// a plain StringStream while it reads a string or a number and writes the position
/// back only afterwards, so inside the handler Tell() would still point at the token's
/// start; it does not do that for a stream type of its own like this one.
class tracked_stream {
 public:
  using Ch = char;

  explicit tracked_stream(std::string_view text)
      : begin_(text.data()), at_(text.data()), end_(text.data() + text.size()) {}

  Ch Peek() const { return at_ == end_ ? '\0' : *at_; }
  Ch Take() { return at_ == end_ ? '\0' : *at_++; }
  std::size_t Tell() const { return static_cast<std::size_t>(at_ - begin_); }

  // Output functions RapidJSON's concept requires; only in-situ parsing calls them.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  const Ch* begin_;
  const Ch* at_;
  const Ch* end_;
};

/// Builds source nodes from RapidJSON events, reading the stream position to find
/// where each token started.
class positioned_builder
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, positioned_builder> {
 public:
  positioned_builder(const std::string& text, const tracked_stream& stream)
      : text_(text), stream_(stream) {}

  bool Null() { return scalar(source_node::type::null, 4); }
  bool Bool(bool b) {
    if (!scalar(source_node::type::boolean, b ? 4 : 5)) return false;
    last().boolean = b;
    return true;
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    if (!scalar(source_node::type::number, n)) return false;
    last().text.assign(s, n);
    return true;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (lone_surrogate({s, n})) return false;
    source_node node;
    node.t = source_node::type::string;
    node.text.assign(s, n);
    node.offset = string_start();
    return place(std::move(node));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (lone_surrogate({s, n})) return false;
    pending_key_.assign(s, n);
    pending_key_offset_ = string_start();
    return true;
  }
  bool StartObject() { return open(source_node::type::object); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(source_node::type::array); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  std::unique_ptr<source_node> take() { return std::move(root_); }
  /// Parsing stopped at an escape of an unpaired surrogate.
  bool bad_escape() const noexcept { return bad_escape_; }

 private:
  // RapidJSON 1.1 decodes the escape of an unpaired low surrogate ("\udc00") into
  // bytes that are not UTF-8; every string of a mapping must be.
  bool lone_surrogate(std::string_view text) {
    bad_escape_ = core::has_encoded_surrogate(text);
    return bad_escape_;
  }

  std::uint32_t here() const { return static_cast<std::uint32_t>(stream_.Tell()); }

  /// The opening quote of the string that just ended: the first quote going back
  /// that is not escaped (preceded by an even number of backslashes).
  std::uint32_t string_start() const {
    std::size_t p = here() - 1;  // the closing quote
    while (p > 0) {
      --p;
      if (text_[p] != '"') continue;
      std::size_t slashes = 0;
      while (p >= slashes + 1 && text_[p - slashes - 1] == '\\')
        ++slashes;
      if (slashes % 2 == 0) break;
    }
    return static_cast<std::uint32_t>(p);
  }

  source_node& last() {
    if (stack_.empty()) return *root_;
    source_node& top = *stack_.back();
    return top.t == source_node::type::object ? *top.members.back().value : top.items.back();
  }

  bool scalar(source_node::type t, std::uint32_t length) {
    source_node node;
    node.t = t;
    node.offset = here() - length;
    return place(std::move(node));
  }

  bool place(source_node node) {
    if (stack_.empty()) {
      root_ = std::make_unique<source_node>(std::move(node));
      return true;
    }
    source_node& top = *stack_.back();
    if (top.t == source_node::type::object) {
      top.members.push_back({std::move(pending_key_), pending_key_offset_,
                             std::make_unique<source_node>(std::move(node))});
    } else {
      top.items.push_back(std::move(node));
    }
    return true;
  }

  bool open(source_node::type t) {
    if (stack_.size() >= 128) return false;  // mapping files are never this deep
    source_node node;
    node.t = t;
    node.offset = here() - 1;
    if (!place(std::move(node))) return false;
    stack_.push_back(&last());
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  const std::string& text_;
  const tracked_stream& stream_;
  std::unique_ptr<source_node> root_;
  std::vector<source_node*> stack_;
  std::string pending_key_;
  std::uint32_t pending_key_offset_ = 0;
  bool bad_escape_ = false;
};

}  // namespace

std::unique_ptr<source_node> parse_source(const source_file& file, diagnostics& out) {
  // RapidJSON would take a NUL for the end of the text and ignore the rest.
  if (const auto nul = file.text().find('\0'); nul != std::string::npos) {
    out.add(file.locate(static_cast<std::uint32_t>(nul)), "syntax error: NUL byte in the file");
    return nullptr;
  }
  tracked_stream stream(file.text());
  positioned_builder builder(file.text(), stream);
  rapidjson::Reader reader;
  constexpr unsigned flags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag |
                             rapidjson::kParseNumbersAsStringsFlag |
                             rapidjson::kParseValidateEncodingFlag;
  const rapidjson::ParseResult ok = reader.Parse<flags>(stream, builder);
  if (!ok) {
    location where = file.locate(static_cast<std::uint32_t>(ok.Offset()));
    const std::string why = builder.bad_escape() ? "a \\u escape of an unpaired surrogate"
                            : ok.Code() == rapidjson::kParseErrorTermination
                                ? std::string("nesting deeper than 128 levels")
                                : rapidjson::GetParseError_En(ok.Code());
    out.add(std::move(where), "syntax error: " + why);
    return nullptr;
  }
  return builder.take();
}

}  // namespace ordergate::mapping
