#include "ordergate/codec/json.hpp"

#include "codec/json_reader.hpp"
#include "codec/unicode.hpp"
#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/core/short_bytes.hpp"
#include "ordergate/core/utf8.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#ifdef RAPIDJSON_SSE2
#include <emmintrin.h>
#endif

namespace ordergate::codec {
namespace {

// UTF-8 is validated before parsing, in one fast pass: RapidJSON's own validation
// costs more than a third of the parse and turns off its SIMD string scan.
constexpr unsigned parse_flags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

/// Forwards RapidJSON's SAX events to a tree_writer that keeps strings in place,
/// refusing nesting deeper than the limit.
class sax_builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, sax_builder> {
 public:
  sax_builder(tree_writer& tree, unsigned max_depth) : tree_(tree), max_depth_(max_depth) {}

  bool Null() { return tree_.null(), true; }
  bool Bool(bool b) { return tree_.boolean(b), true; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return tree_.number({s, n}), true; }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return text_ok({s, n}) && (tree_.string({s, n}), true);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    return text_ok({s, n}) && (tree_.key({s, n}), true);
  }
  bool StartObject() { return enter() && (tree_.begin_object(), true); }
  bool EndObject(rapidjson::SizeType) { return --depth_, tree_.end_object(), true; }
  bool StartArray() { return enter() && (tree_.begin_array(), true); }
  bool EndArray(rapidjson::SizeType) { return --depth_, tree_.end_array(), true; }
  // Unused with kParseNumbersAsStringsFlag, but required by the handler concept.
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }

  bool too_deep() const noexcept { return too_deep_; }
  bool lone_surrogate() const noexcept { return lone_surrogate_; }

 private:
  // The input is valid UTF-8, but RapidJSON 1.1 decodes the escape of an unpaired low
  // surrogate ("\udc00") into bytes that are not: such a string is refused.
  bool text_ok(std::string_view text) {
    if (!core::has_encoded_surrogate(text)) return true;
    lone_surrogate_ = true;
    return false;
  }

  bool enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }
  tree_writer& tree_;
  unsigned max_depth_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
  bool lone_surrogate_ = false;
};

/// RapidJSON output stream appending to a std::string. The writer reserves room
/// before each string or number (PutReserve) and then stores bytes unchecked
/// (PutUnsafe): the string is grown once, and cut back to what was written by
/// finish() after every event, so `out` is always exactly the output so far.
struct string_sink {
  using Ch = char;
  std::string* out;
  std::size_t written;

  explicit string_sink(std::string& o) : out(&o), written(o.size()) {}
  void Put(char c) {
    if (written == out->size()) {
      out->push_back(c);
    } else {
      (*out)[written] = c;
    }
    ++written;
  }
  void reserve(std::size_t n) {
    if (out->size() < written + n) out->resize(written + n);
  }
  void put_unchecked(char c) { (*out)[written++] = c; }
  void finish() { out->resize(written); }
  void Flush() {}
};

// Found by argument-dependent lookup from RapidJSON's writer; preferred to its generic
// templates, which would call Put() byte by byte.
[[maybe_unused]] inline void PutReserve(string_sink& s, std::size_t n) {
  s.reserve(n);
}
[[maybe_unused]] inline void PutUnsafe(string_sink& s, char c) {
  s.put_unchecked(c);
}

}  // namespace

namespace {

std::string size_error(std::size_t size, std::size_t limit) {
  return "JSON document of " + std::to_string(size) + " bytes exceeds the limit of " +
         std::to_string(limit);
}

}  // namespace

// The fast reader first; when it says no, RapidJSON (in place), for its result or its
// exact error.
decode_result decode_json(char* data, std::size_t size, std::pmr::memory_resource& arena,
                          const decode_limits& limits, const projection& keep) {
  if (size > limits.max_bytes) return decode_error{size_error(size, limits.max_bytes)};
  if (node fast; read_json(data, size, arena, limits.max_depth, keep, fast)) return fast;
  // RapidJSON stops at the first NUL: refuse one inside the document.
  if (const void* nul = std::memchr(data, '\0', size)) {
    return decode_error{"malformed JSON at byte " +
                        std::to_string(static_cast<const char*>(nul) - data) + ": NUL byte"};
  }
  if (const auto fault = find_invalid_utf8({data, size})) {
    return decode_error{"malformed JSON at byte " + std::to_string(fault->offset) +
                        ": invalid UTF-8"};
  }
  // The reader's stack and the builder's stacks are reused by each thread.
  thread_local rapidjson::Reader reader;
  thread_local tree_writer tree(*std::pmr::null_memory_resource(), false);
  tree.reset(arena);
  sax_builder handler(tree, limits.max_depth);
  rapidjson::InsituStringStream stream(data);
  const rapidjson::ParseResult ok = reader.Parse<parse_flags>(stream, handler);
  if (!ok) {
    if (handler.too_deep()) {
      return decode_error{"JSON nesting deeper than " + std::to_string(limits.max_depth) +
                          " levels at byte " + std::to_string(ok.Offset())};
    }
    if (handler.lone_surrogate()) {
      return decode_error{"malformed JSON before byte " + std::to_string(ok.Offset()) +
                          ": a \\u escape of an unpaired surrogate"};
    }
    return decode_error{"malformed JSON at byte " + std::to_string(ok.Offset()) + ": " +
                        rapidjson::GetParseError_En(ok.Code())};
  }
  return tree.result();
}

