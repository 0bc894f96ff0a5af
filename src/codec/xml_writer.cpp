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
#include "ordergate/codec/output_buffer.hpp"
#include "ordergate/core/short_bytes.hpp"

#include <array>
#include <optional>
#include <vector>

#ifdef RAPIDJSON_SSE2
#include <emmintrin.h>
#endif

namespace ordergate::codec {
namespace {

constexpr std::string_view declaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

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

/// What text is not written as it is, for copy_plain.
struct xml_text_bytes {
#ifdef RAPIDJSON_SSE2
  static unsigned block(__m128i x) noexcept {
    return xml_text_stops(x);
  }
#endif
  static bool stop(unsigned char c) noexcept {
    return !plain_text_bytes[c];
  }
};

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

/// Writes `s` at `w` (which has room for it); returns the end of what was written.
inline char* put(char* w, std::string_view s) noexcept {
  core::copy_short(w, s.data(), s.size());
  return w + s.size();
}

/// Writes `text` from `pos` on at `w` (which has room for five bytes each) with & < >
/// and carriage returns escaped, checking on the way that XML 1.0 can carry it; returns
/// the end of what was written. At the first character it cannot, stops and returns the
/// fault find_non_xml_text would report in `fault`.
char* put_xml_text(char* w, std::string_view text, std::size_t pos,
                   std::optional<text_fault>& fault) {
  while (pos < text.size()) {
    const auto b = static_cast<unsigned char>(text[pos]);
    if (const std::string_view e = entity(text[pos]); !e.empty()) {
      w = put(w, e);
      ++pos;
    } else if (b == '\t' || b == '\n') {
      *w++ = text[pos++];
    } else if (b < 0x80) {
      fault = text_fault{pos, b};
      return w;
    } else if (b >= 0xC2 && b <= 0xDF && pos + 1 < text.size() &&
               (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80) {
      w[0] = text[pos];  // U+0080..U+07FF (Cyrillic among them) are all XML characters
      w[1] = text[pos + 1];
      w += 2;
      pos += 2;
    } else {
      const std::size_t at = pos;
      const std::optional<char32_t> c = next_code_point(text, pos);
      if (!c || !is_xml_char(*c)) {
        fault = text_fault{at, c};
        return w;
      }
      w = put(w, text.substr(at, pos - at));
    }
    const std::size_t plain = copy_plain<xml_text_bytes>(w, text.substr(pos));
    w += plain;
    pos += plain;
  }
  return w;
}

outcome check_name(std::string_view name, std::string_view what) {
  if (is_xml_name(name)) return std::nullopt;
  return "XML output: " + std::string(what) + " \"" + printable(name) +
         "\" is not a valid XML element name";
}

}  // namespace

struct xml_writer::impl {
  /// An open object or array; an array written with `repeat` has no element of its own.
  /// A frame that ends is kept for the next value at its depth (and, by each thread, for
  /// its next writer), so the buffer of its key is not allocated per element. Names are views: of
  /// the options, of prepared keys (which outlive the writing) or of an enclosing frame's key,
  /// which does not change while this frame is open.
  struct frame {
    bool array = false;
    bool has_key = false;
    std::uint32_t index = 0;   // arrays: items written so far
    std::string_view element;  // closed when the frame ends; empty for a `repeat` array
    std::string_view item;     // arrays: the name of each item's element
    std::string_view key;      // objects: the key whose value comes next
    // The key's bytes when they were given only for the event. A vector, not a string:
    // its bytes stay where they are when the frame moves (a string's short ones would not).
    std::vector<char> key_text;
  };

  impl(std::string& o, const xml_encode_options& opts, std::size_t max)
      : options(opts), max_bytes(max), buffer(o) {
    buffer.start();
    frames = std::move(spare_frames);
    if (frames.capacity() == 0) frames.reserve(8);  // deeper documents grow it
    if (opts.element_names.size() <= few_names.size()) {
      for (const auto& [key, name] : opts.element_names)
        few_names[few_name_count++] = {key, name};
    }
  }
  ~impl() {
    if (frames.size() <= 64) spare_frames = std::move(frames);  // kept for the next writer
  }
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  /// The element name the options give the items of an array under `key`; empty when
  /// they give none (an empty name is not an XML name: the options would be refused).
  std::string_view element_name_of(std::string_view key) const {
    if (options.element_names.size() > few_names.size()) {
      const auto it = options.element_names.find(key);
      return it == options.element_names.end() ? std::string_view() : it->second;
    }
    for (std::size_t i = 0; i < few_name_count; ++i) {
      if (core::same_text(few_names[i].first, key)) return few_names[i].second;
    }
    return {};
  }

