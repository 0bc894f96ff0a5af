// Flows 3 and 4 of docs/flows.md (Webasyst status pushed to Imshop, gift-card orders
// imported into the market as JSON or XML) through the real gateway: what the client
// gets back, and exactly what the fake vendors received.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

struct flows_fixture : gateway_fixture {
  flows_fixture() : gateway_fixture(this_build()) {}
};

constexpr std::string_view order_5_info = R"({"id":"5","contact_id":"2","state_id":"shipped",
  "create_datetime":"2024-03-10 15:30:00","total":"1000.0000",
  "params":{"tracking_number":"10 20/30","shipping_address.city":"Москва"},
  "contact":{"id":"2","name":"Иван","email":"ivan@example.com","phone":"+7 (912) 345-67-89"},
  "items":{"41":{"id":"41","product_id":"7","name":"Чай","price":"1000.0000","quantity":"1.000"}}})";

constexpr std::string_view imshop_answer =
    R"({"success":true,"internalId":"5","uuid":"5c2f0000-0000-5000-8000-000000000005","newStatus":"shipped","imshopStatus":"dispatched","message":"ok"})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(order_status, flows_fixture)

BOOST_AUTO_TEST_CASE(status_is_read_from_getinfo_and_pushed_to_imshop) {
  webasyst.set_script(always(vendor_reply::json(200, std::string(order_5_info))));
  imshop.set_script(always(vendor_reply::json(200, std::string(imshop_answer))));
  const auto answer = post("/webasyst/order-status", R"({"id":"5"})",
                           with_request_id(bearer(secret::shop_webhook_key), "status-req-3"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(imshop_answer));

  const auto info = webasyst.requests();
  BOOST_REQUIRE_EQUAL(info.size(), 1u);
  BOOST_TEST(info[0].method == "GET");
  BOOST_TEST(info[0].path() == "/shop/api.php/shop.order.getInfo");
  BOOST_TEST(to_text(decode_form(info[0].query())) == "id=5\n");
  BOOST_TEST(info[0].header("Authorization") == "Bearer " + std::string(secret::webasyst_token));
  BOOST_TEST(info[0].header("X-Request-Id") == "status-req-3");

  const auto pushed = imshop.requests();
  BOOST_REQUIRE_EQUAL(pushed.size(), 1u);
  BOOST_TEST(pushed[0].method == "POST");
  BOOST_TEST(pushed[0].path() == "/imshop/status");
  BOOST_TEST(pushed[0].header("Authorization") == "Bearer " + std::string(secret::imshop_key));
  BOOST_TEST(pushed[0].header("Content-Type").find("application/json") == 0u);
  BOOST_TEST(pushed[0].header("X-Request-Id") == "status-req-3");
  BOOST_TEST(canonical_json(pushed[0].body) ==
             canonical_json(R"({"id":"5","code":"shipped","message":"Отправлен",
                 "trackingUrl":"https://www.cdek.ru/ru/tracking?order_id=10%2020%2F30","userId":"2"})"));
}

BOOST_AUTO_TEST_CASE(no_tracking_number_and_a_guest_contact_leave_them_out) {
  webasyst.set_script(always(vendor_reply::json(
      200,
      R"({"id":"8","state_id":"new","params":[],"contact":{"name":"Гость","phone":""},"items":[]})")));
  imshop.set_script(always(vendor_reply::json(200, R"({"success":true})")));
  const auto answer =
      post("/webasyst/order-status", R"({"id":"8"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_REQUIRE_EQUAL(imshop.request_count(), 1u);
  BOOST_TEST(canonical_json(imshop.requests()[0].body) ==
             canonical_json(R"({"id":"8","code":"new","message":"Новый"})"));
}

BOOST_AUTO_TEST_CASE(an_unknown_order_is_a_404_and_imshop_is_not_called) {
  webasyst.set_script(always(vendor_reply::json(
      404, R"({"error":"invalid_param","error_description":"Order not found"})")));
  const auto answer =
      post("/webasyst/order-status", R"({"id":"999"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 404u);
  BOOST_TEST(json_field(answer->body, "error") == "not_found");
  BOOST_TEST(imshop.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_imshop_failure_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(200, std::string(order_5_info))));
  imshop.set_script(always(vendor_reply::json(500, R"({"message":"imshop is down"})")));
  const auto answer =
      post("/webasyst/order-status", R"({"id":"5"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(the_imshop_key_does_not_open_the_webhook) {
  const auto answer = post("/webasyst/order-status", R"({"id":"5"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

constexpr std::string_view giftcard_page = R"({"data":[
  {"id":"daba7d94-3416-4937-8b8c-b015007887cb","number":1001,"createdDate":"2020-01-11T16:13:56.814239",
   "status":"Payed","participantLogin":"a@example.com","total":2200},
  {"id":"0f5e4c3a-1111-4222-8333-944455556666","number":1002,"createdDate":"2020-02-01T09:00:00.5",
   "status":"Cancelled","participantLogin":"b@example.com","total":1000.5}],
  "totalPages":1,"currentPage":1,"pageSize":20})";

constexpr std::string_view market_json = R"({"data":[
  {"external_id":"daba7d94-3416-4937-8b8c-b015007887cb","matching":"email","email":"a@example.com",
   "endpoint":"giftcards","status":"paid","total_price":"2200","currency":"RUB",
   "create_time":"2020-01-11T16:13:56.814+03:00","tags":["giftcard"],"custom_fields":{"number":1001},
   "lines":[{"external_id":"daba7d94-3416-4937-8b8c-b015007887cb","status":"paid","sku":"giftcard",
             "base_price_per_item":"2200","min_price_per_item":"2200","final_price_per_item":"2200","count":1}]},
  {"external_id":"0f5e4c3a-1111-4222-8333-944455556666","matching":"email","email":"b@example.com",
   "endpoint":"giftcards","status":"canceled","total_price":"1000.5","currency":"RUB",
   "create_time":"2020-02-01T09:00:00.500+03:00","tags":["giftcard"],"custom_fields":{"number":1002},
   "lines":[{"external_id":"0f5e4c3a-1111-4222-8333-944455556666","status":"canceled","sku":"giftcard",
             "base_price_per_item":"1000.5","min_price_per_item":"1000.5","final_price_per_item":"1000.5",
             "count":1}]}]})";

