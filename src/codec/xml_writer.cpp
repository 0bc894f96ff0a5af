// Document events -> XML bytes (the decoder is in xml.cpp).
//
// Choices the header leaves open:
// - null, "" and empty objects are written as self-closing elements (<k/>);
// - an empty array writes nothing with `repeat` (the key vanishes) and <k/> with `wrap`;
// - an array inside an array keeps the outer item name: with `repeat` its items are
//   written as further repeated elements ([[a,b],c] under k: <k>a</k><k>b</k><k>c</k>),
//   with `wrap` it becomes one item element holding its items under the same name
//   (<k><item><item>a</item><item>b</item></item><item>c</item></k>);
// - a carriage return is written as &#13; so that it survives XML's end-of-line handling.

#include "ordergate/codec/xml.hpp"

#include "codec/unicode.hpp"
#include "codec/xml_name_cache.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#ifdef RAPIDJSON_SSE2
#include <emmintrin.h>
#endif

namespace ordergate::codec {
namespace {

constexpr std::string_view declaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::size_t initial_room = 4096;

using outcome = std::optional<std::string>;

/// Bytes text is written with as they are: printable ASCII other than & < >, tab and
/// line feed. Everything else is escaped (& < > and carriage return), refused (other
/// controls) or decoded (non-ASCII) before it is accepted.
constexpr std::array<bool, 256> plain_text_bytes = [] {
  std::array<bool, 256> plain{};
  for (unsigned c = 0x20; c < 0x80; ++c)
    plain[c] = true;
  plain['&'] = plain['<'] = plain['>'] = false;
  plain['\t'] = plain['\n'] = true;
  return plain;
}();

#ifdef RAPIDJSON_SSE2
/// Of 16 bytes, those that are not plain text: bit i set for byte i. A signed compare:
/// bytes below 0x20 and every non-ASCII byte count, as do & < > (tab and line feed
/// too; the caller lets them through).
unsigned xml_text_stops(__m128i x) noexcept {
  const __m128i hits = _mm_or_si128(
      _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8('&'))),
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('<')), _mm_cmpeq_epi8(x, _mm_set1_epi8('>'))));
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
}
#endif

/// How many leading bytes of [p, end) are plain text; values are mostly ASCII words.
std::size_t plain_prefix(const char* p, const char* end) noexcept {
  const char* start = p;
#ifdef RAPIDJSON_SSE2
  if (const auto n = static_cast<std::size_t>(end - p); n >= 4 && n < 16) {
    unsigned width;
    const __m128i x = load_ends(p, n, width);
    return first_in_ends(xml_text_stops(x), width, n);
  }
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (const unsigned mask = xml_text_stops(x); mask != 0)
      return static_cast<std::size_t>(p - start) + static_cast<unsigned>(__builtin_ctz(mask));
    p += 16;
  }
#endif
  while (p != end && plain_text_bytes[static_cast<unsigned char>(*p)])
    ++p;
  return static_cast<std::size_t>(p - start);
}

std::string_view entity(char c) noexcept {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#13;";
    default:
      return {};
  }
}

/// Appends `text` with & < > and carriage returns escaped, checking on the way that
/// XML 1.0 can carry it. At the first character it cannot, stops and returns the fault
/// find_non_xml_text would report; what was appended until then is the caller's to remove.
std::optional<text_fault> append_xml_text(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  std::size_t done = 0;  // bytes of `text` appended so far
  while ((pos += plain_prefix(text.data() + pos, text.data() + text.size())) < text.size()) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (const std::string_view e = entity(text[pos]); !e.empty()) {
      out.append(text.substr(done, pos - done)).append(e);
      done = ++pos;
    } else if (b == '\t' || b == '\n') {
      ++pos;
    } else if (b < 0x80) {
      return text_fault{pos, b};
    } else if (b >= 0xC2 && b <= 0xDF && pos + 1 < text.size() &&
               (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80) {
      pos += 2;  // U+0080..U+07FF (Cyrillic among them) are all XML characters
    } else {
      const std::size_t at = pos;
      const std::optional<char32_t> c = next_code_point(text, pos);
      if (!c || !is_xml_char(*c)) return text_fault{at, c};
    }
  }
  out.append(text.substr(done));
  return std::nullopt;
}

outcome check_name(std::string_view name, std::string_view what) {
  if (is_xml_name(name)) return std::nullopt;
  return "XML output: " + std::string(what) + " \"" + printable(name) +
         "\" is not a valid XML element name";
}

}  // namespace