decode_result decode_json_copy(std::string_view text, std::pmr::memory_resource& arena,
                               const decode_limits& limits) {
  if (text.size() > limits.max_bytes)
    return decode_error{size_error(text.size(), limits.max_bytes)};
  auto* copy = static_cast<char*>(arena.allocate(text.size() + 1, 1));
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return decode_json(copy, text.size(), arena, limits);
}

namespace {

/// Bytes a JSON string cannot hold as they are: the quote, the backslash and controls.
constexpr bool needs_escape(unsigned char c) noexcept {
  return c == '"' || c == '\\' || c < 0x20;
}

/// How many leading bytes of [p, end) need no escaping.
std::size_t plain_prefix(const char* p, const char* end) noexcept {
  const char* start = p;
#ifdef RAPIDJSON_SSE2
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (const unsigned mask = json_string_stops(x); mask != 0)
      return static_cast<std::size_t>(p - start) + static_cast<unsigned>(__builtin_ctz(mask));
    p += 16;
  }
#endif
  while (p != end && !needs_escape(static_cast<unsigned char>(*p)))
    ++p;
  return static_cast<std::size_t>(p - start);
}

/// Writes the body of a JSON string literal for `s` (no quotes) at `w`, escaped as
/// RapidJSON's writer does (\\b \\f \\n \\r \\t, other controls as \\u00XX; '/' and
/// non-ASCII as they are). `w` has room for 6 bytes per byte of `s` (the longest escape);
/// returns the end of what it wrote.
char* write_escaped(char* w, std::string_view s) noexcept {
  static constexpr char hex[] = "0123456789ABCDEF";
  const char* p = s.data();
  const char* end = p + s.size();
  while (p != end) {
    const std::size_t run = plain_prefix(p, end);
    std::memcpy(w, p, run);
    w += run;
    p += run;
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    *w++ = '\\';
    switch (c) {
      case '"':
      case '\\':
        *w++ = static_cast<char>(c);
        break;
      case '\b':
        *w++ = 'b';
        break;
      case '\f':
        *w++ = 'f';
        break;
      case '\n':
        *w++ = 'n';
        break;
      case '\r':
        *w++ = 'r';
        break;
      case '\t':
        *w++ = 't';
        break;
      default:
        *w++ = 'u';
        *w++ = '0';
        *w++ = '0';
        *w++ = hex[c >> 4];
        *w++ = hex[c & 15];
    }
  }
  return w;
}

/// Appends the body of a JSON string literal for `s` to `out` (see write_escaped).
void append_escaped(std::string& out, std::string_view s) {
  const std::size_t at = out.size();
  out.resize(at + 6 * s.size());
  out.resize(static_cast<std::size_t>(write_escaped(out.data() + at, s) - out.data()));
}

}  // namespace

member_key::member_key(std::string_view name_) : name(name_), xml_name(is_xml_name(name_)) {
  json.reserve(name.size() + 3);
  json += '"';
  append_escaped(json, name);
  json += "\":";
}

/// Pretty output (tools, humans) goes through RapidJSON's PrettyWriter; compact output,
/// the one on the data plane, is appended by hand.
struct json_writer::pretty {
  explicit pretty(std::string& out) : sink(out), w(sink) { w.SetIndent(' ', 2); }
  string_sink sink;
  rapidjson::PrettyWriter<string_sink> w;

  template <typename F>
  void event(F&& f) {
    sink.written = sink.out->size();  // someone else may have appended in between
    f(w);
    sink.finish();
  }
};

json_writer::json_writer(std::string& out, json_style style, std::size_t max_bytes)
    : max_bytes_(max_bytes), buffer_(out) {
  if (style == json_style::pretty) {
    pretty_ = std::make_unique<pretty>(out);
    return;
  }
  buffer_.start();
}

json_writer::~json_writer() = default;

namespace {

constexpr std::array<bool, 256> escape_table = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = needs_escape(static_cast<unsigned char>(c));
  return t;
}();

/// What a JSON string literal cannot hold as it is, for copy_plain.
struct json_string_bytes {
#ifdef RAPIDJSON_SSE2
  static unsigned block(__m128i x) noexcept {
    return json_string_stops(x);
  }
#endif
  static bool stop(unsigned char c) noexcept {
    return escape_table[c];
  }
};

}  // namespace

inline void json_writer::put(std::string_view text) {
  char* w = room(1 + text.size());
  if (comma_) *w++ = ',';
  core::copy_short(w, text.data(), text.size());
  buffer_.written_to(w + text.size());
}

// Out of line, so that put_quoted (inline in string() and key()) keeps few registers.
[[gnu::noinline]] char* json_writer::put_escaped(std::string_view rest) {
  return write_escaped(room(6 * rest.size() + 2), rest);
}

