// Flows 1-4 of FLOWS.md through the real gateway: what the client gets back, and
// exactly what the fake vendors received (method, path under the base-URL prefix,
// query and form encoding, credentials, request id).

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::integration {
namespace {

struct flows_fixture : gateway_fixture {
  flows_fixture() : gateway_fixture(this_build()) {}
};

header_list with_request_id(header_list headers, std::string id) {
  headers.emplace_back("X-Request-Id", std::move(id));
  return headers;
}

// A shop.order.search page: one order with everything, one with the least.
constexpr std::string_view search_page = R"({"offset":0,"limit":20,"count":25,"orders":[
  {"id":"12","id_encoded":"#100012","contact_id":"2","create_datetime":"2024-03-10 15:30:00",
   "update_datetime":"2024-03-11 09:00:05","state_id":"processing","total":"1503.3000","shipping":"300.0000",
   "params":{"tracking_number":"AB 12/3"},
   "items":[{"id":"31","product_id":"7","sku_id":"9","name":"Чай &quot;Улун&quot; &amp; мёд","price":"450.5000",
             "quantity":"3.000","total_discount":"100.2000"},
            {"id":"32","product_id":"8","sku_id":"0","name":"Кружка","price":"251.7000","quantity":"1.000",
             "total_discount":null}]},
  {"id":"11","id_encoded":"","contact_id":"2","create_datetime":"2024-01-05 00:10:00","update_datetime":null,
   "state_id":"my_custom","total":"990.0000","shipping":"0.0000","params":{},"items":[]}]})";

constexpr std::string_view history_page = R"({"orders":[
  {"id":"12","publicId":"#100012","createdOn":1710073800,"updatedOn":1710136805,"status":"Подтвержден",
   "price":1503.3,"deliveryPrice":300,"trackingUrl":"https://www.cdek.ru/ru/tracking?order_id=AB%2012%2F3",
   "cancellable":true,
   "items":[{"privateId":"7","configurationId":"9","name":"Чай \"Улун\" & мёд","price":450.5,"quantity":3,
             "discount":100.2,"subtotal":1251.3},
            {"privateId":"8","name":"Кружка","price":251.7,"quantity":1,"discount":0,"subtotal":251.7}]},
  {"id":"11","createdOn":1704402600,"status":"my_custom","price":990,"deliveryPrice":0,"cancellable":false,
   "items":[]}],
  "nextPage":2})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(order_history, flows_fixture)

BOOST_AUTO_TEST_CASE(first_page_is_translated_and_offers_the_next_page) {
  webasyst.set_script(always(vendor_reply::json(200, std::string(search_page))));
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"2"})",
                           with_request_id(bearer(secret::imshop_key), "hist-req-1"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(answer->header("Content-Type").find("application/json") == 0u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(history_page));
  BOOST_TEST(answer->header("X-Request-Id") == "hist-req-1");

  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].method == "GET");
  BOOST_TEST(calls[0].path() == "/shop/api.php/shop.order.search");
  BOOST_TEST(to_text(decode_form(calls[0].query())) ==
             "hash=search/contact_id=2\noffset=0\nlimit=20\n");
  // The hash is one encoded value: its '/' and '=' must not reach Webasyst raw.
  BOOST_TEST(calls[0].query().find("hash=search%2Fcontact_id%3D2") != std::string::npos);
  BOOST_TEST(calls[0].header("Authorization") == "Bearer " + std::string(secret::webasyst_token));
  BOOST_TEST(calls[0].header("X-Request-Id") == "hist-req-1");
  BOOST_TEST(calls[0].body.empty());
}

BOOST_AUTO_TEST_CASE(page_two_asks_for_offset_20_and_the_last_page_has_no_next_page) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":20,"limit":20,"count":25,"orders":[]})")));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":2,"page":2})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(to_text(decode_form(calls[0].query())) ==
             "hash=search/contact_id=2\noffset=20\nlimit=20\n");
}