struct xml_writer::impl {
  /// An open object or array; an array written with `repeat` has no element of its own.
  /// A frame that ends is kept for the next value at its depth, so the buffers of its
  /// names are allocated once per writer rather than once per element.
  struct frame {
    bool array = false;
    std::string element;  // closed when the frame ends; empty for a `repeat` array
    std::string item;     // arrays: the name of each item's element
    std::string key;      // objects: the key whose value comes next
    bool has_key = false;
    std::uint32_t index = 0;  // arrays: items written so far
  };

  impl(std::string& o, const xml_encode_options& opts, std::size_t max)
      : out(o), options(opts), max_bytes(max) {
    frames.reserve(8);  // deeper documents are rare; the vector grows if one comes
    // Room for a typical body up front, instead of doubling from a few bytes.
    out.reserve(out.size() + std::min<std::size_t>(max_bytes, initial_room));
  }

  outcome check_options() const;
  outcome scalar(std::string_view text, bool check_text);
  outcome begin_object();
  outcome key(std::string_view k);
  outcome end_object();
  outcome begin_array();
  outcome end_array();

  outcome check_value_place() const;
  /// The element name of the value about to be written inside `parent`.
  static std::string_view value_name(const frame& parent) noexcept {
    return parent.array ? parent.item : parent.key;
  }
  frame& top() { return frames[depth - 1]; }
  frame& push_frame();
  void open_element(std::string_view name);
  void close_element(std::string_view name);
  void close_start_tag();
  void finish_value();
  std::string path() const;
  outcome check_size() const;

  std::string& out;
  const xml_encode_options options;  // a copy: callers often pass a temporary
  const std::size_t max_bytes;
  std::vector<frame> frames;  // the first `depth` are open, the rest kept for reuse
  std::size_t depth = 0;
  xml_name_cache valid_names;  // keys seen before need no second check
  bool started = false;
  bool start_tag_open = false;  // "<name" written, its '>' not yet: it may still become "/>"
};

xml_writer::xml_writer(std::string& out, const xml_encode_options& options, std::size_t max_bytes)
    : impl_(std::make_unique<impl>(out, options, max_bytes)) {
  if (auto e = impl_->check_options()) fail(std::move(*e));
}

xml_writer::~xml_writer() = default;

void xml_writer::null() {
  if (failed()) return;
  if (auto e = impl_->scalar({}, false)) fail(std::move(*e));
}
void xml_writer::boolean(bool b) {
  if (failed()) return;
  if (auto e = impl_->scalar(b ? "true" : "false", false)) fail(std::move(*e));
}
void xml_writer::number(std::string_view literal) {
  if (failed()) return;
  if (auto e = impl_->scalar(literal, false)) fail(std::move(*e));
}
void xml_writer::string(std::string_view s) {
  if (failed()) return;
  if (auto e = impl_->scalar(s, true)) fail(std::move(*e));
}
void xml_writer::begin_object() {
  if (failed()) return;
  if (auto e = impl_->begin_object()) fail(std::move(*e));
}
void xml_writer::key(std::string_view k) {
  if (failed()) return;
  if (auto e = impl_->key(k)) fail(std::move(*e));
}
void xml_writer::end_object() {
  if (failed()) return;
  if (auto e = impl_->end_object()) fail(std::move(*e));
}
void xml_writer::begin_array() {
  if (failed()) return;
  if (auto e = impl_->begin_array()) fail(std::move(*e));
}
void xml_writer::end_array() {
  if (failed()) return;
  if (auto e = impl_->end_array()) fail(std::move(*e));
}

outcome xml_writer::impl::check_options() const {
  if (auto e = check_name(options.root, "root element name")) return e;
  if (options.arrays == xml_array_style::wrap) {
    if (auto e = check_name(options.default_item, "default item name")) return e;
  }
  for (const auto& [k, name] : options.element_names) {
    if (auto e = check_name(name, "element name for key \"" + printable(k) + "\"")) return e;
  }
  return std::nullopt;
}

outcome xml_writer::impl::scalar(std::string_view text, bool check_text) {
  if (auto e = check_value_place()) return e;
  const std::string_view name = value_name(top());
  const std::size_t before = out.size();
  close_start_tag();
  if (text.empty()) {
    out.append("<").append(name).append("/>");
  } else {
    out.append("<").append(name).append(">");
    if (!check_text) {
      out.append(text);  // a number literal, true or false: nothing to escape
    } else if (auto fault = append_xml_text(out, text)) {
      out.resize(before);  // a refused value leaves no trace, as if checked before writing
      return "XML output: the value at " + path() + " " + describe(*fault);
    }
    out.append("</").append(name).append(">");
  }
  finish_value();
  return check_size();
}

