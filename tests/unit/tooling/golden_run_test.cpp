// run: a checked case on mappings loaded from memory, as the playground runs it.

#include "ordergate/tooling/golden.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate;
using namespace ordergate::tooling::golden;

namespace {

constexpr std::string_view route_file = R"mapping({
  "route": { "method": "POST", "path": "/price" },
  "auth": "none",
  "config": { "url": { "env": "SHOP_URL", "type": "url" } },
  "steps": [ { "name": "item", "service": "shop", "method": "GET", "url": "= config.url ++ '/item'" } ],
  "response": { "status": 200, "body": { "price": "= number(item.body.price) * 2" } },
})mapping";

constexpr std::string_view document_file = R"mapping({
  "document": { "input": "order" },
  "output": { "total": "= number(order.total)"
}
,
})mapping";

std::shared_ptr<const mapping::mapping_set> load(const checked_case& c) {
  auto loaded = mapping::load_mapping_texts(
      {{"/m/price.jsonc", std::string(route_file)}, {"/m/order.jsonc", std::string(document_file)}},
      case_environment({}, c));
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  return loaded.mappings;
}

checked_case parsed(std::string_view text) {
  auto c = parse_case(text, {});
  if (!c) {
    for (const auto& p : c.error())
      BOOST_TEST_MESSAGE(p.to_string());
  }
  BOOST_REQUIRE(c);
  return std::move(*c);
}

constexpr std::string_view price_case = R"({
  "env": { "SHOP_URL": "https://shop.example" },
  "request": { "body": {} },
  "upstream": { "item": { "body": { "price": "10.5" } } },
  "expect": {
    "calls": { "item": { "method": "GET", "url": "https://shop.example/item" } },
    "response": { "status": 200, "body": { "price": 21 } },
  },
})";

}  // namespace

BOOST_AUTO_TEST_CASE(a_route_case_records_every_call_and_the_answer) {
  const checked_case c = parsed(price_case);
  const auto result = run(*load(c), "price", c, {});
  BOOST_REQUIRE(result);
  BOOST_TEST(result->passed());
  BOOST_REQUIRE(result->calls.size() == 1u);
  BOOST_TEST(result->calls[0].step == "item");
  BOOST_TEST(std::string(result->calls[0].request.url.buffer()) == "https://shop.example/item");
  BOOST_REQUIRE(result->answer);
  BOOST_TEST(result->answer->body() == R"({"price":21})");
}

BOOST_AUTO_TEST_CASE(a_difference_is_reported_with_its_path) {
  std::string text(price_case);
  text.replace(text.find("\"price\": 21"), 11, "\"price\": 22");
  const checked_case c = parsed(text);
  const auto result = run(*load(c), "price", c, {});
  BOOST_REQUIRE(result);
  BOOST_TEST(!result->passed());
  BOOST_REQUIRE(result->found.size() == 1u);
  BOOST_TEST(result->found[0] == "response body.price:\n    - expected 22\n    + actual   21");
}

BOOST_AUTO_TEST_CASE(a_call_without_an_answer_fails_the_case) {
  const checked_case c = parsed(R"({"env": {"SHOP_URL": "https://s.example"}, "request": {},
                                    "expect": {}})");
  const auto result = run(*load(c), "price", c, {});
  BOOST_REQUIRE(result);
  BOOST_TEST(result->unanswered.at(0) == "item");
  BOOST_TEST(result->found.at(0) ==
             "step 'item' was called but the case gives no upstream answer for it");
}

BOOST_AUTO_TEST_CASE(a_document_case_runs_on_the_exact_input_text) {
  const checked_case c =
      parsed(R"({"input_text": "{\"total\": 2200.00}", "expect": {"output": {"total": 2200}}})");
  const auto result = run(*load(c), "order", c, {});
  BOOST_REQUIRE(result);
  BOOST_TEST(result->found.empty());
  BOOST_REQUIRE(result->output);
  BOOST_TEST(*result->output == R"({"total":2200})");
}

BOOST_AUTO_TEST_CASE(a_case_of_the_wrong_kind_or_mapping_is_a_problem) {
  const checked_case route_case = parsed(price_case);
  const checked_case document_case = parsed(R"({"input": {}, "expect": {"output": {}}})");
  const auto set = load(route_case);
  BOOST_TEST(run(*set, "order", route_case, {}).error().at(0).to_string() ==
             "request: 'order' is a document mapping: its cases give an input");
  BOOST_TEST(run(*set, "price", document_case, {}).error().at(0).to_string() ==
             "input: 'price' is a route: its cases give a request");
  BOOST_TEST(run(*set, "nothing", route_case, {}).error().at(0).to_string() ==
             "no route or document mapping named 'nothing'");
}

BOOST_AUTO_TEST_CASE(the_case_env_overrides_the_defaults) {
  const checked_case c = parsed(R"({"env": {"A": "case"}, "input": {}, "expect": {"output": {}}})");
  case_defaults d;
  d.env = {{"A", "defaults"}, {"B", "defaults"}};
  const auto env = case_environment(d, c);
  BOOST_TEST(*env("A") == "case");
  BOOST_TEST(*env("B") == "defaults");
  BOOST_TEST(!env("PATH"));
}