BOOST_AUTO_TEST_CASE(key_in_the_body_authenticates) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})")));
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"5","key":")" +
                                                        std::string(secret::imshop_key) + "\"}");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  BOOST_TEST(webasyst.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_webasyst_error_key_with_http_200_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(
      200, R"({"error":"invalid_param","error_description":"Limit must be at most 1000"})")));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
  BOOST_TEST(json_field(answer->body, "message").find("Limit must be at most 1000") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_webasyst_401_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(401, R"({"error":"invalid_token"})")));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(a_non_digit_user_identifier_is_a_400_naming_it_and_calls_nobody) {
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"2&state_id=paid"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(json_field(answer->body, "path") == "userIdentifier");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_malformed_body_is_a_400) {
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":)", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(order_cancel, flows_fixture)

BOOST_AUTO_TEST_CASE(cancel_posts_a_percent_encoded_delete_form) {
  webasyst.set_script(always(vendor_reply::json(200, R"({"id":"12","state_id":"deleted"})")));
  const auto answer =
      post("/imshop/order-cancel",
           R"({"uuid":"u-1","internalId":"12","reason":"Передумал, дорого & долго"})",
           with_request_id(bearer(secret::imshop_key), "cancel-req-7"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":true,"newStatus":"deleted","newMessage":"Удален"})"));

  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].method == "POST");
  BOOST_TEST(calls[0].path() == "/shop/api.php/shop.order.action");
  BOOST_TEST(calls[0].header("Content-Type").find("application/x-www-form-urlencoded") == 0u);
  BOOST_TEST(to_text(decode_form(calls[0].body)) ==
             "id=12\naction=delete\ntext=Передумал, дорого & долго\n");
  BOOST_TEST(calls[0].body.find('+') == std::string::npos);  // a space is %20, never '+'
  BOOST_TEST(calls[0].body.find("%20") != std::string::npos);
  BOOST_TEST(calls[0].header("Authorization") == "Bearer " + std::string(secret::webasyst_token));
  BOOST_TEST(calls[0].header("X-Request-Id") == "cancel-req-7");
}

BOOST_AUTO_TEST_CASE(cancel_without_reason_sends_no_text) {
  webasyst.set_script(always(vendor_reply::json(200, R"({"id":"12"})")));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_REQUIRE_EQUAL(webasyst.request_count(), 1u);
  BOOST_TEST(to_text(decode_form(webasyst.requests()[0].body)) == "id=12\naction=delete\n");
}

BOOST_AUTO_TEST_CASE(a_refusal_is_success_false_with_webasysts_description) {
  webasyst.set_script(always(vendor_reply::json(
      404,
      R"({"error":"invalid_param","error_description":"Доступное действие не найдено для указанного заказа."})")));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(
      canonical_json(answer->body) ==
      canonical_json(
          R"({"success":false,"newMessage":"Доступное действие не найдено для указанного заказа."})"));
}

BOOST_AUTO_TEST_CASE(an_error_key_with_http_200_is_a_refusal) {
  webasyst.set_script(always(vendor_reply::json(200, R"({"error":"access_denied"})")));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":false,"newMessage":"access_denied"})"));
}

BOOST_AUTO_TEST_CASE(a_webasyst_500_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(500, R"({"error":"server_error"})")));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(a_non_digit_internal_id_is_a_400) {
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12; DROP"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "path") == "internalId");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(v2_cancel_answers_in_the_current_protocol) {
  webasyst.set_script(always(vendor_reply::json(200, R"({"id":"9"})")));
  const auto answer =
      post("/imshop/v2/order-cancel", R"({"id":"9","status":"canceled","reason":"no"})",
           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":true,"status":"deleted","message":"Удален"})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0].method == "POST");
  BOOST_TEST(calls[0].path() == "/shop/api.php/shop.order.action");
  BOOST_TEST(to_text(decode_form(calls[0].body)) == "id=9\naction=delete\ntext=no\n");
}

BOOST_AUTO_TEST_CASE(v2_refusal_is_success_false_with_message) {
  webasyst.set_script(
      always(vendor_reply::json(404, R"({"error":"invalid_param","error_description":"nope"})")));
  const auto answer = post("/imshop/v2/order-cancel", R"({"id":"9","status":"canceled"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":false,"message":"nope"})"));
}

BOOST_AUTO_TEST_CASE(v2_refuses_a_status_other_than_canceled) {
  const auto answer =
      post("/imshop/v2/order-cancel", R"({"id":"9","status":"paid"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "path") == "status");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

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
                 "trackingUrl":"https://www.cdek.ru/ru/tracking?order_id=10%2020%2F30","userId":"79123456789"})"));
}

BOOST_AUTO_TEST_CASE(no_tracking_number_and_no_phone_leave_them_out) {
  webasyst.set_script(always(vendor_reply::json(
      200,
      R"({"id":"8","state_id":"new","params":[],"contact":{"id":"3","phone":""},"items":[]})")));
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

}  // namespace ordergate::integration
