// Translation speed of whole routes, in process: the inbound request is decoded and
// validated, the upstream request rendered, the recorded upstream answer decoded,
// mapped and the answer serialized, exactly as `ordergate serve` runs a route; only
// the socket is replaced by a caller that answers from memory.
//
//   bench_translate --benchmark_counters_tabular=true
//
// Counters: bytes_per_second counts the document being translated (the Webasyst
// answer for the history, the gift-card page for the import); allocs/doc is every
// heap allocation of the process per request, divided by iterations.

#include "alloc_counter.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/core/file.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/pipeline/route_handler.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory_resource>

namespace {

namespace asio = boost::asio;
namespace http = ordergate::http;
namespace mapping = ordergate::mapping;
namespace pipeline = ordergate::pipeline;

const std::string source_dir = ORDERGATE_SOURCE_DIR;

std::string read_file(const std::string& path) {
  auto text = ordergate::core::read_file(path);
  if (!text) throw std::runtime_error("cannot read " + path);
  return std::move(*text);
}

const std::map<std::string, std::string, std::less<>> bench_env = {
    {"WEBASYST_URL", "http://127.0.0.1:1/shop"}, {"WEBASYST_TOKEN", "bench-webasyst-token"},
    {"IMSHOP_KEY", "bench-imshop-key"},          {"IMSHOP_URL", "http://127.0.0.1:1/imshop"},
    {"MARKET_URL", "http://127.0.0.1:1/market"}, {"MARKET_TOKEN", "bench-market-token"},
    {"SHOP_WEBHOOK_KEY", "bench-shop-key"},      {"GIFTCARD_URL", "http://127.0.0.1:1/giftcard"},
    {"GIFTCARD_TOKEN", "bench-giftcard-token"},
};

/// The bundled mappings, loaded once.
const mapping::mapping_set& bundled() {
  static const std::shared_ptr<const mapping::mapping_set> set = [] {
    auto loaded = mapping::load_folder(source_dir + "/mappings", [](std::string_view name) {
      const auto it = bench_env.find(name);
      return it == bench_env.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
    if (!loaded.mappings)
      throw std::runtime_error("the bundled mappings do not load: run `ordergate check`");
    return loaded.mappings;
  }();
  return *set;
}

std::shared_ptr<const mapping::compiled_route> route_named(std::string_view name) {
  for (const auto& r : bundled().routes) {
    if (r->name == name) return r;
  }
  throw std::runtime_error("no route " + std::string(name));
}

/// Answers every call with one recorded document. In `ordergate serve` an answer's body
/// is decoded where the kernel put it, with no copy in user space; here every call is
/// lent the same bytes, which the fast JSON reader never writes to (body_intact() checks
/// that the run left them as they were).
class memory_caller final : public pipeline::upstream_caller {
 public:
  memory_caller(std::string body, std::string content_type)
      : body_(std::move(body)), original_(body_), content_type_(std::move(content_type)) {}

  asio::awaitable<http::upstream_result> call(std::string_view,
                                              http::upstream_request request) override {
    last_request_bytes = request.body.size();
    http::upstream_answer answer;
    answer.status = 200;
    answer.headers.set(boost::beast::http::field::content_type, content_type_);
    answer.body = http::answer_body::borrow(body_.data(), body_.size());
    co_return answer;
  }

  bool body_intact() const { return body_ == original_; }

  std::size_t last_request_bytes = 0;

 private:
  std::string body_;      ///< lent to every call (NUL-terminated, as std::string is)
  std::string original_;  ///< what body_ must still hold at the end
  std::string content_type_;
};

/// BENCH_ITERATIONS=N fixes the iteration count, so that two callgrind runs (N and 2N)
/// give the instructions of one document by difference.
void fixed_iterations(benchmark::internal::Benchmark* b) {
  if (const char* n = std::getenv("BENCH_ITERATIONS")) b->Iterations(std::atoi(n));
}

/// Runs `route` once per iteration on one io_context, as a server thread would.
void run_route(benchmark::State& state, const std::string& route_name,
               const http::request& prototype, std::shared_ptr<memory_caller> caller,
               std::size_t document_bytes) {
  auto handler = std::make_shared<pipeline::route_handler>(route_named(route_name), caller);
  asio::io_context ioc;
  std::size_t answer_bytes = 0;
  unsigned status = 0;
  const auto one = [&] {
    http::request req = prototype;
    http::exchange ex;
    ex.request_id = "bench";
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
          const http::response res = co_await handler->handle(req, ex);
          status = res.result_int();
          answer_bytes = res.body().size();
        },
        asio::detached);
    ioc.restart();
    ioc.run();
  };
  one();
  if (status != 200) {
    state.SkipWithError(("the route answered " + std::to_string(status)).c_str());
    return;
  }
  const std::uint64_t allocs_before = ordergate::bench::allocations();
  for (auto _ : state)
    one();
  if (!caller->body_intact()) {
    state.SkipWithError("decoding wrote into the recorded answer: the runs did not all read it");
    return;
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document_bytes));
  state.counters["doc_bytes"] = static_cast<double>(document_bytes);
  state.counters["out_bytes"] = static_cast<double>(
      route_name == "giftcard-market-import" ? caller->last_request_bytes : answer_bytes);
  state.counters["allocs/doc"] =
      static_cast<double>(ordergate::bench::allocations() - allocs_before) / iterations;
}

