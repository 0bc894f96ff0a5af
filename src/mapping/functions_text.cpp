// Text: html_unescape, url_encode, digits, lower, upper, trim, replace,
// starts_with, ends_with, split, length, substring, fill, fill_url.

#include "mapping/builtins.hpp"
#include "ordergate/codec/form.hpp"
#include "ordergate/core/utf8.hpp"

#include <array>
#include <cstring>

namespace ordergate::mapping {
namespace {

/// The argument as text: strings, and numbers in shortest form.
std::optional<std::string_view> text_arg(const call_env& env, std::uint32_t i,
                                         std::string& scratch) {
  const value& v = env.args[i];
  if (v.type() == vtype::string) return v.as_string();
  if (const auto d = numeric(v)) {
    char buf[48];
    scratch.assign(buf, d->format(buf));
    return std::string_view(scratch);
  }
  env.fail("expected a string, got " + describe(v), static_cast<int>(i));
  return std::nullopt;
}

struct entity {
  std::string_view name;
  std::uint32_t code_point;
};

// What PHP's htmlspecialchars writes, plus the named entities shops commonly store.
constexpr entity named_entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},     {"laquo", 0xAB},   {"raquo", 0xBB},   {"ndash", 0x2013}, {"mdash", 0x2014},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"bdquo", 0x201E},  {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"euro", 0x20AC},
    {"deg", 0xB0},      {"times", 0xD7},   {"bull", 0x2022},  {"middot", 0xB7},  {"numero", 0x2116},
};

/// A name of at most 7 bytes as one number (its bytes in order, its length in the top
/// byte), so that looking a name up compares numbers instead of calling memcmp for each
/// candidate.
constexpr std::uint64_t packed_name(std::string_view name) noexcept {
  std::uint64_t key = static_cast<std::uint64_t>(name.size()) << 56;
  for (std::size_t i = 0; i < name.size(); ++i)
    key |= static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])) << (8 * i);
  return key;
}

constexpr std::size_t longest_entity_name = 7;

constexpr auto packed_entities = [] {
  std::array<std::uint64_t, std::size(named_entities)> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (named_entities[i].name.size() > longest_entity_name) throw "entity name too long";
    keys[i] = packed_name(named_entities[i].name);
  }
  return keys;
}();

/// The code point a named entity stands for (`name` is the text between '&' and ';'),
/// or 0 for a name it does not know.
std::uint32_t named_entity(std::string_view name) noexcept {
  if (name.size() > longest_entity_name) return 0;
  const std::uint64_t key = packed_name(name);
  for (std::size_t i = 0; i < packed_entities.size(); ++i) {
    if (packed_entities[i] == key) return named_entities[i].code_point;
  }
  return 0;
}

/// The code point of a numeric entity's digits ("#38", "#x26"), or 0 when they are not
/// a Unicode scalar value (NUL and surrogates included).
std::uint32_t numeric_entity(std::string_view body) noexcept {
  const bool hex = body[1] == 'x' || body[1] == 'X';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return 0;
  std::uint32_t cp = 0;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return 0;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    if (cp > 0x10FFFF) return 0;
  }
  return cp >= 0xD800 && cp <= 0xDFFF ? 0 : cp;
}

/// Decodes the entity starting at s[i] == '&' into `out` (room for 4 bytes); returns
/// the bytes of `s` it stands for, or 0 when there is none (the '&' is text), and sets
/// `written` to the bytes of UTF-8 it wrote.
std::size_t decode_entity(std::string_view s, std::size_t i, char* out,
                          std::size_t& written) noexcept {
  // A name or number of more than 11 bytes is not taken for an entity: look no further
  // for its ';' (a long text of '&' without ';' stays linear).
  // (A loop, not find(): the few bytes cost less than a call to memchr.)
  const std::string_view rest = s.substr(i + 1, 12);
  std::size_t semi = 0;
  while (semi < rest.size() && rest[semi] != ';')
    ++semi;
  if (semi == rest.size() || semi == 0) return 0;
  const std::string_view body = s.substr(i + 1, semi);
  const std::uint32_t cp =
      body.size() >= 2 && body[0] == '#' ? numeric_entity(body) : named_entity(body);
  if (cp == 0) return 0;
  written = core::encode_utf8(cp, out);
  return semi + 2;
}

