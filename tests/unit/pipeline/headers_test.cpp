// Request and answer headers as mappings read them: objects with lower-case names.

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace ordergate;

namespace {

constexpr std::string_view route_file = R"({
  "route": { "method": "POST", "path": "/echo" },
  "auth": "none",
  "config": { "url": { "env": "ECHO_URL", "type": "url" } },
  "steps": [
    { "name": "up", "service": "echo", "method": "GET", "url": "= config.url ++ '/x'" },
  ],
  "response": {
    "status": 200,
    "body": {
      "shop": "= request.headers['x-shop-name']",
      "missing": "= request.headers['x-none'] ?? 'none'",
      "total": "= up.headers['x-total-count']",
      "type": "= up.headers['content-type']",
    },
  },
})";

/// The route above, loaded from a temporary folder.
std::shared_ptr<const mapping::compiled_route> echo_route() {
  std::string dir = (std::filesystem::temp_directory_path() / "ordergate-headers-XXXXXX").string();
  BOOST_REQUIRE(::mkdtemp(dir.data()) != nullptr);
  std::ofstream(dir + "/echo.jsonc") << route_file;
  auto loaded = mapping::load_folder(dir, [](std::string_view name) -> std::optional<std::string> {
    if (name == "ECHO_URL") return "http://127.0.0.1:1";
    return std::nullopt;
  });
  std::filesystem::remove_all(dir);
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  return loaded.mappings->routes.at(0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(mappings_read_request_and_answer_headers_by_lower_case_name) {
  auto caller = std::make_shared<tooling::recording_caller>();
  tooling::recorded_answer answer;
  answer.headers.set("X-Total-Count", "57");
  answer.headers.set("Content-Type", "application/json");
  answer.body = "{}";
  caller->answers["up"] = std::move(answer);

  http::request req{boost::beast::http::verb::post, "/echo", 11};
  req.set("X-Shop-Name", "Чайная лавка");
  req.set(boost::beast::http::field::content_type, "application/json");
  req.body() = "{}";
  req.prepare_payload();

  const http::response res = tooling::run_offline(echo_route(), std::move(req), caller);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() ==
             R"({"shop":"Чайная лавка","missing":"none","total":"57","type":"application/json"})");
}