[[gnu::always_inline]] inline char* json_writer::quoted_at(char* w, std::string_view s) {
  *w++ = '"';
  const std::size_t plain = copy_plain<json_string_bytes>(w, s);
  w += plain;
  if (plain != s.size()) [[unlikely]] {
    buffer_.written_to(w);
    w = put_escaped(s.substr(plain));
  }
  *w = '"';
  return w + 1;
}

[[gnu::always_inline]] inline void json_writer::put_quoted(std::string_view s, bool key) {
  // A comma, the quotes, the text and a colon.
  char* w = room(4 + s.size());
  if (comma_) *w++ = ',';
  w = quoted_at(w, s);
  *w = ':';  // overwritten by what follows a value
  buffer_.written_to(w + static_cast<std::size_t>(key));
}

inline void json_writer::value_done() {
  comma_ = true;
  if (depth_ == 0) buffer_.flush();  // a complete document
}

inline void json_writer::check_size() {
  if (buffer_.size() > max_bytes_) [[unlikely]]
    too_large();
}

void json_writer::too_large() {
  fail("output exceeds the limit of " + std::to_string(max_bytes_) + " bytes");
}

void json_writer::null() {
  if (failed()) return;
  if (pretty_) return pretty_->event([](auto& w) { w.Null(); });
  put("null");
  value_done();
}
void json_writer::boolean(bool b) {
  if (failed()) return;
  if (pretty_) return pretty_->event([b](auto& w) { w.Bool(b); });
  put(b ? "true" : "false");
  value_done();
}
// Out of line: the compact writer's hot paths below then save no registers for it.
template <class Event>
[[gnu::noinline]] void json_writer::pretty_checked(const Event& event) {
  pretty_->event(event);
  check_size();
}

void json_writer::number(std::string_view literal) {
  if (failed()) return;
  if (pretty_) [[unlikely]] {
    return pretty_checked(
        [literal](auto& w) { w.RawValue(literal.data(), literal.size(), rapidjson::kNumberType); });
  }
  put(literal);
  value_done();
  check_size();
}
void json_writer::string(std::string_view s) {
  if (failed()) return;
  if (pretty_) [[unlikely]] {
    return pretty_checked(
        [s](auto& w) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); });
  }
  put_quoted(s, false);
  value_done();
  check_size();
}
void json_writer::begin_object() {
  if (failed()) return;
  if (pretty_) return pretty_->event([](auto& w) { w.StartObject(); });
  put("{");
  comma_ = false;
  ++depth_;
}
void json_writer::key(std::string_view k) {
  if (failed()) return;
  if (pretty_) [[unlikely]] {
    return pretty_checked(
        [k](auto& w) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); });
  }
  put_quoted(k, true);
  comma_ = false;  // the value follows the colon
  check_size();
}
void json_writer::key(const member_key& k) {
  if (pretty_) return key(k.name);
  if (failed()) return;
  put(k.json);
  comma_ = false;
  check_size();
}
bool json_writer::prepared_member(const prepared_text& member) {
  if (pretty_) return false;
  if (failed()) return true;  // ignored, as every event after a failure is
  put(member.json);
  value_done();
  check_size();
  return true;
}
// A member in one event: one check and one reservation for the key and the value.
inline char* json_writer::member_start(const member_key& k, std::size_t value_bytes) {
  char* w = room(1 + k.json.size() + value_bytes);
  if (comma_) *w++ = ',';
  core::copy_short(w, k.json.data(), k.json.size());
  return w + k.json.size();
}
inline void json_writer::member_end(char* end) {
  buffer_.written_to(end);
  comma_ = true;  // (a member is never a whole document)
  check_size();
}
void json_writer::string_member(const member_key& k, std::string_view s) {
  if (pretty_) [[unlikely]] {
    key(k.name);
    return string(s);
  }
  if (failed()) return;
  member_end(quoted_at(member_start(k, 2 + s.size()), s));
}
void json_writer::number_member(const member_key& k, std::string_view literal) {
  if (pretty_) [[unlikely]] {
    key(k.name);
    return number(literal);
  }
  if (failed()) return;
  char* w = member_start(k, literal.size());
  core::copy_short(w, literal.data(), literal.size());
  member_end(w + literal.size());
}
void json_writer::end_object() {
  if (failed()) return;
  if (pretty_) return pretty_->event([](auto& w) { w.EndObject(); });
  comma_ = false;
  put("}");
  --depth_;
  value_done();
}
void json_writer::begin_array() {
  if (failed()) return;
  if (pretty_) return pretty_->event([](auto& w) { w.StartArray(); });
  put("[");
  comma_ = false;
  ++depth_;
}
void json_writer::end_array() {
  if (failed()) return;
  if (pretty_) return pretty_->event([](auto& w) { w.EndArray(); });
  comma_ = false;
  put("]");
  --depth_;
  value_done();
}

std::string to_json(const node& n, json_style style) {
  std::string out;
  json_writer w(out, style);
  write(w, n);
  return out;
}

}  // namespace ordergate::codec