  // The events. Their common paths are inline in the writer's functions; what builds a
  // message is out of line, so that the common paths save no registers for it.
  outcome check_options() const;
  [[gnu::always_inline]] outcome scalar(std::string_view text, bool check_text);
  /// scalar's rare path: writes `text` from `plain` on, escaped, where the output ends.
  outcome put_escaped(std::string_view text, std::size_t plain, std::size_t before);
  [[gnu::always_inline]] outcome begin_object();
  outcome begin_root();
  /// A key is checked as an XML name unless the caller knows (`valid`) that it is one;
  /// `lasting` keys outlive the value written under them and are not copied.
  [[gnu::always_inline]] outcome key(std::string_view k, bool lasting, bool valid);
  outcome misplaced_key(std::string_view k) const;
  outcome invalid_key(std::string_view k) const;
  [[gnu::always_inline]] outcome end_object();
  outcome misplaced_end_object() const;
  [[gnu::always_inline]] outcome begin_array();
  /// Writes a member prepared as XML text inside the top object.
  outcome put_member(std::string_view xml);
  [[gnu::always_inline]] outcome end_array();

  /// Whether a value may come now: the top frame is an array or an object with a key.
  bool value_may_come() const noexcept { return top && (top->array || top->has_key); }
  /// Whether a key (or a prepared member, or the object's end) may come now: the top
  /// frame is an object whose last key has its value.
  bool key_may_come() const noexcept { return top && !top->array && !top->has_key; }
  /// Why a value may not come now.
  [[gnu::noinline, gnu::cold]] outcome misplaced_value() const;
  /// The element name of the value about to be written inside `parent`.
  static std::string_view value_name(const frame& parent) noexcept {
    return parent.array ? parent.item : parent.key;
  }
  frame& push_frame();
  void pop_frame() noexcept;
  /// Writes "<name" (after closing an open start tag), leaving the start tag open.
  void open_element(std::string_view name);
  void close_element(std::string_view name);
  void finish_value() noexcept;
  std::string path() const;
  outcome check_size() const {
    if (buffer.size() <= max_bytes) [[likely]]
      return std::nullopt;
    return too_large();
  }
  [[gnu::noinline, gnu::cold]] outcome too_large() const;

