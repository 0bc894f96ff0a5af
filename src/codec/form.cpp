#include "ordergate/codec/form.hpp"

#include "codec/key_groups.hpp"
#include "codec/unicode.hpp"
#include "ordergate/codec/tree_writer.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <vector>

namespace ordergate::codec {
namespace {

/// One `key=value` of a body; `offset` is where it starts.
struct field {
  std::string_view key;
  std::string_view value;
  std::size_t offset;
};

/// Percent-decodes `raw` ('+' is a space) into `arena`, refusing bad escapes and
/// anything that is not UTF-8 once decoded.
boost::system::result<std::string_view, decode_error> decode_component(
    std::string_view raw, std::size_t offset, std::string_view what,
    std::pmr::memory_resource& arena) {
  const auto pct = boost::urls::make_pct_string_view(raw);
  if (!pct) {
    return decode_error{"malformed form body at byte " + std::to_string(offset) + ": the " +
                        std::string(what) + " \"" + printable(raw) +
                        "\" has an invalid percent-encoding"};
  }
  const boost::urls::decode_view decoded(*pct, boost::urls::encoding_opts(true));
  if (decoded.empty()) return std::string_view();
  auto* p = static_cast<char*>(arena.allocate(decoded.size(), 1));
  std::copy(decoded.begin(), decoded.end(), p);
  const std::string_view text(p, decoded.size());
  if (find_invalid_utf8(text)) {
    return decode_error{"malformed form body at byte " + std::to_string(offset) + ": the " +
                        std::string(what) + " \"" + printable(raw) +
                        "\" is not valid UTF-8 once decoded"};
  }
  return text;
}

boost::system::result<field, decode_error> decode_field(std::string_view raw, std::size_t offset,
                                                        std::pmr::memory_resource& arena) {
  const std::size_t eq = raw.find('=');
  auto key = decode_component(raw.substr(0, eq), offset, "name", arena);
  if (!key) return key.error();
  if (eq == std::string_view::npos) return field{*key, {}, offset};
  auto value = decode_component(raw.substr(eq + 1), offset + eq + 1, "value", arena);
  if (!value) return value.error();
  return field{*key, *value, offset};
}

}  // namespace

decode_result decode_form(std::string_view text, std::pmr::memory_resource& arena,
                          const decode_limits& limits) {
  if (text.size() > limits.max_bytes) {
    return decode_error{"form body of " + std::to_string(text.size()) +
                        " bytes exceeds the limit of " + std::to_string(limits.max_bytes)};
  }
  // Reused by each thread (a query is decoded on every request): decoding allocates
  // nothing once these have grown. Kept only while small: a form body may be large.
  thread_local std::vector<std::string_view> keys;
  thread_local std::vector<std::string_view> values;
  thread_local key_groups groups;
  thread_local tree_writer tree(*std::pmr::null_memory_resource(), false);
  struct release_large {
    ~release_large() {
      constexpr std::size_t kept_fields = 256;
      if (keys.capacity() > kept_fields) {
        keys = {};
        values = {};
        groups = {};
        tree = tree_writer(*std::pmr::null_memory_resource(), false);
      }
    }
  } release;
  keys.clear();
  values.clear();
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('&', start), text.size());
    if (end > start) {  // "a=1&&b=2" and a trailing '&' carry no field
      auto f = decode_field(text.substr(start, end - start), start, arena);
      if (!f) return f.error();
      keys.push_back(f->key);
      values.push_back(f->value);
    }
    start = end + 1;
  }
  groups.assign(keys);
  tree.reset(arena);  // every string is already in the arena: none is copied
  tree.begin_object();
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    if (!groups.is_first(i)) continue;
    tree.key(keys[i]);
    if (groups.count(i) == 1) {
      tree.string(values[i]);
      continue;
    }
    tree.begin_array();
    for (std::uint32_t j = i; j != key_groups::npos; j = groups.next(j))
      tree.string(values[j]);
    tree.end_array();
  }
  tree.end_object();
  return tree.result();
}

void percent_encode(std::string& out, std::string_view s) {
  boost::urls::encode(s, boost::urls::unreserved_chars, {},
                      boost::urls::string_token::append_to(out));
}

form_writer::form_writer(std::string& out, std::size_t max_bytes)
    : out_(out), max_bytes_(max_bytes) {}

form_writer::~form_writer() = default;

void form_writer::null() {
  scalar({});
}
void form_writer::boolean(bool b) {
  scalar(b ? "true" : "false");
}
void form_writer::number(std::string_view literal) {
  scalar(literal);
}
void form_writer::string(std::string_view s) {
  scalar(s);
}

void form_writer::begin_object() {
  if (failed()) return;
  if (depth_ != 0) {
    fail("form output: the value of \"" + printable(key_) + "\" is an object; forms are flat");
    return;
  }
  depth_ = 1;
}

void form_writer::key(std::string_view k) {
  if (failed()) return;
  if (depth_ != 1 || in_array_) {
    fail("form output: key \"" + printable(k) + "\" outside the top-level object");
    return;
  }
  key_.assign(k);
}

void form_writer::end_object() {
  if (failed()) return;
  if (depth_ != 1 || in_array_) {
    fail("form output: end of an object that was not begun");
    return;
  }
  depth_ = 0;
}

void form_writer::begin_array() {
  if (failed()) return;
  if (depth_ == 0) {
    fail("form output: the top-level value must be an object, not an array");
  } else if (in_array_) {
    fail("form output: the value of \"" + printable(key_) + "\" holds an array in an array");
  } else {
    in_array_ = true;
  }
}

void form_writer::end_array() {
  if (failed()) return;
  if (!in_array_) {
    fail("form output: end of an array that was not begun");
    return;
  }
  in_array_ = false;
}

void form_writer::scalar(std::string_view text) {
  if (failed()) return;
  if (depth_ == 0) {
    fail("form output: the top-level value must be an object");
    return;
  }
  if (!first_) out_ += '&';
  first_ = false;
  percent_encode(out_, key_);
  out_ += '=';
  percent_encode(out_, text);
  if (out_.size() > max_bytes_)
    fail("output exceeds the limit of " + std::to_string(max_bytes_) + " bytes");
}

}  // namespace ordergate::codec
