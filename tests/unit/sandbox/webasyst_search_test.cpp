#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

using namespace sandbox_test;

namespace {

/// `n` as JSON with the members of every "params" object sorted: the recorded install
/// returned params in varying order from one request to the next.
void write_canonical(codec::writer& w, const codec::node& n, bool sort_members = false) {
  if (n.is_array()) {
    w.begin_array();
    for (const codec::node& item : n.items())
      write_canonical(w, item);
    w.end_array();
  } else if (n.is_object()) {
    std::vector<codec::member> members(n.members().begin(), n.members().end());
    if (sort_members)
      std::sort(members.begin(), members.end(),
                [](const codec::member& a, const codec::member& b) { return a.key < b.key; });
    w.begin_object();
    for (const codec::member& m : members) {
      w.key(m.key);
      write_canonical(w, m.value, m.key == "params");
    }
    w.end_object();
  } else {
    codec::write(w, n);
  }
}

std::string canonical(const std::string& json) {
  json_doc doc(json);
  std::string out;
  codec::json_writer w(out);
  write_canonical(w, doc.root);
  return out;
}

/// `body` without the sandbox's one addition to the recordings: the imshop_uuid param of
/// the orders it says were placed through the app (1 and 9).
std::string as_recorded(std::string body) {
  const std::string param = R"(,"imshop_uuid":")";
  for (auto at = body.find(param); at != std::string::npos; at = body.find(param, at))
    body.erase(at, param.size() + 36 + 1);  // a UUID and its closing quote
  return body;
}

const std::string search = "/shop/api.php/shop.order.search?";
const std::string c2 = "hash=search%2Fcontact_id%3D2";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(webasyst_search, vendors_fixture)

BOOST_AUTO_TEST_CASE(default_search_is_byte_identical_to_the_recording) {
  const auto res = get(search + token_query + "&" + c2);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c2_default"));
  BOOST_TEST(last_route == "webasyst shop.order.search");
}

BOOST_AUTO_TEST_CASE(content_type_header_is_spelled_as_webasyst_does) {
  const auto res = get(search + token_query + "&" + c2);
  bool spelled = false;
  for (const auto& f : res)
    if (f.name_string() == "Content-type") spelled = f.value() == "application/json; charset=utf-8";
  BOOST_TEST(spelled);
}

BOOST_AUTO_TEST_CASE(unencoded_hash_gives_the_same_bytes) {
  const auto res = get(search + token_query + "&hash=search/contact_id=2");
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c2_unencoded_hash"));
}

BOOST_AUTO_TEST_CASE(offset_slice_is_byte_identical_to_the_recording) {
  const auto res = get(search + token_query + "&" + c2 + "&limit=2&offset=2");
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c2_limit2_offset2"));
}

BOOST_AUTO_TEST_CASE(limit_and_offset_slice_as_recorded) {
  for (const char* name :
       {"limit2_offset0", "limit2_offset2", "limit2_offset6", "limit2_offset8"}) {
    const std::string n = name;
    const std::string query = "&limit=2&offset=" + n.substr(n.find("offset") + 6);
    const auto res = get(search + token_query + "&" + c2 + query);
    BOOST_TEST(canonical(as_recorded(res.body())) == canonical(recorded("order_search_c2_" + n)),
               n);
  }
}

BOOST_AUTO_TEST_CASE(limit_zero_gives_the_count_and_no_orders) {
  const auto res = get(search + token_query + "&" + c2 + "&limit=0");
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c2_limit0"));
}

BOOST_AUTO_TEST_CASE(bearer_token_is_accepted) {
  const auto res = get(search + c2 + "&limit=1", webasyst_token);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(canonical(as_recorded(res.body())) ==
             canonical(recorded("order_search_c2_bearer_header")));
}

BOOST_AUTO_TEST_CASE(contact_3_is_served_as_recorded) {
  const auto res = get(search + token_query + "&hash=search%2Fcontact_id%3D3");
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c3"));
}

BOOST_AUTO_TEST_CASE(contact_4_starts_before_the_recorded_mutations) {
  const auto res = get(search + token_query + "&hash=search%2Fcontact_id%3D4");
  json_doc doc(res.body());
  const auto& orders = doc->find("orders")->items();
  BOOST_REQUIRE(orders.size() == 2u);
  BOOST_TEST(json_doc::text(orders[0], "id") == "12");
  BOOST_TEST(json_doc::text(orders[0], "state_id") == "paid");
  BOOST_TEST(json_doc::text(orders[1], "state_id") == "completed");
  // Only the default fields: that recording had asked for the contact too.
  BOOST_TEST(orders[0].find("contact") == nullptr);
  BOOST_TEST(orders[0].find("id_encoded")->text() == "#10012");
}

