// A mapping expression, end to end: parsed, compiled (names resolved, constants
// folded) and evaluated on a sample order, as the output of a document mapping. The
// names the bundled mappings use (order, item, request.body, search.body, config...)
// exist, so that expressions taken from them compile. Invariant: a successful
// evaluation renders valid JSON.
#include "fuzz_mappings.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/tooling/offline.hpp"

#include <memory_resource>

using namespace ordergate;

namespace {

// The expression goes where EXPRESSION stands, as a JSON string.
constexpr std::string_view file_before = R"({
  "document": {"input": "order"},
  "config": {
    "shop_timezone": {"env": "WEBASYST_TIMEZONE", "default": "Europe/Moscow", "type": "timezone"},
    "tracking_url_template": {"env": "TRACKING_URL_TEMPLATE",
                              "default": "https://track.example/?id={tracking_number}"},
    "page_size": {"env": "PAGE_SIZE", "type": "integer", "default": 20}
  },
  "tables": {"states": {"new": "New", "paid": "Paid"}, "codes": {"1": 1, "2": true}},
  "let": {
    "item": "= order.items[0]",
    "request": "= {body: order, query: {page: '2', format: 'xml'}, headers: {'x-request-id': 'r1'}}",
    "search": "= {status: 200, body: {orders: [order], count: 1}, headers: {}}"
  },
  "output": {"value": )";
constexpr std::string_view file_after = "}\n}\n";

std::string json_string(std::string_view s) {
  std::string out;
  codec::json_writer w(out);
  w.string(s);
  return out;
}

/// The document mapping whose output is `expression`, or null when it does not load.
std::shared_ptr<const mapping::compiled_document> compile(std::string_view expression) {
  std::string file;
  file.append(file_before).append(json_string("= " + std::string(expression))).append(file_after);
  const auto loaded =
      mapping::load_mapping_texts({{"fuzz.jsonc", std::move(file)}}, fuzz::bundled_environment());
  if (!loaded.mappings) return nullptr;  // a parse or compile error, with its position
  const auto it = loaded.mappings->documents.find("fuzz");
  if (it == loaded.mappings->documents.end()) fuzz::broken("the document did not load");
  return it->second;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::pmr::monotonic_buffer_resource input_arena;
  static const codec::node order = *codec::decode_json_copy(fuzz::sample_order, input_arena);
  // Without this the target would only ever see load errors.
  static const bool template_loads = compile("item.price") != nullptr;
  if (!template_loads) fuzz::broken("the expression's document template does not load");
  const auto doc = compile(fuzz::as_text(data, size));
  if (!doc) return 0;
  const auto output = tooling::run_document(*doc, order);
  if (!output) return 0;  // an evaluation error (422 and friends)
  std::pmr::monotonic_buffer_resource arena;
  if (!codec::decode_json_copy(*output, arena, {64u << 20, 512})) {
    fuzz::broken("the rendered document is not JSON", *output);
  }
  return 0;
}