constexpr std::string_view market_xml =
    R"(<?xml version="1.0" encoding="UTF-8"?><xml>)"
    R"(<row><external_id>daba7d94-3416-4937-8b8c-b015007887cb</external_id><matching>email</matching>)"
    R"(<email>a@example.com</email><endpoint>giftcards</endpoint><status>paid</status>)"
    R"(<total_price>2200</total_price><currency>RUB</currency>)"
    R"(<create_time>2020-01-11T16:13:56.814+03:00</create_time><tags>giftcard</tags>)"
    R"(<custom_fields><number>1001</number></custom_fields>)"
    R"(<lines><external_id>daba7d94-3416-4937-8b8c-b015007887cb</external_id><status>paid</status>)"
    R"(<sku>giftcard</sku><base_price_per_item>2200</base_price_per_item>)"
    R"(<min_price_per_item>2200</min_price_per_item><final_price_per_item>2200</final_price_per_item>)"
    R"(<count>1</count></lines></row>)"
    R"(<row><external_id>0f5e4c3a-1111-4222-8333-944455556666</external_id><matching>email</matching>)"
    R"(<email>b@example.com</email><endpoint>giftcards</endpoint><status>canceled</status>)"
    R"(<total_price>1000.5</total_price><currency>RUB</currency>)"
    R"(<create_time>2020-02-01T09:00:00.500+03:00</create_time><tags>giftcard</tags>)"
    R"(<custom_fields><number>1002</number></custom_fields>)"
    R"(<lines><external_id>0f5e4c3a-1111-4222-8333-944455556666</external_id><status>canceled</status>)"
    R"(<sku>giftcard</sku><base_price_per_item>1000.5</base_price_per_item>)"
    R"(<min_price_per_item>1000.5</min_price_per_item><final_price_per_item>1000.5</final_price_per_item>)"
    R"(<count>1</count></lines></row></xml>)";

constexpr std::string_view market_ok = R"({"error":0,"error_text":"Successful operation"})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(market_import, flows_fixture)

BOOST_AUTO_TEST_CASE(a_page_is_imported_as_market_json) {
  market.set_script(always(vendor_reply::json(200, std::string(market_ok))));
  const auto answer = post("/giftcard/market-import", giftcard_page,
                           with_request_id(bearer(secret::shop_webhook_key), "import-req-1"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"imported":2})"));
  const auto calls = market.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].method == "POST");
  BOOST_TEST(calls[0].path() == "/market/api/v1.1/market/orders/import");
  BOOST_TEST(calls[0].header("Authorization") == "Bearer " + std::string(secret::market_token));
  BOOST_TEST(calls[0].header("Content-Type").find("application/json") == 0u);
  BOOST_TEST(calls[0].header("X-Request-Id") == "import-req-1");
  BOOST_TEST(canonical_json(calls[0].body) == canonical_json(market_json));
}