BOOST_AUTO_TEST_CASE(contact_without_orders_gets_count_zero) {
  BOOST_TEST(get(search + token_query + "&hash=search%2Fcontact_id%3D5").body() ==
             recorded("order_search_c5_no_orders"));
  BOOST_TEST(get(search + token_query + "&hash=search%2Fcontact_id%3D999").body() ==
             recorded("order_search_c999_nonexistent"));
}

BOOST_AUTO_TEST_CASE(search_without_hash_lists_every_order_newest_first) {
  const auto res = get(search + token_query + "&limit=3");
  json_doc doc(res.body());
  BOOST_TEST(json_doc::text(doc.root, "count") == "12");
  const auto& orders = doc->find("orders")->items();
  BOOST_REQUIRE(orders.size() == 3u);
  BOOST_TEST(json_doc::text(orders[0], "id") == "1");
  BOOST_TEST(json_doc::text(orders[1], "id") == "9");
  BOOST_TEST(json_doc::text(orders[2], "id") == "2");
}

BOOST_AUTO_TEST_CASE(state_condition_in_the_hash_filters) {
  const auto res = get(search + token_query + "&hash=search%2Fstate_id%3Dshipped");
  json_doc doc(res.body());
  BOOST_TEST(json_doc::text(doc.root, "count") == "2");  // orders 4 and 10
}

BOOST_AUTO_TEST_CASE(limit_over_1000_is_an_error_with_status_200) {
  const auto res = get(search + token_query + "&" + c2 + "&limit=5000");
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() == recorded("error_limit_5000"));
}

BOOST_AUTO_TEST_CASE(negative_offset_is_an_error_with_status_200) {
  const auto res = get(search + token_query + "&" + c2 + "&offset=-1");
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() == recorded("error_offset_negative"));
}

BOOST_AUTO_TEST_CASE(post_to_search_is_405) {
  const auto res = post(search + token_query, c2, form_type);
  BOOST_TEST(res.result_int() == 405u);
  BOOST_TEST(res.body() == recorded("error_post_to_search_405"));
}

BOOST_AUTO_TEST_CASE(missing_token_is_400_as_recorded) {
  const auto res = get(search + c2);
  BOOST_TEST(res.result_int() == 400u);
  BOOST_TEST(res.body() == recorded("error_missing_token"));
}

BOOST_AUTO_TEST_CASE(wrong_token_is_401_with_its_sha256) {
  const auto res = get(search + "access_token=invalidtoken000000000000000000000&" + c2);
  BOOST_TEST(res.result_int() == 401u);
  BOOST_TEST(res.body() == recorded("error_invalid_token"));
  const auto other = get(search + c2, "another-token");
  BOOST_TEST(other.result_int() == 401u);
  BOOST_TEST(other.body().find("invalid_token") != std::string::npos);
  BOOST_TEST(other.body().find("1d6d0e03ad2f") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(expired_and_unscoped_tokens_are_refused_as_recorded) {
  const auto expired = get(search + "access_token=expiredtoken00000000000000000001&" + c2);
  BOOST_TEST(expired.result_int() == 401u);
  BOOST_TEST(expired.body() == recorded("error_expired_token"));
  const auto unscoped = get(search + "access_token=noshopscopetoken0000000000000001&" + c2);
  BOOST_TEST(unscoped.result_int() == 403u);
  BOOST_TEST(unscoped.body() == recorded("error_token_without_shop_scope"));
}

BOOST_AUTO_TEST_CASE(app_slash_method_form_is_accepted) {
  const auto res = get("/shop/api.php/shop/order.search?" + token_query + "&" + c2);
  BOOST_TEST(as_recorded(res.body()) == recorded("order_search_c2_default"));
}

BOOST_AUTO_TEST_CASE(unknown_method_app_and_malformed_url_answer_as_recorded) {
  const auto method = get("/shop/api.php/shop.order.nosuchmethod?" + token_query);
  BOOST_TEST(method.result_int() == 404u);
  BOOST_TEST(method.body() == recorded("error_unknown_method"));
  const auto app = get("/shop/api.php/nosuchapp.order.search?" + token_query);
  BOOST_TEST(app.result_int() == 400u);
  BOOST_TEST(app.body() == recorded("error_unknown_app"));
  const auto url = get("/shop/api.php/shop/order/search/extra?" + token_query);
  BOOST_TEST(url.result_int() == 400u);
  BOOST_TEST(url.body() == recorded("error_malformed_url"));
}

BOOST_AUTO_TEST_CASE(settings_get_is_served_as_recorded) {
  const auto res = get("/shop/api.php/shop.settings.get?" + token_query);
  BOOST_TEST(res.body() == recorded("settings_get"));
}

BOOST_AUTO_TEST_CASE(malformed_query_is_read_as_no_parameters) {
  const auto res = get(search + "access_token=%zz");
  BOOST_TEST(res.result_int() == 400u);
  BOOST_TEST(res.body() == recorded("error_missing_token"));
}

BOOST_AUTO_TEST_SUITE_END()
