// A mapping file (JSONC text), end to end: loaded with the bundled table library and
// document beside it, and whatever compiles is run: a document on a sample order, a
// route offline on a sample request with every step answered by the sample. Invariants:
// loading never fails without saying where, and a route always answers, with a final
// status and no body where HTTP forbids one.
#include "fuzz_mappings.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/core/file.hpp"
#include "ordergate/mapping/answer_status.hpp"
#include "ordergate/tooling/offline.hpp"

#include <memory_resource>

using namespace ordergate;

namespace {

/// Bundled files every fuzzed file may use: a table library and a document.
const std::vector<mapping::mapping_text>& neighbours() {
  static const std::vector<mapping::mapping_text> files = [] {
    std::vector<mapping::mapping_text> out;
    for (const char* name : {"webasyst-states.jsonc", "giftcard-market-order.jsonc"}) {
      const std::string path = std::string(ORDERGATE_SOURCE_DIR) + "/mappings/" + name;
      auto text = core::read_file(path);
      if (!text) fuzz::broken("cannot read " + path);
      out.push_back({path, std::move(*text)});
    }
    return out;
  }();
  return files;
}

void run_route(std::shared_ptr<const mapping::compiled_route> route) {
  http::request req;
  req.version(11);
  req.method_string(route->method);
  req.target(route->path + "?format=xml&dry_run=false");
  req.set(boost::beast::http::field::host, "ordergate.test");
  req.set(boost::beast::http::field::content_type, "application/json");
  req.set(boost::beast::http::field::authorization, "Bearer " + route->auth.key);
  req.body() = std::string(fuzz::sample_order);
  req.prepare_payload();
  auto caller = std::make_shared<tooling::recording_caller>();
  for (const auto& step : route->steps) {
    tooling::recorded_answer answer;
    answer.body = std::string(fuzz::sample_order);
    answer.headers.set(boost::beast::http::field::content_type, "application/json");
    caller->answers[step.name] = std::move(answer);
  }
  const http::response res = tooling::run_offline(route, std::move(req), caller);
  const unsigned status = res.result_int();
  if (!mapping::answerable_status(status)) {
    fuzz::broken("a route answered status " + std::to_string(status));
  }
  if (!mapping::status_has_body(status) && !res.body().empty()) {
    fuzz::broken("a body with status " + std::to_string(status), res.body());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto files = neighbours();
  files.push_back({"fuzz.jsonc", std::string(fuzz::as_text(data, size))});
  const auto loaded = mapping::load_mapping_texts(std::move(files), fuzz::bundled_environment());
  if (!loaded.mappings) {
    if (loaded.errors.empty()) fuzz::broken("a load failed without an error");
    for (const auto& d : loaded.errors.items()) {
      if (!d.where.file) fuzz::broken("an error without a file: " + d.message);
    }
    return 0;
  }
  static std::pmr::monotonic_buffer_resource input_arena;
  static const codec::node order = *codec::decode_json_copy(fuzz::sample_order, input_arena);
  if (const auto doc = loaded.mappings->documents.find("fuzz");
      doc != loaded.mappings->documents.end()) {
    const auto output = tooling::run_document(*doc->second, order);
    std::pmr::monotonic_buffer_resource arena;
    if (output && !codec::decode_json_copy(*output, arena, {64u << 20, 512})) {
      fuzz::broken("a document rendered something that is not JSON", *output);
    }
  }
  for (const auto& route : loaded.mappings->routes) {
    if (route->name == "fuzz") run_route(route);
  }
  return 0;
}
