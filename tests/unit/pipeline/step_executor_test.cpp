// The URL of an upstream call, as src/pipeline/step_executor.cpp renders it: the step's
// base URL (parsed once per thread while it stays the same text) with the step's query
// added. Each case runs a route offline and reads the URL the recording caller saw.

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate;

namespace {

/// A route that calls GET `url` with `query` (an object template, or null for none).
std::shared_ptr<const mapping::compiled_route> route(std::string_view url, std::string_view query,
                                                     std::string_view path = "/call") {
  std::string text = R"({ "route": { "method": "POST", "path": ")" + std::string(path) +
                     R"(" }, "auth": "none", "steps": [ { "name": "up", "service": "shop",
      "method": "GET", "url": ")" +
                     std::string(url) + "\"";
  if (query != "null") text += ", \"query\": " + std::string(query);
  text += R"( } ], "response": { "status": 200, "body": { "status": "= up.status" } } })";
  std::vector<mapping::mapping_text> files;
  files.push_back({"call.jsonc", text});
  auto loaded =
      mapping::load_mapping_texts(std::move(files), [](std::string_view) { return std::nullopt; });
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  return loaded.mappings->routes.at(0);
}

/// What calling `r` with the request body `body` did: the URL of its call ("" when none
/// was made) and the route's answer.
struct outcome {
  std::string url;
  http::response res;
};

outcome call(const std::shared_ptr<const mapping::compiled_route>& r, std::string_view body) {
  auto caller = std::make_shared<tooling::recording_caller>();
  caller->answers["up"].body = "{}";
  http::request req{boost::beast::http::verb::post, "/call", 11};
  req.set(boost::beast::http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  outcome o;
  o.res = tooling::run_offline(r, std::move(req), caller);
  if (!caller->calls.empty()) o.url = std::string(caller->calls.at(0).request.url.buffer());
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_query_is_added_to_the_base_url_encoded) {
  const auto r = route("http://127.0.0.1:1/api/orders",
                       R"({ "q": "= request.body.q", "page": "= request.body.page" })");
  BOOST_TEST(call(r, R"({"q":"a b&c=d/é#","page":2})").url ==
             "http://127.0.0.1:1/api/orders?q=a%20b%26c%3Dd%2F%C3%A9%23&page=2");
  // The same step again, with other values: the base is the same, the query is new.
  BOOST_TEST(call(r, R"({"q":"x","page":3})").url == "http://127.0.0.1:1/api/orders?q=x&page=3");
}

BOOST_AUTO_TEST_CASE(a_base_with_a_query_of_its_own_keeps_it) {
  const auto r = route("http://127.0.0.1:1/api?token=abc", R"({ "page": "= request.body.page" })");
  BOOST_TEST(call(r, R"({"page":2})").url == "http://127.0.0.1:1/api?token=abc&page=2");
  BOOST_TEST(call(r, R"({"page":5})").url == "http://127.0.0.1:1/api?token=abc&page=5");
}

BOOST_AUTO_TEST_CASE(no_query_leaves_the_base_as_it_is) {
  const auto none = route("http://127.0.0.1:1/api/x", "null");
  BOOST_TEST(call(none, "{}").url == "http://127.0.0.1:1/api/x");
  // A query whose members are all omitted adds nothing either.
  const auto omitted = route("http://127.0.0.1:1/api/y", R"({ "q": "= omit" })");
  BOOST_TEST(call(omitted, "{}").url == "http://127.0.0.1:1/api/y");
}

BOOST_AUTO_TEST_CASE(a_base_that_changes_between_calls_is_parsed_again) {
  const auto r = route("= 'http://127.0.0.1:1/' ++ request.body.shop ++ '/api'",
                       R"({ "page": "= request.body.page" })");
  BOOST_TEST(call(r, R"({"shop":"a","page":1})").url == "http://127.0.0.1:1/a/api?page=1");
  BOOST_TEST(call(r, R"({"shop":"b","page":1})").url == "http://127.0.0.1:1/b/api?page=1");
  BOOST_TEST(call(r, R"({"shop":"b","page":2})").url == "http://127.0.0.1:1/b/api?page=2");
}

BOOST_AUTO_TEST_CASE(steps_of_different_routes_keep_their_own_urls) {
  const auto first = route("http://127.0.0.1:1/first", R"({ "n": "= request.body.n" })");
  const auto second = route("http://127.0.0.1:2/second", R"({ "n": "= request.body.n" })");
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(call(first, R"({"n":1})").url == "http://127.0.0.1:1/first?n=1");
    BOOST_TEST(call(second, R"({"n":2})").url == "http://127.0.0.1:2/second?n=2");
  }
}

BOOST_AUTO_TEST_CASE(a_url_that_is_not_http_fails_the_call_without_naming_it) {
  const auto r = route("= request.body.base", R"({ "page": "= request.body.page" })");
  for (const std::string_view bad : {"ftp://127.0.0.1/x", "not a url", "mailto:a@example.org"}) {
    const outcome o = call(r, R"({"base":")" + std::string(bad) + R"(","page":1})");
    BOOST_TEST(o.url.empty());
    BOOST_TEST(o.res.result_int() == 502u);
    BOOST_TEST(o.res.body().find("the URL of call 'shop' is not a valid http(s) URL") !=
               std::string::npos);
    BOOST_TEST(o.res.body().find(bad) == std::string::npos);
    // A good base right after a bad one is used, not the bad one's leftovers.
    BOOST_TEST(call(r, R"({"base":"https://127.0.0.1:3/ok","page":4})").url ==
               "https://127.0.0.1:3/ok?page=4");
  }
}