value fn_html_unescape(const call_env& env) {
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  std::size_t amp = s->find('&');
  if (amp == std::string_view::npos)
    return env.args[0].type() == vtype::string ? env.args[0] : value::string(env.keep(*s));
  // Decoding never lengthens the text: every entity is at least as long as its UTF-8
  // ("&lt;" 4 bytes for 1, "&euro;" 6 for 3, "&#65536;" 8 for 4), so the result is
  // written straight into the arena, in room the size of the input.
  char* const out = static_cast<char*>(env.frame.arena().allocate(s->size(), 1));
  char* w = out;
  std::size_t i = 0;
  for (; amp != std::string_view::npos; amp = s->find('&', i)) {
    std::memcpy(w, s->data() + i, amp - i);
    w += amp - i;
    std::size_t written = 0;
    if (const std::size_t used = decode_entity(*s, amp, w, written); used != 0) {
      w += written;
      i = amp + used;
    } else {
      *w++ = '&';
      i = amp + 1;
    }
  }
  std::memcpy(w, s->data() + i, s->size() - i);
  w += s->size() - i;
  return value::string(std::string_view(out, static_cast<std::size_t>(w - out)));
}

value fn_url_encode(const call_env& env) {
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  std::string out;
  codec::percent_encode(out, *s);
  return value::string(env.keep(out));
}

value fn_digits(const call_env& env) {
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  std::string out;
  for (char c : *s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return value::string(env.keep(out));
}

value change_case(const call_env& env, bool upper) {
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  std::string out(*s);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return value::string(env.keep(out));
}

value fn_lower(const call_env& env) {
  return change_case(env, false);
}
value fn_upper(const call_env& env) {
  return change_case(env, true);
}

value fn_trim(const call_env& env) {
  std::string scratch;
  auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  std::string_view t = *s;
  while (!t.empty() && std::strchr(" \t\r\n", t.front()))
    t.remove_prefix(1);
  while (!t.empty() && std::strchr(" \t\r\n", t.back()))
    t.remove_suffix(1);
  return value::string(env.keep(t));
}

value fn_replace(const call_env& env) {
  std::string a, b, c;
  const auto s = text_arg(env, 0, a);
  const auto from = s ? text_arg(env, 1, b) : std::nullopt;
  const auto to = from ? text_arg(env, 2, c) : std::nullopt;
  if (!to) return {};
  if (from->empty()) return env.fail("the text to replace is empty", 1);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t hit; (hit = s->find(*from, pos)) != std::string_view::npos;
       pos = hit + from->size()) {
    out.append(*s, pos, hit - pos);
    out += *to;
  }
  out.append(*s, pos);
  return value::string(env.keep(out));
}

value affix(const call_env& env, bool prefix) {
  std::string a, b;
  const auto s = text_arg(env, 0, a);
  const auto x = s ? text_arg(env, 1, b) : std::nullopt;
  if (!x) return {};
  if (x->size() > s->size()) return value::boolean(false);
  return value::boolean(prefix ? s->substr(0, x->size()) == *x
                               : s->substr(s->size() - x->size()) == *x);
}

value fn_starts_with(const call_env& env) {
  return affix(env, true);
}
value fn_ends_with(const call_env& env) {
  return affix(env, false);
}

value fn_split(const call_env& env) {
  std::string a, b;
  const auto s = text_arg(env, 0, a);
  const auto sep = s ? text_arg(env, 1, b) : std::nullopt;
  if (!sep) return {};
  if (sep->empty()) return env.fail("the separator is empty", 1);
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  for (std::size_t hit; (hit = s->find(*sep, pos)) != std::string_view::npos;
       pos = hit + sep->size()) {
    parts.push_back(s->substr(pos, hit - pos));
  }
  parts.push_back(s->substr(pos));
  value* items = allocate_values(env.frame.arena(), parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i)
    items[i] = value::string(env.keep(parts[i]));
  return value::array(items, static_cast<std::uint32_t>(parts.size()));
}

/// Byte offset of the `chars`-th character.
std::size_t utf8_offset(std::string_view s, std::size_t chars) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == chars) return i;
      ++seen;
    }
  }
  return s.size();
}

