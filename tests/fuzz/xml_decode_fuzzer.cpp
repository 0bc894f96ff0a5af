// XML bytes -> document (codec::decode_xml, as vendor answers are read), then the
// invariants: the document is valid JSON, and XML the writer produces from it decodes.
#include "fuzz_support.hpp"
#include "ordergate/codec/xml.hpp"

#include <memory_resource>

using namespace ordergate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::pmr::monotonic_buffer_resource arena;
  const codec::decode_limits limits{64u << 10, 64};
  codec::xml_decode_options options;
  // Paths the bundled mappings declare as arrays, so that code path runs too.
  options.always_array = {"response.orders.order", "response.items.item", "order.items.item"};
  const auto doc = codec::decode_xml(fuzz::as_text(data, size), arena, limits, options);
  if (!doc) return 0;
  const std::string json = codec::to_json(*doc);
  const auto as_json = codec::decode_json_copy(json, arena, {1u << 20, 128});
  if (!as_json || !codec::equal(*doc, *as_json)) fuzz::broken("decoded XML is not JSON", json);
  if (doc->type() != codec::kind::object) return 0;
  // The writer either refuses a document (names XML cannot carry...) or writes XML.
  for (const auto style : {codec::xml_array_style::repeat, codec::xml_array_style::wrap}) {
    std::string out;
    codec::xml_encode_options encode;
    encode.arrays = style;
    codec::xml_writer w(out, encode);
    codec::write(w, *doc);
    if (w.failed()) continue;
    const auto reread = codec::decode_xml(out, arena, {1u << 20, 256});
    if (!reread) fuzz::broken("the XML writer wrote XML that does not decode", out);
  }
  return 0;
}
