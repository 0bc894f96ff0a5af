// Flows 1 and 2 of docs/flows.md (Imshop order history and cancellation) through the real
// gateway: what the client gets back, and exactly what the fake Webasyst received
// (method, path under the base-URL prefix, query and form encoding, credentials,
// request id). Flows 3 and 4: flows_status_import_test.cpp.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

struct flows_fixture : gateway_fixture {
  flows_fixture() : gateway_fixture(this_build()) {}
};

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
   "state_id":"my_custom","total":"990.0000","shipping":"0.0000","params":[],"items":[]}]})";

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
  webasyst.set_script(order_in_state(
      "paid", always(vendor_reply::json(200, R"({"id":"12","after_state_id":"deleted"})"))));
  const auto answer =
      post("/imshop/order-cancel",
           R"({"uuid":"u-1","internalId":"12","reason":"Передумал, дорого & долго"})",
           with_request_id(bearer(secret::imshop_key), "cancel-req-7"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":true,"newStatus":"deleted","newMessage":"Удален"})"));

  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);
  BOOST_TEST(calls[0].method == "GET");  // the order's state first: a deleted one is not sent
  BOOST_TEST(calls[0].target == "/shop/api.php/shop.order.getInfo?id=12");
  BOOST_TEST(calls[0].header("X-Request-Id") == "cancel-req-7");
  BOOST_TEST(calls[1].method == "POST");
  BOOST_TEST(calls[1].path() == "/shop/api.php/shop.order.action");
  BOOST_TEST(calls[1].header("Content-Type").find("application/x-www-form-urlencoded") == 0u);
  BOOST_TEST(to_text(decode_form(calls[1].body)) ==
             "id=12\naction=delete\ntext=Передумал, дорого & долго\n");
  BOOST_TEST(calls[1].body.find('+') == std::string::npos);  // a space is %20, never '+'
  BOOST_TEST(calls[1].body.find("%20") != std::string::npos);
  BOOST_TEST(calls[1].header("Authorization") == "Bearer " + std::string(secret::webasyst_token));
  BOOST_TEST(calls[1].header("X-Request-Id") == "cancel-req-7");
}

BOOST_AUTO_TEST_CASE(cancel_without_reason_sends_no_text) {
  webasyst.set_script(order_in_state("paid", always(vendor_reply::json(200, R"({"id":"12"})"))));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_REQUIRE_EQUAL(webasyst.request_count(), 2u);
  BOOST_TEST(to_text(decode_form(webasyst.requests()[1].body)) == "id=12\naction=delete\n");
}

BOOST_AUTO_TEST_CASE(a_refusal_is_success_false_with_webasysts_description) {
  webasyst.set_script(order_in_state(
      "paid",
      always(vendor_reply::json(
          404,
          R"({"error":"invalid_param","error_description":"Доступное действие не найдено для указанного заказа."})"))));
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
  webasyst.set_script(
      order_in_state("paid", always(vendor_reply::json(200, R"({"error":"access_denied"})"))));
  const auto answer = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":false,"newMessage":"access_denied"})"));
}

BOOST_AUTO_TEST_CASE(a_webasyst_500_is_a_502) {
  webasyst.set_script(
      order_in_state("paid", always(vendor_reply::json(500, R"({"error":"server_error"})"))));
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
  webasyst.set_script(order_in_state("paid", always(vendor_reply::json(200, R"({"id":"9"})"))));
  const auto answer =
      post("/imshop/v2/order-cancel", R"({"id":"9","status":"canceled","reason":"no"})",
           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":true,"status":"deleted","message":"Удален"})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);
  BOOST_TEST(calls[1].method == "POST");
  BOOST_TEST(calls[1].path() == "/shop/api.php/shop.order.action");
  BOOST_TEST(to_text(decode_form(calls[1].body)) == "id=9\naction=delete\ntext=no\n");
}

BOOST_AUTO_TEST_CASE(v2_refusal_is_success_false_with_message) {
  webasyst.set_script(order_in_state(
      "paid",
      always(vendor_reply::json(404, R"({"error":"invalid_param","error_description":"nope"})"))));
  const auto answer = post("/imshop/v2/order-cancel", R"({"id":"9","status":"canceled"})",
                           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) ==
             canonical_json(R"({"success":false,"message":"nope"})"));
}

BOOST_AUTO_TEST_CASE(cancelling_a_deleted_order_again_succeeds_and_sends_nothing) {
  // Imshop retries; Webasyst would refuse to delete a deleted order.
  webasyst.set_script(order_in_state("deleted", always(vendor_reply::json(500, "{}"))));
  const auto v1 = post("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12","reason":"x"})",
                       bearer(secret::imshop_key));
  BOOST_REQUIRE(v1);
  BOOST_TEST(v1->status == 200u);
  BOOST_TEST(canonical_json(v1->body) ==
             canonical_json(R"({"success":true,"newStatus":"deleted","newMessage":"Удален"})"));
  const auto v2 = post("/imshop/v2/order-cancel", R"({"id":"12","status":"canceled"})",
                       bearer(secret::imshop_key));
  BOOST_REQUIRE(v2);
  BOOST_TEST(canonical_json(v2->body) ==
             canonical_json(R"({"success":true,"status":"deleted","message":"Удален"})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);  // two getInfo, no action
  BOOST_TEST(calls[0].path() == "/shop/api.php/shop.order.getInfo");
  BOOST_TEST(calls[1].path() == "/shop/api.php/shop.order.getInfo");
}

BOOST_AUTO_TEST_CASE(an_empty_reason_sends_no_text) {
  webasyst.set_script(order_in_state("new", always(vendor_reply::json(200, R"({"id":"12"})"))));
  const auto answer =
      post("/imshop/v2/order-cancel", R"({"id":"12","status":"canceled","reason":""})",
           bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_REQUIRE_EQUAL(webasyst.request_count(), 2u);
  BOOST_TEST(to_text(decode_form(webasyst.requests()[1].body)) == "id=12\naction=delete\n");
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

}  // namespace ordergate::testing