value fn_length(const call_env& env) {
  const value& v = env.args[0];
  if (v.type() == vtype::array || v.type() == vtype::object)
    return value::number(decimal::from_int(v.size()));
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  return value::number(decimal::from_int(static_cast<std::int64_t>(core::utf8_length(*s))));
}

value fn_substring(const call_env& env) {
  std::string scratch;
  const auto s = text_arg(env, 0, scratch);
  if (!s) return {};
  auto int_arg = [&](std::uint32_t i) -> std::optional<std::int64_t> {
    const auto d = numeric(env.args[i]);
    const auto n = d ? d->to_int64() : std::nullopt;
    if (!n || *n < 0)
      env.fail("expected a non-negative integer, got " + describe(env.args[i]),
               static_cast<int>(i));
    return n && *n >= 0 ? n : std::nullopt;
  };
  const auto start = int_arg(1);
  if (!start) return {};
  const std::size_t from = utf8_offset(*s, static_cast<std::size_t>(*start));
  std::size_t to = s->size();
  if (env.argc > 2) {
    const auto len = int_arg(2);
    if (!len) return {};
    to = from + utf8_offset(s->substr(from), static_cast<std::size_t>(*len));
  }
  return value::string(env.keep(s->substr(from, to - from)));
}

/// Replaces each {name} of the template with values.name, percent-encoded or not.
value fill_template(const call_env& env, bool encode) {
  std::string scratch;
  const auto tmpl = text_arg(env, 0, scratch);
  if (!tmpl) return {};
  const value& values = env.args[1];
  if (values.type() != vtype::object)
    return env.fail("expected an object of values, got " + describe(values), 1);
  // Reused by each thread: no allocation per call once it has grown.
  thread_local std::string out;
  out.clear();
  std::size_t pos = 0;
  while (pos < tmpl->size()) {
    const std::size_t open = tmpl->find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : tmpl->find('}', open);
    if (close == std::string_view::npos) break;
    out.append(*tmpl, pos, open - pos);
    const std::string_view name = tmpl->substr(open + 1, close - open - 1);
    const value v = values.member(name);
    char digits[48];
    std::string_view piece;
    if (v.type() == vtype::string) {
      piece = v.as_string();
    } else if (const auto d = numeric(v)) {
      piece = {digits, d->format(digits)};
    } else {
      return env.fail(
          "no text for {" + std::string(name) + "} in the template (got " + describe(v) + ")", 1);
    }
    if (encode) {
      codec::percent_encode(out, piece);
    } else {
      out += piece;
    }
    pos = close + 1;
  }
  out.append(*tmpl, pos);
  return value::string(env.keep(out));
}

value fn_fill(const call_env& env) {
  return fill_template(env, false);
}
value fn_fill_url(const call_env& env) {
  return fill_template(env, true);
}

constexpr param S = param::string;
constexpr param N = param::number;
constexpr param A = param::any;

const builtin table[] = {
    {"html_unescape", 1, 1, {S}, static_type::string, true, fn_html_unescape},
    {"url_encode", 1, 1, {S}, static_type::string, true, fn_url_encode},
    {"digits", 1, 1, {S}, static_type::string, true, fn_digits},
    {"lower", 1, 1, {S}, static_type::string, true, fn_lower},
    {"upper", 1, 1, {S}, static_type::string, true, fn_upper},
    {"trim", 1, 1, {S}, static_type::string, true, fn_trim},
    {"replace", 3, 3, {S, S, S}, static_type::string, true, fn_replace},
    {"starts_with", 2, 2, {S, S}, static_type::boolean, true, fn_starts_with},
    {"ends_with", 2, 2, {S, S}, static_type::boolean, true, fn_ends_with},
    {"split", 2, 2, {S, S}, static_type::array, true, fn_split},
    {"length", 1, 1, {A}, static_type::number, true, fn_length},
    {"substring", 2, 3, {S, N, N}, static_type::string, true, fn_substring},
    {"fill", 2, 2, {S, A}, static_type::string, true, fn_fill},
    {"fill_url", 2, 2, {S, A}, static_type::string, true, fn_fill_url},
};

}  // namespace

std::span<const builtin> text_builtins() noexcept {
  return table;
}

}  // namespace ordergate::mapping
