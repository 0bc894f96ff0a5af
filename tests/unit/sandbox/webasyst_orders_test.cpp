#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

using namespace sandbox_test;

namespace {

const std::string info = "/shop/api.php/shop.order.getInfo?";
const std::string action = "/shop/api.php/shop.order.action?";
const std::string delete_url = "/shop/api.php/shop.order.delete?";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(webasyst_orders, vendors_fixture)

BOOST_AUTO_TEST_CASE(get_info_of_recorded_orders_is_byte_identical) {
  const std::pair<const char*, const char*> cases[] = {
      {"3", "order_getinfo_3_service_item"},
      {"4", "order_getinfo_4_tracking"},
      {"5", "order_getinfo_5_four_items_discount_tracking"},
      {"7", "order_getinfo_7_deleted"},
      {"8", "order_getinfo_8_no_items"},
      {"10", "order_getinfo_10_tracking_company_contact"},
      {"11", "order_getinfo_11_apostrophe_contact"},
      {"12", "order_getinfo_12_paid_before_ship"}};
  for (const auto& [id, name] : cases) {
    const auto res = get(info + token_query + "&id=" + id);
    BOOST_TEST(res.result_int() == 200u, name);
    BOOST_TEST(res.body() == recorded(name), name);
  }
}

BOOST_AUTO_TEST_CASE(get_info_of_an_unrecorded_order_is_derived_in_get_info_shape) {
  const auto res = get(info + token_query + "&id=1");
  BOOST_TEST(res.result_int() == 200u);
  json_doc doc(res.body());
  BOOST_TEST(doc->find("id_encoded") == nullptr);
  BOOST_TEST(json_doc::text(*doc->find("contact"), "phone") == "79161234567");
  BOOST_TEST(json_doc::text(doc.root, "items_total_discount") == "0");
  const codec::node* items = doc->find("items");
  BOOST_REQUIRE(items->is_object());
  BOOST_TEST(items->members()[0].key == "1");
  BOOST_TEST(items->members()[1].key == "2");
  BOOST_TEST(items->members()[0].value.find("sort") == nullptr);
  BOOST_TEST(json_doc::text(items->members()[0].value, "file_size") == "0");
  // Raw comment with escaped slashes, as PHP writes it.
  BOOST_TEST(res.body().find("<b>срочно<\\/b>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_info_of_unknown_or_nonnumeric_id_is_404) {
  const auto unknown = get(info + token_query + "&id=999");
  BOOST_TEST(unknown.result_int() == 404u);
  BOOST_TEST(unknown.body() == recorded("order_getinfo_999_not_found"));
  const auto text = get(info + token_query + "&id=abc");
  BOOST_TEST(text.result_int() == 404u);
  BOOST_TEST(text.body() == recorded("order_getinfo_id_nonnumeric"));
}

BOOST_AUTO_TEST_CASE(get_info_without_id_is_400) {
  const auto res = get(info + token_query);
  BOOST_TEST(res.result_int() == 400u);
  BOOST_TEST(res.body() == recorded("order_getinfo_no_id"));
}

BOOST_AUTO_TEST_CASE(delete_action_answers_a_workflow_result) {
  const auto res =
      post(action + token_query,
           "id=12&action=delete&text=%D0%9D%D0%B5%20%D0%BD%D1%83%D0%B6%D0%B5%D0%BD", form_type);
  BOOST_TEST(res.result_int() == 200u);
  json_doc doc(res.body());
  BOOST_TEST(json_doc::text(doc.root, "text") == "Не нужен");
  BOOST_TEST(json_doc::text(doc.root, "order_id") == "12");
  BOOST_TEST(doc->find("order_id")->is_number());
  BOOST_TEST(json_doc::text(doc.root, "action_id") == "delete");
  BOOST_TEST(json_doc::text(doc.root, "before_state_id") == "paid");
  BOOST_TEST(json_doc::text(doc.root, "after_state_id") == "deleted");
  BOOST_TEST(json_doc::text(*doc->find("update"), "update_datetime").size() == 19u);
  BOOST_TEST(doc->find("id")->is_number());
}

BOOST_AUTO_TEST_CASE(deleted_order_shows_deleted_in_search_and_get_info) {
  post(action + token_query, "id=11&action=delete", form_type);
  json_doc search(
      get("/shop/api.php/shop.order.search?" + token_query + "&hash=search%2Fcontact_id%3D4")
          .body());
  const codec::node& order11 = search->find("orders")->items()[1];
  BOOST_TEST(json_doc::text(order11, "id") == "11");
  BOOST_TEST(json_doc::text(order11, "state_id") == "deleted");
  BOOST_TEST(order11.find("paid_date")->is_null());
  json_doc details(get(info + token_query + "&id=11").body());
  BOOST_TEST(json_doc::text(details.root, "state_id") == "deleted");
  BOOST_TEST(json_doc::text(details.root, "update_datetime") != "2026-11-08 10:25:07");
}

BOOST_AUTO_TEST_CASE(delete_action_on_a_deleted_order_is_refused) {
  BOOST_TEST(post(action + token_query, "id=12&action=delete", form_type).result_int() == 200u);
  const auto again = post(action + token_query, "id=12&action=delete", form_type);
  BOOST_TEST(again.result_int() == 404u);
  BOOST_TEST(again.body() == recorded("order_action_12_process_disallowed"));
  const auto seven = post(action + token_query, "id=7&action=delete", form_type);
  BOOST_TEST(seven.result_int() == 404u);
}

BOOST_AUTO_TEST_CASE(other_actions_are_refused_as_disallowed) {
  const auto process = post(action + token_query, "id=12&action=process", form_type);
  BOOST_TEST(process.result_int() == 404u);
  BOOST_TEST(process.body() == recorded("order_action_12_process_disallowed"));
  const auto unknown = post(action + token_query, "id=12&action=nosuchaction", form_type);
  BOOST_TEST(unknown.body() == recorded("order_action_12_unknown_action"));
}

BOOST_AUTO_TEST_CASE(action_on_unknown_order_is_404_not_found) {
  const auto res = post(action + token_query, "id=999&action=process", form_type);
  BOOST_TEST(res.result_int() == 404u);
  BOOST_TEST(res.body() == recorded("order_action_999_not_found"));
}

BOOST_AUTO_TEST_CASE(action_without_action_is_400) {
  const auto res = post(action + token_query, "id=12", form_type);
  BOOST_TEST(res.result_int() == 400u);
  BOOST_TEST(res.body() == recorded("order_action_missing_action"));
}

BOOST_AUTO_TEST_CASE(action_reads_only_form_bodies) {
  const auto res =
      post(action + token_query, R"({"id":"12","action":"delete"})", "application/json");
  BOOST_TEST(res.result_int() == 400u);
}

BOOST_AUTO_TEST_CASE(token_in_the_form_body_is_accepted) {
  const auto res = post(action, token_query + "&id=9&action=delete", form_type);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body().find("\"before_state_id\":\"processing\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_to_action_is_405) {
  const auto res = get(action + token_query + "&id=1&action=process");
  BOOST_TEST(res.result_int() == 405u);
  BOOST_TEST(res.body() == recorded("error_get_to_action_405"));
}

BOOST_AUTO_TEST_CASE(order_delete_deletes_even_twice) {
  const auto first = post(delete_url + token_query, "id=11", form_type);
  BOOST_TEST(first.result_int() == 200u);
  BOOST_TEST(first.body().starts_with(
      R"({"order_id":"11","action_id":"delete","before_state_id":"completed","after_state_id":"deleted","id":)"));
  const auto second = post(delete_url + token_query, "id=11", form_type);
  BOOST_TEST(second.result_int() == 200u);
  BOOST_TEST(second.body().find(R"("before_state_id":"deleted")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(order_delete_of_unknown_order_is_404) {
  const auto res = post(delete_url + token_query, "id=999", form_type);
  BOOST_TEST(res.result_int() == 404u);
  BOOST_TEST(res.body() == recorded("order_delete_999_not_found"));
}

BOOST_AUTO_TEST_CASE(order_delete_without_id_is_400) {
  BOOST_TEST(post(delete_url + token_query, "", form_type).result_int() == 400u);
}

BOOST_AUTO_TEST_SUITE_END()