BOOST_AUTO_TEST_CASE(format_xml_in_the_query_sends_market_xml) {
  market.set_script(always(vendor_reply::json(200, std::string(market_ok))));
  const auto answer =
      post("/giftcard/market-import?format=xml", giftcard_page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"imported":2})"));
  const auto calls = market.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].header("Content-Type").find("application/xml") == 0u);
  BOOST_TEST(calls[0].body == market_xml);
}

BOOST_AUTO_TEST_CASE(dry_run_answers_the_market_body_and_sends_nothing) {
  const auto answer = post("/giftcard/market-import?format=xml&dry_run=true", giftcard_page,
                           bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(answer->header("Content-Type").find("application/xml") == 0u);
  BOOST_TEST(answer->body == market_xml);
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_unknown_status_is_a_422_naming_it_and_nothing_is_sent) {
  std::string page(giftcard_page);
  page.replace(page.find("\"Cancelled\""), 11, "\"Refunded\"");
  const auto answer = post("/giftcard/market-import", page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 422u);
  BOOST_TEST(json_field(answer->body, "error") == "unmappable");
  BOOST_TEST(json_field(answer->body, "path") == "data[1].status");
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_market_error_with_http_200_is_a_502_with_its_text) {
  market.set_script(
      always(vendor_reply::json(200, R"({"error":3,"error_text":"data[0].email: invalid"})")));
  const auto answer =
      post("/giftcard/market-import", giftcard_page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
  BOOST_TEST(json_field(answer->body, "message").find("data[0].email: invalid") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_market_http_error_is_a_502) {
  market.set_script(always(vendor_reply::json(403, R"({"error":1,"error_text":"bad token"})")));
  const auto answer =
      post("/giftcard/market-import", giftcard_page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "message").find("bad token") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_format_in_the_query_is_a_400_naming_it) {
  const auto answer =
      post("/giftcard/market-import?format=yaml", giftcard_page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(json_field(answer->body, "path") == "query.format");
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_order_missing_a_field_is_a_400_naming_it) {
  std::string page(giftcard_page);
  page.replace(page.find(R"("participantLogin":"b@example.com",)"), 35, "");
  const auto answer = post("/giftcard/market-import", page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "path") == "data[1].participantLogin");
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_empty_page_sends_nothing_and_imports_zero) {
  const auto answer =
      post("/giftcard/market-import", R"({"data":[],"totalPages":0,"currentPage":1,"pageSize":20})",
           bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"imported":0})"));
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

struct phone_buyer_fixture : gateway_fixture {
  phone_buyer_fixture()
      : gateway_fixture(this_build(), with_env({{"IMSHOP_USER_ID", "phone"},
                                                {"IMSHOP_UUID_PARAM", "app_uuid"}})) {}
};

BOOST_FIXTURE_TEST_SUITE(order_status_by_phone, phone_buyer_fixture)

BOOST_AUTO_TEST_CASE(imshop_gets_the_uuid_param_and_the_phone_digits) {
  webasyst.set_script(always(vendor_reply::json(
      200,
      R"({"id":"8","state_id":"paid","params":{"app_uuid":"7f1c2a9e-0b4d-4c8e-9a51-3d2f6e8b1c40"},"contact":{"id":"3","phone":"+7 (912) 345-67-89"},"items":[]})")));
  imshop.set_script(always(vendor_reply::json(200, R"({"success":true})")));
  const auto answer =
      post("/webasyst/order-status", R"({"id":"8"})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_REQUIRE_EQUAL(imshop.request_count(), 1u);
  BOOST_TEST(canonical_json(imshop.requests()[0].body) ==
             canonical_json(R"({"id":"7f1c2a9e-0b4d-4c8e-9a51-3d2f6e8b1c40","code":"paid",
                                "message":"Оплачен","userId":"79123456789"})"));
}

BOOST_AUTO_TEST_SUITE_END()

struct xml_market_fixture : gateway_fixture {
  xml_market_fixture() : gateway_fixture(this_build(), with_env({{"MARKET_FORMAT", "xml"}})) {}
};

BOOST_FIXTURE_TEST_SUITE(market_import_configured_for_xml, xml_market_fixture)

BOOST_AUTO_TEST_CASE(market_format_xml_sends_xml_and_the_query_can_ask_for_json) {
  market.set_script(always(vendor_reply::json(200, std::string(market_ok))));
  const auto as_xml =
      post("/giftcard/market-import", giftcard_page, bearer(secret::shop_webhook_key));
  const auto as_json =
      post("/giftcard/market-import?format=json", giftcard_page, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(as_xml);
  BOOST_REQUIRE(as_json);
  BOOST_TEST(as_xml->status == 200u);
  BOOST_TEST(as_json->status == 200u);
  const auto calls = market.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);
  BOOST_TEST(calls[0].body == market_xml);
  BOOST_TEST(canonical_json(calls[1].body) == canonical_json(market_json));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
