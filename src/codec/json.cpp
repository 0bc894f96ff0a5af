#include "ordergate/codec/json.hpp"

#include "codec/unicode.hpp"
#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/core/utf8.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <variant>

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

/// Parses `size` bytes at `data`, which must be followed by a NUL byte.
decode_result decode_in_place(char* data, std::size_t size, std::pmr::memory_resource& arena,
                              const decode_limits& limits) {
  if (size > limits.max_bytes) return decode_error{size_error(size, limits.max_bytes)};
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

}  // namespace

decode_result decode_json(std::string& text, std::pmr::memory_resource& arena,
                          const decode_limits& limits) {
  return decode_in_place(text.data(), text.size(), arena, limits);
}

decode_result decode_json_copy(std::string_view text, std::pmr::memory_resource& arena,
                               const decode_limits& limits) {
  if (text.size() > limits.max_bytes)
    return decode_error{size_error(text.size(), limits.max_bytes)};
  auto* copy = static_cast<char*>(arena.allocate(text.size() + 1, 1));
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return decode_in_place(copy, text.size(), arena, limits);
}

struct json_writer::impl {
  explicit impl(std::string& out, json_style style) : sink(out) {
    if (style == json_style::pretty) {
      w.emplace<rapidjson::PrettyWriter<string_sink>>(sink).SetIndent(' ', 2);
    } else {
      w.emplace<rapidjson::Writer<string_sink>>(sink);
    }
  }
  string_sink sink;
  std::variant<rapidjson::Writer<string_sink>, rapidjson::PrettyWriter<string_sink>> w{
      std::in_place_index<0>};

  template <typename F>
  void visit(F&& f) {
    sink.written = sink.out->size();  // someone else may have appended in between
    std::visit(f, w);
    sink.finish();
  }
};

json_writer::json_writer(std::string& out, json_style style, std::size_t max_bytes)
    : impl_(std::make_unique<impl>(out, style)), out_(out), max_bytes_(max_bytes) {}

json_writer::~json_writer() = default;

void json_writer::check_size() {
  if (out_.size() > max_bytes_)
    fail("output exceeds the limit of " + std::to_string(max_bytes_) + " bytes");
}

void json_writer::null() {
  if (failed()) return;
  impl_->visit([](auto& w) { w.Null(); });
}
void json_writer::boolean(bool b) {
  if (failed()) return;
  impl_->visit([b](auto& w) { w.Bool(b); });
}
void json_writer::number(std::string_view literal) {
  if (failed()) return;
  impl_->visit(
      [literal](auto& w) { w.RawValue(literal.data(), literal.size(), rapidjson::kNumberType); });
  check_size();
}
void json_writer::string(std::string_view s) {
  if (failed()) return;
  impl_->visit([s](auto& w) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); });
  check_size();
}
void json_writer::begin_object() {
  if (failed()) return;
  impl_->visit([](auto& w) { w.StartObject(); });
}
void json_writer::key(std::string_view k) {
  if (failed()) return;
  impl_->visit([k](auto& w) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); });
  check_size();
}
void json_writer::end_object() {
  if (failed()) return;
  impl_->visit([](auto& w) { w.EndObject(); });
}
void json_writer::begin_array() {
  if (failed()) return;
  impl_->visit([](auto& w) { w.StartArray(); });
}
void json_writer::end_array() {
  if (failed()) return;
  impl_->visit([](auto& w) { w.EndArray(); });
}

std::string to_json(const node& n, json_style style) {
  std::string out;
  json_writer w(out, style);
  write(w, n);
  return out;
}

}  // namespace ordergate::codec
