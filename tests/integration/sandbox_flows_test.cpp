// Flows 1-6 end to end against the sandbox vendors (src/sandbox), which serve the
// recorded Webasyst answers, keep state between calls and validate what the market
// receives as strictly as the real platform. Where flows_test.cpp pins exact bytes on
// hand-made answers, this checks that the flows hold together on real data.

#include "ordergate/sandbox/sandbox.hpp"
#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

namespace ordergate::testing {
namespace {

gateway_options sandbox_vendors() {
  sandbox::settings s;
  s.data_dir = this_build().test_data;
  s.webasyst_token = secret::webasyst_token;
  s.imshop_key = secret::imshop_key;
  s.giftcard_token = secret::giftcard_token;
  s.market_token = secret::market_token;
  gateway_options o;
  o.vendor_fallback = sandbox::make_vendors(s);  // one instance: the four vendors share its state
  return o;
}

struct sandbox_fixture : gateway_fixture {
  sandbox_fixture() : gateway_fixture(this_build(), sandbox_vendors()) {}

  std::optional<http_answer> history(std::string_view contact) {
    return post("/imshop/order-history", R"({"userIdentifier":")" + std::string(contact) + "\"}",
                bearer(secret::imshop_key));
  }
  std::optional<http_answer> cancel(std::string_view id) {
    return post(
        "/imshop/order-cancel",
        R"({"uuid":"u-)" + std::string(id) + R"(","internalId":")" + std::string(id) + "\"}",
        bearer(secret::imshop_key));
  }
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_flows, sandbox_fixture)

BOOST_AUTO_TEST_CASE(history_of_a_contact_with_orders_is_a_valid_imshop_history) {
  const auto answer = history("2");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u, answer->body);
  const auto doc = parse_json(answer->body);
  BOOST_REQUIRE(!doc.HasParseError());
  BOOST_REQUIRE(doc["orders"].IsArray());
  BOOST_TEST(doc["orders"].Size() == 8u);
  BOOST_TEST(!doc.HasMember("nextPage"));
  for (const auto& order : doc["orders"].GetArray()) {
    BOOST_TEST(order["id"].IsString());
    BOOST_TEST(order["createdOn"].IsInt64());
    BOOST_TEST(order["status"].IsString());
    BOOST_TEST(order["price"].IsNumber());
    BOOST_TEST(order["cancellable"].IsBool());
    BOOST_REQUIRE(order["items"].IsArray());
    for (const auto& item : order["items"].GetArray()) {
      BOOST_TEST(item["privateId"].IsString());
      BOOST_TEST(item["name"].IsString());
      BOOST_TEST(item["quantity"].IsNumber());
      BOOST_TEST(item["subtotal"].IsNumber());
    }
  }
}

BOOST_AUTO_TEST_CASE(history_of_a_contact_without_orders_is_empty) {
  const auto answer = history("5");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
}

BOOST_AUTO_TEST_CASE(a_retried_cancel_succeeds_once_more_and_imshop_hears_it_is_deleted) {
  const auto first = cancel("12");
  BOOST_REQUIRE(first);
  BOOST_TEST(canonical_json(first->body) ==
             canonical_json(R"({"success":true,"newStatus":"deleted","newMessage":"Удален"})"));
  // Imshop retries: the order is already deleted, so the same success and no second action
  // (which the shop would refuse).
  const auto again = cancel("12");
  BOOST_REQUIRE(again);
  BOOST_TEST(again->status == 200u);
  BOOST_TEST(canonical_json(again->body) == canonical_json(first->body));
  std::size_t actions = 0;
  for (const auto& call : webasyst.requests())
    actions += call.path() == "/shop/api.php/shop.order.action";
  BOOST_TEST(actions == 1u);

  const auto pushed =
      post("/webasyst/order-status", R"({"id":"12"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(pushed);
  BOOST_TEST(pushed->status == 200u, pushed->body);
  BOOST_TEST(pushed->body.find("\"success\":true") != std::string::npos, pushed->body);
  const auto received = imshop.requests();
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(json_field(received[0].body, "id") == "12");
  BOOST_TEST(json_field(received[0].body, "code") == "deleted");
  BOOST_TEST(json_field(received[0].body, "message") == "Удален");
}

BOOST_AUTO_TEST_CASE(status_of_an_unknown_order_is_a_404) {
  const auto answer =
      post("/webasyst/order-status", R"({"id":"999"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 404u);
  BOOST_TEST(imshop.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_recorded_gift_card_page_is_accepted_by_the_market_as_json_and_as_xml) {
  const std::string page = read_text(paths.test_data / "giftcard" / "orders_page_1.json");
  const std::size_t orders = parse_json(page)["data"].Size();
  for (const char* target : {"/giftcard/market-import", "/giftcard/market-import?format=xml"}) {
    const auto answer = post(target, page, bearer(secret::shop_webhook_key));
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200u, target << ": " << answer->body);
    BOOST_TEST(canonical_json(answer->body) ==
               canonical_json("{\"imported\":" + std::to_string(orders) + "}"));
  }
  const auto stored = round_trip(market.port(), make_request("GET", "/market/_sandbox/orders"));
  BOOST_REQUIRE(stored);
  const auto doc = parse_json(stored->body);
  BOOST_REQUIRE(doc.IsArray());
  BOOST_TEST(doc.Size() ==
             orders);  // upserted by external_id: the XML import replaced the JSON one
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
