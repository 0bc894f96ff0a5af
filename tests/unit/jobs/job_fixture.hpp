#pragma once
// A scripted gift-card platform and market behind an upstream_caller, and the
// bundled giftcard-market job loaded from mappings/ with test configuration.

#include "ordergate/codec/form.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/jobs/job_runner.hpp"
#include "ordergate/mapping/mapping.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/url_view.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ordergate::jobs::testing {

/// One gift-card order of the scripted platform.
struct order {
  std::string id;
  int number = 0;
  std::string status = "Created";
  std::string total = "1000";
};

inline std::vector<order> make_orders(int n, int first_number = 1) {
  std::vector<order> out;
  for (int i = 0; i < n; ++i) {
    const int number = first_number + i;
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", number);
    out.push_back({id, number, "Created", std::to_string(1000 + number)});
  }
  return out;
}

/// Answers the job's calls: gift-card pages from `orders`, market imports recorded.
class fake_vendors final : public pipeline::upstream_caller {
 public:
  std::vector<order> orders;
  std::size_t page_size = 20;
  /// The member holding a page's orders: "data", or "orders" (docs/flows.md, flow 4).
  std::string list_key = "data";
  /// Overrides the reported totalPages for a page number (to make it "grow").
  std::map<unsigned, unsigned> total_pages_on_page;
  /// Pages that fail (HTTP 503) this many times before answering.
  std::map<unsigned, int> page_failures;
  /// Market imports (1-based, counted over the fixture's life) answered with error 1.
  std::set<int> failing_imports;
  /// Every market import received: the external_ids of its orders.
  std::vector<std::vector<std::string>> imports;
  int import_calls = 0;
  int page_calls = 0;

  asio::awaitable<http::upstream_result> call(std::string_view step,
                                              http::upstream_request request) override {
    if (step == "source") co_return page(request);
    co_return market(request);
  }

 private:
  static http::upstream_answer json(unsigned status, std::string body) {
    http::upstream_answer a;
    a.status = status;
    a.headers.set(boost::beast::http::field::content_type, "application/json");
    a.body = std::move(body);
    return a;
  }

  http::upstream_result page(const http::upstream_request& request) {
    ++page_calls;
    unsigned n = 1;
    for (auto p : boost::urls::url_view(request.url).params()) {
      if (p.key == "page") n = static_cast<unsigned>(std::stoul(std::string(p.value)));
    }
    if (auto it = page_failures.find(n); it != page_failures.end() && it->second > 0) {
      --it->second;
      return json(503, R"({"error":"busy"})");
    }
    const unsigned total = static_cast<unsigned>((orders.size() + page_size - 1) / page_size);
    std::string body = "{\"" + list_key + "\":[";
    for (std::size_t i = (n - 1) * page_size; i < orders.size() && i < n * page_size; ++i) {
      const order& o = orders[i];
      if (body.back() == '}') body += ',';
      body += R"({"id":")" + o.id + R"(","number":)" + std::to_string(o.number) +
              R"(,"createdDate":"2020-01-11T16:13:56.814239","status":")" + o.status +
              R"(","participantLogin":"buyer)" + std::to_string(o.number) +
              R"(@example.com","total":)" + o.total + "}";
    }
    const auto override_total = total_pages_on_page.find(n);
    body += R"(],"totalPages":)" +
            std::to_string(override_total != total_pages_on_page.end() ? override_total->second
                                                                       : total) +
            R"(,"currentPage":)" + std::to_string(n) + R"(,"pageSize":)" +
            std::to_string(page_size) + "}";
    return json(200, body);
  }

  http::upstream_result market(const http::upstream_request& request) {
    ++import_calls;
    std::pmr::monotonic_buffer_resource arena;
    auto doc = codec::decode_json_copy(request.body, arena);
    BOOST_REQUIRE(doc);
    if (failing_imports.count(import_calls))
      return json(200, R"({"error":1,"error_text":"Invalid currency"})");
    std::vector<std::string> ids;
    for (const codec::node& o : doc->find("data")->items())
      ids.emplace_back(o.find("external_id")->text());
    imports.push_back(std::move(ids));
    return json(200, R"({"error":0,"error_text":"Successful operation"})");
  }
};

/// A bundled job with configuration pointing nowhere (the fake caller answers).
inline std::shared_ptr<const mapping::compiled_job> bundled_job(
    std::string_view name = "giftcard-market",
    const std::map<std::string, std::string>& extra = {}) {
  const mapping::environment env = [&extra](std::string_view var) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> vars = {
        {"GIFTCARD_URL", "https://giftcard.test"},
        {"GIFTCARD_TOKEN", "g"},
        {"MARKET_URL", "https://market.test"},
        {"MARKET_TOKEN", "m"},
        {"WEBASYST_URL", "https://shop.test"},
        {"WEBASYST_TOKEN", "w"},
        {"IMSHOP_KEY", "k"},
        {"IMSHOP_STATUS_URL", "https://imshop.test/status"},
        {"SHOP_WEBHOOK_KEY", "s"}};
    if (const auto it = extra.find(std::string(var)); it != extra.end()) return it->second;
    const auto it = vars.find(var);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  const auto loaded = mapping::load_folder(std::string(ORDERGATE_SOURCE_DIR) + "/mappings", env);
  BOOST_REQUIRE_MESSAGE(loaded.mappings, "the bundled mappings load");
  for (const auto& job : loaded.mappings->jobs) {
    if (job->name == name) return job;
  }
  BOOST_FAIL("no job " << name);
  return nullptr;
}

/// A fresh state folder per test.
struct state_dir {
  std::filesystem::path path;
  state_dir() {
    path = std::filesystem::temp_directory_path() /
           ("ordergate-job-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path);
  }
  ~state_dir() { std::filesystem::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

/// Runs the job once, synchronously.
inline run_summary run_once(const mapping::compiled_job& job, pipeline::upstream_caller& vendors,
                            const job_settings& settings) {
  asio::io_context ioc;
  run_summary out;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out = co_await run_job(job, vendors, settings); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  ioc.run();
  return out;
}

inline job_settings settings_for(const state_dir& dir) {
  job_settings s;
  s.state_dir = dir.path.string();
  s.backoff = std::chrono::milliseconds(1);
  return s;
}

}  // namespace ordergate::jobs::testing