  const xml_encode_options& options;
  const std::size_t max_bytes;
  output_buffer buffer;
  std::vector<frame> frames;  // the first `depth` are open, the rest kept for reuse
  /// Each thread's frames of its last writer (one nested in another's work finds them
  /// taken and starts its own).
  static thread_local std::vector<frame> spare_frames;
  /// The options' element names, when they are few: a short scan finds them.
  std::array<std::pair<std::string_view, std::string_view>, 8> few_names;
  std::size_t few_name_count = 0;
  std::size_t depth = 0;
  frame* top = nullptr;        // the innermost open frame
  xml_name_cache valid_names;  // keys seen before need no second check
  bool started = false;
  bool start_tag_open = false;  // "<name" written, its '>' not yet: it may still become "/>"
};

xml_writer::xml_writer(std::string& out, const xml_encode_options& options, std::size_t max_bytes)
    : impl_(std::make_unique<impl>(out, options, max_bytes)) {
  if (auto e = impl_->check_options()) [[unlikely]]
    fail(std::move(*e));
}

thread_local std::vector<xml_writer::impl::frame> xml_writer::impl::spare_frames;

xml_writer::~xml_writer() = default;

outcome xml_writer::impl::check_options() const {
  if (auto e = check_name(options.root, "root element name")) return e;
  if (options.arrays == xml_array_style::wrap) {
    if (auto e = check_name(options.default_item, "default item name")) return e;
  }
  for (const auto& [k, name] : options.element_names) {
    if (!is_xml_name(name))  // the message is made only when it is needed
      return check_name(name, "element name for key \"" + printable(k) + "\"");
  }
  return std::nullopt;
}

inline outcome xml_writer::impl::scalar(std::string_view text, bool check_text) {
  if (!value_may_come()) [[unlikely]]
    return misplaced_value();
  const std::string_view name = value_name(*top);
  // A '>' that closes an open start tag, <name>, the text, </name>.
  const std::size_t before = buffer.size();
  char* w = buffer.room(2 * name.size() + text.size() + 6);
  if (start_tag_open) {
    *w++ = '>';
    start_tag_open = false;
  }
  *w++ = '<';
  w = put(w, name);
  if (text.empty()) {
    w[0] = '/';
    w[1] = '>';
    w += 2;
  } else {
    *w++ = '>';
    if (!check_text) {
      w = put(w, text);  // a number literal, true or false: nothing to escape
    } else if (const std::size_t plain = copy_plain<xml_text_bytes>(w, text); plain != text.size())
        [[unlikely]] {
      buffer.written_to(w + plain);
      if (auto e = put_escaped(text, plain, before)) return e;
      w = buffer.room(name.size() + 3);
    } else {
      w += plain;
    }
    w[0] = '<';
    w[1] = '/';
    w = put(w + 2, name);
    *w++ = '>';
  }
  buffer.written_to(w);
  finish_value();
  return check_size();
}

[[gnu::noinline]] outcome xml_writer::impl::put_escaped(std::string_view text, std::size_t plain,
                                                        std::size_t before) {
  // An escape makes a byte up to five ("&#13;"), then comes </name>.
  char* w = buffer.room(5 * (text.size() - plain) + value_name(*top).size() + 3);
  std::optional<text_fault> fault;
  w = put_xml_text(w, text, plain, fault);
  if (fault) {
    buffer.cut_to(before);  // a refused value leaves no trace
    return "XML output: the value at " + path() + " " + describe(*fault);
  }
  buffer.written_to(w);
  return std::nullopt;
}

inline outcome xml_writer::impl::begin_object() {
  if (!started) [[unlikely]]
    return begin_root();
  if (!value_may_come()) [[unlikely]]
    return misplaced_value();
  const std::string_view name = value_name(*top);
  open_element(name);
  push_frame().element = name;
  return check_size();
}

[[gnu::noinline]] outcome xml_writer::impl::begin_root() {
  started = true;
  if (options.declaration) {
    char* w = buffer.room(declaration.size());
    buffer.written_to(put(w, declaration));
  }
  open_element(options.root);
  push_frame().element = options.root;
  return check_size();
}

inline outcome xml_writer::impl::key(std::string_view k, bool lasting, bool valid) {
  if (!key_may_come()) [[unlikely]]
    return misplaced_key(k);
  if (!valid && !valid_names.contains(k)) {
    if (auto e = invalid_key(k)) return e;
    valid_names.add(k);
  }
  frame& f = *top;
  if (lasting) {
    f.key = k;
  } else {
    f.key_text.assign(k.begin(), k.end());
    f.key = {f.key_text.data(), f.key_text.size()};
  }
  f.has_key = true;
  return std::nullopt;
}

[[gnu::noinline, gnu::cold]] outcome xml_writer::impl::misplaced_key(std::string_view k) const {
  if (!top || top->array) return "XML output: key \"" + printable(k) + "\" outside an object";
  return "XML output: key \"" + printable(top->key) + "\" has no value";
}

/// Whether `k` is an XML name; a message when it is not.
[[gnu::noinline]] outcome xml_writer::impl::invalid_key(std::string_view k) const {
  auto e = check_name(k, "key");
  if (!e) return e;
  const std::string p = path();
  return *e + (p.empty() ? " (in the root object)" : " (in " + p + ")");
}

inline outcome xml_writer::impl::end_object() {
  if (!key_may_come()) [[unlikely]]  // an object ends where a key could come
    return misplaced_end_object();
  close_element(top->element);
  pop_frame();
  finish_value();
  return check_size();
}

[[gnu::noinline, gnu::cold]] outcome xml_writer::impl::misplaced_end_object() const {
  if (!top || top->array) return "XML output: end of an object that was not begun";
  return "XML output: key \"" + printable(top->key) + "\" has no value";
}

inline outcome xml_writer::impl::begin_array() {
  if (!value_may_come()) [[unlikely]]
    return misplaced_value();
  const frame& parent = *top;
  std::string_view element;
  std::string_view item;
  if (parent.array) {
    item = parent.item;
    if (options.arrays == xml_array_style::wrap) element = parent.item;
  } else {
    const std::string_view named = element_name_of(parent.key);
    if (options.arrays == xml_array_style::repeat) {
      item = named.empty() ? parent.key : named;
    } else {
      element = parent.key;
      item = named.empty() ? std::string_view(options.default_item) : named;
    }
  }
  if (!element.empty()) open_element(element);
  frame& f = push_frame();
  f.array = true;
  f.element = element;
  f.item = item;
  return check_size();
}

outcome xml_writer::impl::put_member(std::string_view xml) {
  char* w = buffer.room(xml.size() + 1);
  if (start_tag_open) {
    *w++ = '>';
    start_tag_open = false;
  }
  buffer.written_to(put(w, xml));
  return check_size();
}

inline outcome xml_writer::impl::end_array() {
  if (!top || !top->array) [[unlikely]]
    return "XML output: end of an array that was not begun";
  if (!top->element.empty()) close_element(top->element);
  pop_frame();
  finish_value();
  return check_size();
}

outcome xml_writer::impl::misplaced_value() const {
  if (depth == 0) {
    return started ? "XML output: more than one top-level value"
                   : "XML output: the top-level value must be an object";
  }
  const std::string p = path();
  return "XML output: a value without a key inside the " +
         (p.empty() ? std::string("root object") : "object at " + p);
}

/// Opens a frame above the top one, reusing a frame that ended there before.
xml_writer::impl::frame& xml_writer::impl::push_frame() {
  if (depth == frames.size()) frames.emplace_back();
  frame& f = frames[depth++];
  f.array = false;
  f.has_key = false;
  f.index = 0;
  f.element = {};
  f.item = {};
  top = &f;
  return f;
}

void xml_writer::impl::pop_frame() noexcept {
  --depth;
  top = depth == 0 ? nullptr : &frames[depth - 1];
  if (depth == 0) buffer.flush();  // the document is complete
}

void xml_writer::impl::open_element(std::string_view name) {
  char* w = buffer.room(name.size() + 2);
  if (start_tag_open) *w++ = '>';
  *w++ = '<';
  buffer.written_to(put(w, name));
  start_tag_open = true;
}

void xml_writer::impl::close_element(std::string_view name) {
  char* w = buffer.room(name.size() + 3);
  if (start_tag_open) {
    w[0] = '/';
    w[1] = '>';
    w += 2;
    start_tag_open = false;
  } else {
    w[0] = '<';
    w[1] = '/';
    w = put(w + 2, name);
    *w++ = '>';
  }
  buffer.written_to(w);
}

void xml_writer::impl::finish_value() noexcept {
  if (!top) return;
  if (top->array) {
    ++top->index;
  } else {
    top->has_key = false;
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

outcome xml_writer::impl::too_large() const {
  return "XML output exceeds the limit of " + std::to_string(max_bytes) + " bytes";
}

void xml_writer::null() {
  if (failed()) return;
  if (auto e = impl_->scalar({}, false)) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::boolean(bool b) {
  if (failed()) return;
  if (auto e = impl_->scalar(b ? "true" : "false", false)) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::number(std::string_view literal) {
  if (failed()) return;
  if (auto e = impl_->scalar(literal, false)) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::string(std::string_view s) {
  if (failed()) return;
  if (auto e = impl_->scalar(s, true)) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::begin_object() {
  if (failed()) return;
  if (auto e = impl_->begin_object()) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::key(std::string_view k) {
  if (failed()) return;
  if (auto e = impl_->key(k, false, false)) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::key(const member_key& k) {
  if (failed()) return;
  if (auto e = impl_->key(k.name, true, k.xml_name)) [[unlikely]]
    fail(std::move(*e));
}
[[gnu::always_inline]] inline void xml_writer::member(const member_key& k, std::string_view text,
                                                      bool check_text) {
  if (failed()) return;
  auto e = impl_->key(k.name, true, k.xml_name);
  if (!e) e = impl_->scalar(text, check_text);
  if (e) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::string_member(const member_key& k, std::string_view s) {
  member(k, s, true);
}
void xml_writer::number_member(const member_key& k, std::string_view literal) {
  member(k, literal, false);  // a number literal: nothing to check or escape
}
bool xml_writer::prepared_member(const prepared_text& member) {
  if (member.xml.empty()) return false;
  if (failed()) return true;  // ignored, as every event after a failure is
  // Where a key may come; elsewhere the events report what is wrong.
  if (!impl_->key_may_come()) return false;
  if (auto e = impl_->put_member(member.xml)) [[unlikely]]
    fail(std::move(*e));
  return true;
}
void xml_writer::end_object() {
  if (failed()) return;
  if (auto e = impl_->end_object()) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::begin_array() {
  if (failed()) return;
  if (auto e = impl_->begin_array()) [[unlikely]]
    fail(std::move(*e));
}
void xml_writer::end_array() {
  if (failed()) return;
  if (auto e = impl_->end_array()) [[unlikely]]
    fail(std::move(*e));
}

}  // namespace ordergate::codec