http::request json_post(std::string target, std::string body, std::string bearer) {
  http::request req{http::verb::post, target, 11};
  req.set(boost::beast::http::field::host, "gateway");
  req.set(boost::beast::http::field::content_type, "application/json");
  req.set(boost::beast::http::field::authorization, "Bearer " + bearer);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

/// Flow 1: a Webasyst search answer of 20 orders x 3 items -> Imshop order history.
void BM_order_history(benchmark::State& state) {
  std::string answer = read_file(source_dir + "/bench/data/webasyst_search_20x3.json");
  const std::size_t bytes = answer.size();
  auto caller =
      std::make_shared<memory_caller>(std::move(answer), "application/json; charset=utf-8");
  run_route(
      state, "imshop-order-history",
      json_post("/imshop/order-history", R"({"userIdentifier":"2","page":1})", "bench-imshop-key"),
      caller, bytes);
}
BENCHMARK(BM_order_history)->Unit(benchmark::kMicrosecond)->Apply(fixed_iterations);

/// Flow 4: a gift-card page of 20 orders -> the market's XML import (and JSON).
void market_import(benchmark::State& state, const char* format) {
  std::string page = read_file(source_dir + "/tests/data/giftcard/orders_page_1.json");
  const std::size_t bytes = page.size();
  auto caller = std::make_shared<memory_caller>(R"({"error":0,"imported":20})", "application/json");
  run_route(state, "giftcard-market-import",
            json_post(std::string("/giftcard/market-import?format=") + format, std::move(page),
                      "bench-shop-key"),
            caller, bytes);
}
void BM_market_import_xml(benchmark::State& state) {
  market_import(state, "xml");
}
void BM_market_import_json(benchmark::State& state) {
  market_import(state, "json");
}
BENCHMARK(BM_market_import_xml)->Unit(benchmark::kMicrosecond)->Apply(fixed_iterations);
BENCHMARK(BM_market_import_json)->Unit(benchmark::kMicrosecond)->Apply(fixed_iterations);

/// The JSON codec alone on the history's input, to tell parsing from mapping.
void BM_decode_search_answer(benchmark::State& state) {
  const std::string answer = read_file(source_dir + "/bench/data/webasyst_search_20x3.json");
  std::string text;
  for (auto _ : state) {
    text = answer;
    std::pmr::monotonic_buffer_resource arena;
    auto doc = ordergate::codec::decode_json(text, arena);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * answer.size()));
}
BENCHMARK(BM_decode_search_answer)->Unit(benchmark::kMicrosecond)->Apply(fixed_iterations);

}  // namespace

BENCHMARK_MAIN();
