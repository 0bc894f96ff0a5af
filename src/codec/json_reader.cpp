#include "codec/json_reader.hpp"

#include "codec/unicode.hpp"
#include "ordergate/core/short_bytes.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace ordergate::codec {
namespace {

/// Bytes that end a run of plain string content: the quote, the backslash, control
/// characters (including the NUL after the text) and the first byte of multi-byte UTF-8.
constexpr bool stops_string(unsigned char c) noexcept {
  return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

struct stop_table {
  bool stops[256];
  constexpr stop_table() : stops() {
    for (int c = 0; c < 256; ++c)
      stops[c] = stops_string(static_cast<unsigned char>(c));
  }
};
constexpr stop_table string_stops;

bool stops(char c) noexcept {
  return string_stops.stops[static_cast<unsigned char>(c)];
}

constexpr std::array<bool, 256> whitespace_table = [] {
  std::array<bool, 256> t{};
  t[' '] = t['\n'] = t['\r'] = t['\t'] = true;
  return t;
}();

bool is_whitespace(char c) noexcept {
  return whitespace_table[static_cast<unsigned char>(c)];
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// One member key as it was read: its text in the document (followed by `":`) and
/// what the projection keeps of its value.
struct recalled_key {
  const char* text;    ///< its opening quote
  std::uint32_t size;  ///< of `"key":`, quotes and colon included
  const projection* child;
};

/// The member keys, in order, of the last object read with one projection.
struct key_memory {
  static constexpr std::uint32_t capacity = 48;
  std::uint32_t size = 0;
  recalled_key keys[capacity];
};

/// Each thread's key memories, one per projection of the tree being read. They point
/// into the text of the document being read, so each document starts with them empty.
class key_recall {
 public:
  void start(const projection& root) {
    // Large trees (rare: a mapping that reads many nested paths) go without.
    limit_ = root.tree_size() <= max_projections ? root.tree_size() : 0;
    if (memories_.size() < limit_) memories_.resize(limit_);
    for (std::uint32_t i = 0; i < limit_; ++i)
      memories_[i].size = 0;
  }

  key_memory* of(const projection& p) noexcept {
    // everything() and nothing() are unnumbered: they go without.
    return p.ordinal() < limit_ ? &memories_[p.ordinal()] : nullptr;
  }

 private:
  static constexpr std::uint32_t max_projections = 64;
  std::vector<key_memory> memories_;
  std::uint32_t limit_ = 0;
};

/// Recursive descent over a NUL-terminated text: the NUL after the last byte stops
/// every loop without a bounds check (a NUL inside the text fails the read, and the
/// fallback reports it). Nesting is bounded by the depth limit, so is the recursion.
class reader {
 public:
  reader(const char* text, std::size_t size, std::pmr::memory_resource& arena, unsigned max_depth)
      : p_(text), end_(text + size), arena_(arena), max_depth_(max_depth) {}

  bool document(const projection& keep, node& out) {
    members_.clear();
    items_.clear();
    recall_.start(keep);
    whitespace();
    if (!value(&keep, out)) return false;
    whitespace();
    return p_ == end_;
  }

 private:
  void whitespace() noexcept {
    // Vendors mostly send compact JSON: one comparison tells that no whitespace is here
    // (everything at or below ' ' that is not whitespace stops too, as the NUL does).
    if (static_cast<unsigned char>(*p_) > ' ' || !is_whitespace(*p_)) return;
    ++p_;
    // Indented JSON: one space after a colon, a newline and indentation elsewhere.
    if (static_cast<unsigned char>(*p_) > ' ') return;
    whitespace_run();
  }

  /// Skips whitespace 16 bytes at a time (SSE2) while 16 bytes are left, then by byte.
  void whitespace_run() noexcept {
#ifdef RAPIDJSON_SSE2
    while (end_ - p_ >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      const __m128i spaces = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                                       _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
                                          _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')),
                                                       _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))));
      const unsigned others = ~static_cast<unsigned>(_mm_movemask_epi8(spaces)) & 0xFFFFu;
      if (others != 0) {
        p_ += __builtin_ctz(others);
        return;
      }
      p_ += 16;
    }
#endif
    while (static_cast<unsigned char>(*p_) <= ' ' && is_whitespace(*p_))
      ++p_;
  }

  /// Reads one value; with `keep` null it is only validated (skipped).
  bool value(const projection* keep, node& out) {
    switch (*p_) {
      case '{':
        return object(keep, out);
      case '[':
        return array(keep, out);
      case '"': {
        std::string_view s;
        if (!string(s, keep != nullptr)) return false;
        out = node::make_string(s);
        return true;
      }
      case 't':
        return literal("true", node::make_boolean(true), out);
      case 'f':
        return literal("false", node::make_boolean(false), out);
      case 'n':
        return literal("null", node::make_null(), out);
      default:
        return number(out);
    }
  }

  bool literal(std::string_view word, node value, node& out) noexcept {
    if (!skip_word(word)) return false;
    out = value;
    return true;
  }

  /// `word` is one of the three literals (4 or 5 bytes): compared by two 4-byte loads
  /// when the text is long enough to hold it, which it must be to match.
  bool skip_word(std::string_view word) noexcept {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        !core::same_short(p_, word.data(), word.size())) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  /// Validates one value that nothing keeps, building nothing.
  bool skip() {
    switch (*p_) {
      case '"':
        return skip_string();
      case '{':
        return skip_container('}');
      case '[':
        return skip_container(']');
      case 't':
        return skip_word("true");
      case 'f':
        return skip_word("false");
      case 'n':
        return skip_word("null");
      default: {
        node ignored;
        return number(ignored);
      }
    }
  }

  bool skip_string() {
    const char* start = ++p_;
    plain_run();
    if (static_cast<unsigned char>(*p_) >= 0x80 && !mixed_run()) return false;
    if (*p_ == '"') {
      ++p_;
      return true;
    }
    std::string_view ignored;
    return *p_ == '\\' && escaped(start, ignored, false);
  }

  /// An object (`close` '}') or array (']') that nothing keeps.
  bool skip_container(char close) {
    ++p_;
    if (++depth_ > max_depth_) return false;
    whitespace();
    if (*p_ != close) {
      for (;;) {
        if (close == '}') {
          if (*p_ != '"' || !skip_string()) return false;
          whitespace();
          if (*p_ != ':') return false;
          ++p_;
          whitespace();
        }
        if (!skip()) return false;
        whitespace();
        if (*p_ == ',') {
          ++p_;
          whitespace();
          continue;
        }
        if (*p_ != close) return false;
        break;
      }
    }
    ++p_;
    --depth_;
    return true;
  }

  bool number(node& out) noexcept {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (*p_ == '0') {
      ++p_;
    } else if (is_digit(*p_)) {
      while (is_digit(*p_))
        ++p_;
    } else {
      return false;
    }
    if (*p_ == '.') {
      ++p_;
      if (!is_digit(*p_)) return false;
      while (is_digit(*p_))
        ++p_;
    }
    // RapidJSON refuses numbers beyond the range of a double even when it keeps their
    // text: exponents and very long numbers are left to it.
    if (*p_ == 'e' || *p_ == 'E' || p_ - start > 300) return false;
    out = node::make_number({start, static_cast<std::size_t>(p_ - start)});
    return true;
  }

  bool object(const projection* keep, node& out) {
    ++p_;
    if (++depth_ > max_depth_) return false;
    const std::size_t base = members_.size();
    key_memory* memory = keep ? recall_.of(*keep) : nullptr;
    whitespace();
    if (*p_ != '}') {
      for (std::uint32_t i = 0;; ++i) {
        std::string_view key;
        const projection* child = nullptr;
        if (!memory || !recall_key(*memory, i, key, child)) {
          if (*p_ != '"' || !string(key, keep != nullptr)) return false;
          whitespace();
          if (*p_ != ':') return false;
          ++p_;
          if (keep) child = keep->find(key);
          if (memory) remember_key(*memory, i, key, child);
        }
        whitespace();
        if (child) {
          node v;
          if (!value(child, v)) return false;
          members_.push_back({key, v});
        } else if (!skip()) {
          return false;
        }
        whitespace();
        if (*p_ == ',') {
          ++p_;
          whitespace();
          continue;
        }
        if (*p_ != '}') return false;
        break;
      }
    }
    ++p_;
    --depth_;
    if (keep) {
      // The count first: keep_range empties the stack down to `base`.
      const std::uint32_t n = count(members_, base);
      out = node::make_object(keep_range(members_, base), n);
    }
    return true;
  }

  bool array(const projection* keep, node& out) {
    ++p_;
    if (++depth_ > max_depth_) return false;
    const std::size_t base = items_.size();
    const projection* element = keep ? &keep->element() : nullptr;
    whitespace();
    if (*p_ != ']') {
      for (;;) {
        node v;
        if (!value(element, v)) return false;
        if (keep) items_.push_back(v);
        whitespace();
        if (*p_ == ',') {
          ++p_;
          whitespace();
          continue;
        }
        if (*p_ != ']') return false;
        break;
      }
    }
    ++p_;
    --depth_;
    if (keep) {
      const std::uint32_t n = count(items_, base);
      out = node::make_array(keep_range(items_, base), n);
    }
    return true;
  }

  /// Whether the member key at p_ (its opening quote) is the one the same place of the
  /// last object read with this projection had, followed by `:` as it was: then the
  /// key and what to keep of its value are known without scanning or looking up
  /// (vendors repeat their member order), and p_ moves past the colon.
  bool recall_key(const key_memory& memory, std::uint32_t i, std::string_view& key,
                  const projection*& child) noexcept {
    if (i >= memory.size) return false;
    const recalled_key& k = memory.keys[i];
    // `"key":` compared whole; the bytes between the quotes were checked as a plain
    // string when they were remembered, so the same bytes here are the same key.
    if (static_cast<std::size_t>(end_ - p_) < k.size || !core::same_short(p_, k.text, k.size))
      return false;
    key = {p_ + 1, k.size - 3};
    child = k.child;
    p_ += k.size;
    return true;
  }

  /// Remembers the key just read at member `i` (p_ is past its colon), when it is plain
  /// text in the document directly followed by `":`. A key with escapes lives in the
  /// arena, never right before p_ in the document, so the one comparison tells both.
  void remember_key(key_memory& memory, std::uint32_t i, std::string_view key,
                    const projection* child) noexcept {
    if (i >= key_memory::capacity || i > memory.size || key.data() + key.size() + 2 != p_) return;
    memory.keys[i] = {key.data() - 1, static_cast<std::uint32_t>(key.size() + 3), child};
    if (i == memory.size) ++memory.size;
  }

  template <typename T>
  static std::uint32_t count(const std::vector<T>& stack, std::size_t base) noexcept {
    return static_cast<std::uint32_t>(stack.size() - base);
  }

  /// Moves the entries of `stack` from `base` into the arena.
  template <typename T>
  const T* keep_range(std::vector<T>& stack, std::size_t base) {
    static_assert(alignof(T) <= block_alignment);
    const std::size_t n = stack.size() - base;
    if (n == 0) return nullptr;
    auto* copy = static_cast<T*>(room(n * sizeof(T)));
    std::memcpy(static_cast<void*>(copy), stack.data() + base, n * sizeof(T));
    stack.resize(base);
    return copy;
  }

  /// Room for `bytes` in the arena, taken from blocks of its own: one call of the arena
  /// (a virtual call, its bookkeeping) per block instead of one per kept container. The
  /// blocks double from 512 bytes to 8 KB, so that a small document takes little.
  void* room(std::size_t bytes) {
    bytes = (bytes + block_alignment - 1) & ~(block_alignment - 1);
    if (bytes > static_cast<std::size_t>(block_end_ - block_)) {
      if (bytes > max_block / 4) return arena_.allocate(bytes, block_alignment);
      next_block_ = std::max(next_block_, bytes);
      block_ = static_cast<char*>(arena_.allocate(next_block_, block_alignment));
      block_end_ = block_ + next_block_;
      next_block_ = std::min(next_block_ * 2, max_block);
    }
    void* at = block_;
    block_ += bytes;
    return at;
  }

  /// Advances over plain string content (no quote, backslash, control or non-ASCII byte).
  void plain_run() noexcept {
#ifdef RAPIDJSON_SSE2
    // 16 bytes at a time while they lie inside the text; the tail byte by byte.
    while (end_ - p_ >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      // (The sign bits are the bytes of multi-byte UTF-8.)
      const unsigned mask = json_string_stops(x) | static_cast<unsigned>(_mm_movemask_epi8(x));
      if (mask != 0) {
        p_ += __builtin_ctz(mask);
        return;
      }
      p_ += 16;
    }
#endif
    while (!stops(*p_))
      ++p_;
  }

  /// Advances over the rest of a string's content that mixes ASCII with multi-byte
  /// UTF-8 (Cyrillic words between spaces) up to a quote, backslash or control byte;
  /// false on invalid UTF-8. Text of ASCII and two-byte sequences (Cyrillic, « and »)
  /// goes 16 bytes at a time; whatever else, one sequence at a time.
  bool mixed_run() noexcept {
    for (;;) {
      two_byte_run();
      const auto c = static_cast<unsigned char>(*p_);
      if (c >= 0x80) {
        if (!utf8_sequence()) return false;
      } else if (!stops(static_cast<char>(c))) {
        ++p_;
      } else {
        return true;
      }
    }
  }

  /// Advances over valid content made of plain ASCII bytes and complete two-byte UTF-8
  /// sequences (C2..DF, then 80..BF), stopping at the first byte that is anything else
  /// or is not part of such a sequence: mixed_run() looks at that byte itself.
  void two_byte_run() noexcept {
#ifdef RAPIDJSON_SSE2
    // As signed bytes: continuation bytes 80..BF are -128..-65, leads C2..DF -62..-33.
    const __m128i below_c0 = _mm_set1_epi8(static_cast<char>(0xC0));
    const __m128i above_c1 = _mm_set1_epi8(static_cast<char>(0xC1));
    const __m128i below_e0 = _mm_set1_epi8(static_cast<char>(0xE0));
    const __m128i minus_one = _mm_set1_epi8(-1);
    while (end_ - p_ >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      const __m128i is_continuation = _mm_cmplt_epi8(x, below_c0);
      const __m128i is_lead =
          _mm_and_si128(_mm_cmpgt_epi8(x, above_c1), _mm_cmplt_epi8(x, below_e0));
      const __m128i is_ascii = _mm_cmpgt_epi8(x, minus_one);
      const auto continuation = static_cast<unsigned>(_mm_movemask_epi8(is_continuation));
      const auto lead = static_cast<unsigned>(_mm_movemask_epi8(is_lead));
      const auto known = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(is_ascii, is_continuation), is_lead)));
      // A continuation byte right after each lead, and only there; a lead in the last
      // byte is left for the next block, which sees its continuation.
      const unsigned unpaired =
          (continuation & ~(lead << 1)) | (lead & ~(continuation >> 1) & 0x7FFFu);
      const unsigned bad = json_string_stops(x) | (~known & 0xFFFFu) | unpaired;
      if (bad != 0) {
        p_ += __builtin_ctz(bad);
        return;
      }
      p_ += (lead & 0x8000u) ? 15 : 16;
    }