outcome xml_writer::impl::begin_object() {
  if (!started) {
    started = true;
    if (options.declaration) out.append(declaration);
    open_element(options.root);
    push_frame().element = options.root;
    return check_size();
  }
  if (auto e = check_value_place()) return e;
  frame& f = push_frame();
  f.element = value_name(frames[depth - 2]);
  open_element(f.element);
  return check_size();
}

outcome xml_writer::impl::key(std::string_view k) {
  if (depth == 0 || top().array)
    return "XML output: key \"" + printable(k) + "\" outside an object";
  frame& f = top();
  if (f.has_key) return "XML output: key \"" + printable(f.key) + "\" has no value";
  if (!valid_names.contains(k)) {
    if (auto e = check_name(k, "key")) {
      const std::string p = path();
      return *e + (p.empty() ? " (in the root object)" : " (in " + p + ")");
    }
    valid_names.add(k);
  }
  f.key.assign(k);
  f.has_key = true;
  return std::nullopt;
}

outcome xml_writer::impl::end_object() {
  if (depth == 0 || top().array) return "XML output: end of an object that was not begun";
  if (top().has_key) return "XML output: key \"" + printable(top().key) + "\" has no value";
  close_element(top().element);
  --depth;
  finish_value();
  return check_size();
}

outcome xml_writer::impl::begin_array() {
  if (auto e = check_value_place()) return e;
  frame& f = push_frame();
  const frame& parent = frames[depth - 2];
  f.array = true;
  if (parent.array) {
    f.item = parent.item;
    if (options.arrays == xml_array_style::wrap) f.element = parent.item;
  } else {
    const auto it = options.element_names.find(parent.key);
    const bool named = it != options.element_names.end();
    if (options.arrays == xml_array_style::repeat) {
      f.item = named ? it->second : parent.key;
    } else {
      f.element = parent.key;
      f.item = named ? it->second : options.default_item;
    }
  }
  if (!f.element.empty()) open_element(f.element);
  return check_size();
}

outcome xml_writer::impl::end_array() {
  if (depth == 0 || !top().array) return "XML output: end of an array that was not begun";
  if (!top().element.empty()) close_element(top().element);
  --depth;
  finish_value();
  return check_size();
}

/// Whether a value may come now: the top frame is an array or an object with a key.
outcome xml_writer::impl::check_value_place() const {
  if (depth == 0) {
    return started ? "XML output: more than one top-level value"
                   : "XML output: the top-level value must be an object";
  }
  const frame& f = frames[depth - 1];
  if (f.array || f.has_key) return std::nullopt;
  const std::string p = path();
  return "XML output: a value without a key inside the " +
         (p.empty() ? std::string("root object") : "object at " + p);
}

/// Opens a frame above the top one, reusing a frame that ended there before.
xml_writer::impl::frame& xml_writer::impl::push_frame() {
  if (depth == frames.size()) frames.emplace_back();
  frame& f = frames[depth++];
  f.array = false;
  f.element.clear();
  f.item.clear();
  f.has_key = false;
  f.index = 0;
  return f;
}

void xml_writer::impl::open_element(std::string_view name) {
  close_start_tag();
  out.append("<").append(name);
  start_tag_open = true;
}

void xml_writer::impl::close_element(std::string_view name) {
  if (start_tag_open) {
    out.append("/>");
    start_tag_open = false;
  } else {
    out.append("</").append(name).append(">");
  }
}

void xml_writer::impl::close_start_tag() {
  if (!start_tag_open) return;
  out += '>';
  start_tag_open = false;
}

void xml_writer::impl::finish_value() {
  if (depth == 0) return;
  frame& f = top();
  if (f.array) {
    ++f.index;
  } else {
    f.has_key = false;
  }
}

/// Where the writer is, for messages: "data[0].tags[1]" ("" in the root object).
std::string xml_writer::impl::path() const {
  std::string p;
  for (std::size_t i = 0; i < depth; ++i) {
    const frame& f = frames[i];
    if (f.array) {
      p += "[" + std::to_string(f.index) + "]";
    } else if (f.has_key) {
      if (!p.empty()) p += '.';
      p += printable(f.key);
    }
  }
  return p;
}

outcome xml_writer::impl::check_size() const {
  if (out.size() <= max_bytes) return std::nullopt;
  return "XML output exceeds the limit of " + std::to_string(max_bytes) + " bytes";
}

}  // namespace ordergate::codec
