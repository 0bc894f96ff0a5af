// application/x-www-form-urlencoded bytes -> document (codec::decode_form, as form
// bodies and query strings are read), then the invariant: what the form writer makes
// of the document decodes to the same document.
#include "fuzz_support.hpp"
#include "ordergate/codec/form.hpp"

#include <memory_resource>

using namespace ordergate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::pmr::monotonic_buffer_resource arena;
  const codec::decode_limits limits{64u << 10, 64};
  const auto doc = codec::decode_form(fuzz::as_text(data, size), arena, limits);
  if (!doc) return 0;
  const std::string json = codec::to_json(*doc);
  if (!codec::decode_json_copy(json, arena, {1u << 20, 64}))
    fuzz::broken("a form is not JSON", json);
  std::string out;
  codec::form_writer w(out);
  codec::write(w, *doc);
  if (w.failed()) fuzz::broken("the form writer refused a decoded form", codec::to_json(*doc));
  const auto again = codec::decode_form(out, arena, {1u << 20, 64});
  if (!again || !codec::equal(*doc, *again)) {
    fuzz::broken("a written form decodes differently", codec::to_json(*doc) + "\n" + out);
  }
  return 0;
}