#endif
  }

  /// Checks the UTF-8 sequence at p_ (its first byte is >= 0x80) and steps over it.
  bool utf8_sequence() noexcept {
    const auto* b = reinterpret_cast<const unsigned char*>(p_);
    auto continuation = [](unsigned char c) { return (c & 0xC0) == 0x80; };
    if (b[0] < 0xC2) return false;
    if (b[0] < 0xE0) {
      if (!continuation(b[1])) return false;
      p_ += 2;
      return true;
    }
    if (b[0] < 0xF0) {
      // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
      const unsigned char lo = b[0] == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = b[0] == 0xED ? 0x9F : 0xBF;
      if (b[1] < lo || b[1] > hi || !continuation(b[2])) return false;
      p_ += 3;
      return true;
    }
    if (b[0] < 0xF5) {
      // No overlong forms (F0 80..8F) and nothing above U+10FFFF (F4 90..).
      const unsigned char lo = b[0] == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = b[0] == 0xF4 ? 0x8F : 0xBF;
      if (b[1] < lo || b[1] > hi || !continuation(b[2]) || !continuation(b[3])) return false;
      p_ += 4;
      return true;
    }
    return false;
  }

  /// Reads a string at the opening quote. Without escapes it is a view of the text.
  bool string(std::string_view& out, bool keep) {
    const char* start = ++p_;
    plain_run();
    if (static_cast<unsigned char>(*p_) >= 0x80 && !mixed_run()) return false;
    const char c = *p_;
    if (c == '"') {
      out = {start, static_cast<std::size_t>(p_ - start)};
      ++p_;
      return true;
    }
    if (c == '\\') return escaped(start, out, keep);
    return false;  // a control byte, or the end of the text
  }

  /// The rest of a string with escapes, unescaped into the arena (the text stays as it
  /// is, for the fallback). Escaped NULs and lone surrogates are left to the fallback.
  bool escaped(const char* start, std::string_view& out, bool keep) {
    std::string& buf = scratch_;
    buf.assign(start, p_);
    for (;;) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        if (keep) out = store(arena_, buf);
        return true;
      }
      if (c == '\\') {
        if (!escape(buf)) return false;
        continue;
      }
      const char* run = p_;
      if (c < 0x20) return false;
      if (c >= 0x80 ? !utf8_sequence() : (plain_run(), false)) return false;
      buf.append(run, p_);
    }
  }

  bool escape(std::string& buf) {
    ++p_;
    const char e = *p_++;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        buf += e;
        return true;
      case 'b':
        buf += '\b';
        return true;
      case 'f':
        buf += '\f';
        return true;
      case 'n':
        buf += '\n';
        return true;
      case 'r':
        buf += '\r';
        return true;
      case 't':
        buf += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    char32_t cp = 0;
    if (!hex4(cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      char32_t low = 0;
      if (p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(buf, cp);
    return true;
  }

  bool hex4(char32_t& cp) noexcept {
    for (int i = 0; i < 4; ++i) {
      const int v = hex_value(*p_);
      if (v < 0) return false;
      cp = cp * 16 + static_cast<char32_t>(v);
      ++p_;
    }
    return true;
  }

  static constexpr std::size_t block_alignment = 16;
  static constexpr std::size_t max_block = 8 * 1024;

  const char* p_;
  const char* const end_;
  std::pmr::memory_resource& arena_;
  char* block_ = nullptr;  ///< the free part of the current block of the arena
  char* block_end_ = nullptr;
  std::size_t next_block_ = 512;
  unsigned max_depth_;
  unsigned depth_ = 0;
  // Reused by each thread: nodes wait here until their container is complete.
  static thread_local std::vector<member> members_;
  static thread_local std::vector<node> items_;
  static thread_local std::string scratch_;
  static thread_local key_recall recall_;
};

thread_local std::vector<member> reader::members_;
thread_local std::vector<node> reader::items_;
thread_local std::string reader::scratch_;
thread_local key_recall reader::recall_;

}  // namespace

bool read_json(const char* data, std::size_t size, std::pmr::memory_resource& arena,
               unsigned max_depth, const projection& keep, node& out) {
  reader r(data, size, arena, max_depth);
  return r.document(keep, out);
}

}  // namespace ordergate::codec
