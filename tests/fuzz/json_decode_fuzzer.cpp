// JSON bytes -> document (codec::decode_json), then the invariants: what decodes
// re-encodes to JSON that decodes to the same text again, in both styles.
#include "fuzz_support.hpp"
#include "ordergate/codec/json.hpp"

#include <memory_resource>

using namespace ordergate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::pmr::monotonic_buffer_resource arena;
  const codec::decode_limits limits{64u << 10, 64};
  // In place, from a string of exactly the input's size (the way request bodies are read).
  std::string text(fuzz::as_text(data, size));
  text.shrink_to_fit();
  const auto doc = codec::decode_json(text, arena, limits);
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
