// JSON bytes -> document (codec::decode_json), then the invariants: what decodes
// re-encodes to JSON that decodes to the same text again, in both styles; and a
// decode that keeps only some paths (a projection, as the routes' answers are read)
// accepts and refuses the same texts, and keeps exactly those paths of the document.
#include "fuzz_support.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/projection.hpp"

#include <memory_resource>

using namespace ordergate;

namespace {

/// Paths like the order history's, and a few short keys that random text hits.
const codec::projection& kept_paths() {
  static const codec::projection keep = [] {
    codec::projection p;
    codec::projection& order = p.member("orders").each();
    for (const char* key : {"id", "total", "state_id", "create_datetime"})
      order.member(key);
    order.member("params").member("tracking_number");
    codec::projection& item = order.member("items").each();
    for (const char* key : {"price", "quantity", "name", "sku_id"})
      item.member(key);
    p.member("count");
    p.member("a").member("b").keep_all();
    codec::projection& each = p.each();
    each.member("a");
    each.member("id");
    each.member("c").each().member("a");
    each.member("d").keep_every_member();
    p.finish();
    return p;
  }();
  return keep;
}

/// The compact JSON of `n` with only what `keep` keeps.
void append_kept(const codec::node& n, const codec::projection& keep, std::string& out) {
  if (keep.all() || (!n.is_object() && !n.is_array())) {
    out += codec::to_json(n);
  } else if (n.is_array()) {
    out += '[';
    for (const codec::node& item : n.items()) {
      if (out.back() != '[') out += ',';
      append_kept(item, keep.element(), out);
    }
    out += ']';
  } else {
    out += '{';
    for (const codec::member& m : n.members()) {
      const codec::projection* child = keep.find(m.key);
      if (!child) continue;
      if (out.back() != '{') out += ',';
      out += codec::to_json(codec::node::make_string(m.key));
      out += ':';
      append_kept(m.value, *child, out);
    }
    out += '}';
  }
}

/// A projected decode agrees with the full one (`full`, or its error).
void check_projected(std::string_view input, const codec::decode_result& full,
                     const codec::decode_limits& limits) {
  std::pmr::monotonic_buffer_resource arena;
  std::string text(input);
  const auto kept = codec::decode_json(text, arena, limits, kept_paths());
  if (!full || !kept) {
    if (static_cast<bool>(full) != static_cast<bool>(kept) ||
        (!full && full.error().message != kept.error().message)) {
      fuzz::broken("a projected decode accepts or refuses differently", input);
    }
    return;
  }
  const std::string got = codec::to_json(*kept);
  std::string expected;
  append_kept(*full, kept_paths(), expected);
  // (Text the fast reader leaves to RapidJSON is decoded whole, projection or not.)
  if (got != expected && got != codec::to_json(*full)) {
    fuzz::broken("a projected decode keeps other paths: " + got + " instead of " + expected, input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::pmr::monotonic_buffer_resource arena;
  const codec::decode_limits limits{64u << 10, 64};
  // In place, from a string of exactly the input's size (the way request bodies are read).
  std::string text(fuzz::as_text(data, size));
  text.shrink_to_fit();
  const auto doc = codec::decode_json(text, arena, limits);
  check_projected(fuzz::as_text(data, size), doc, limits);
  if (!doc) return 0;
  const std::string compact = codec::to_json(*doc);
  const auto again = codec::decode_json_copy(compact, arena, limits);
  if (!again) fuzz::broken("re-encoded JSON does not decode: " + again.error().message, compact);
  if (!codec::equal(*doc, *again)) fuzz::broken("re-encoded JSON decodes differently", compact);
  if (codec::to_json(*again) != compact) fuzz::broken("encoding is not stable", compact);
  const std::string pretty = codec::to_json(*doc, codec::json_style::pretty);
  const auto from_pretty = codec::decode_json_copy(pretty, arena, {1u << 20, 64});
  if (!from_pretty || !codec::equal(*doc, *from_pretty)) {
    fuzz::broken("pretty JSON decodes differently", pretty);
  }
  return 0;
}
