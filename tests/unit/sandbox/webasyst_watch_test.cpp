// What the sandbox shop does for the status watcher (flow 6) and for buyers known by
// phone: update_datetime conditions and sorting, customer search, Imshop UUIDs.

#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

using namespace sandbox_test;

namespace {

const std::string search = "/shop/api.php/shop.order.search?";
const std::string customers = "/shop/api.php/shop.customer.search?";
const std::string action = "/shop/api.php/shop.order.action?";

/// The ids of a search answer's orders, in order, joined with ','.
std::string ids(const http::response& res) {
  json_doc doc(res.body());
  std::string out;
  for (const codec::node& o : doc->find("orders")->items())
    out += (out.empty() ? "" : ",") + std::string(json_doc::text(o, "id"));
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(webasyst_watch, vendors_fixture)

BOOST_AUTO_TEST_CASE(orders_updated_since_a_datetime_come_oldest_first) {
  const auto res = get(search + token_query +
                       "&hash=search%2Fupdate_datetime%3E%3D2026-11-17%2010%3A00%3A00"
                       "&sort=update_datetime");
  BOOST_TEST(ids(res) == "10,3,12,2,9");  // 17 Nov .. 21 Nov; never-updated orders are NULL
}

BOOST_AUTO_TEST_CASE(the_newest_update_comes_first_with_desc) {
  const auto res = get(search + token_query + "&sort=update_datetime%20DESC&limit=1");
  BOOST_TEST(ids(res) == "9");
}

BOOST_AUTO_TEST_CASE(contact_alternatives_are_joined_with_two_bars) {
  const auto res = get(search + token_query + "&hash=search%2Fcontact_id%3D3%7C%7C4");
  BOOST_TEST(ids(res) == "9,12,10,11");  // newest created first
}

BOOST_AUTO_TEST_CASE(a_cancel_sets_update_datetime_and_the_order_moves_to_the_end) {
  const auto cancelled = post(action + token_query, "id=5&action=delete", form_type);
  BOOST_TEST(cancelled.result_int() == 200);
  const auto res = get(search + token_query +
                       "&hash=search%2Fupdate_datetime%3E%3D2026-11-21%2010%3A20%3A33"
                       "&sort=update_datetime");
  BOOST_TEST(ids(res) == "9,5");
  json_doc doc(res.body());
  BOOST_TEST(json_doc::text(doc->find("orders")->items()[1], "state_id") == "deleted");
}

BOOST_AUTO_TEST_CASE(a_customer_is_found_by_phone_with_or_without_plus) {
  for (const char* phone : {"79161234567", "%2B79161234567"}) {
    const auto res = get(customers + token_query + "&hash=search%2Fphone%3D" + std::string(phone));
    json_doc doc(res.body());
    BOOST_TEST(json_doc::text(doc.root, "count") == "1", phone);
    BOOST_TEST(json_doc::text(doc->find("customers")->items()[0], "id") == "2", phone);
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_phone_finds_no_customer) {
  const auto res = get(customers + token_query + "&hash=search%2Fphone%3D79990000000");
  BOOST_TEST(res.body() == recorded("customer_search_phone_none"));
}

BOOST_AUTO_TEST_CASE(orders_placed_through_the_app_carry_imshops_uuid) {
  json_doc one(get("/shop/api.php/shop.order.getInfo?" + token_query + "&id=1").body());
  BOOST_TEST(json_doc::text(*one->find("params"), "imshop_uuid").size() == 36u);
  json_doc five(get("/shop/api.php/shop.order.getInfo?" + token_query + "&id=5").body());
  BOOST_TEST(five->find("params")->find("imshop_uuid") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
