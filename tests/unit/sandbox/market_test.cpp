#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

using namespace sandbox_test;

namespace {

const std::string token = "sandbox-market-token";
const std::string import_url = "/market/api/v1.1/market/orders/import";
const char* json_type = "application/json";
const std::string success = R"({"error":0,"error_text":"Successful operation"})";

/// A valid order as ordergate's flow 4 writes it, with `patch` spliced in before the
/// lines (later keys are not read: the first one of a name counts).
std::string order(const std::string& id, const std::string& patch = {}) {
  return R"({)" + patch + R"("external_id":")" + id +
         R"(","matching":"email","email":"a@example.com","endpoint":"giftcards",)"
         R"("status":"paid","total_price":"1000.5","currency":"RUB",)"
         R"("create_time":"2026-09-03T05:36:57.686+03:00","tags":["giftcard"],)"
         R"("custom_fields":{"number":3001},"lines":[{"external_id":")" +
         id +
         R"(","status":"paid","sku":"giftcard","base_price_per_item":"1000.5",)"
         R"("min_price_per_item":"1000.5","final_price_per_item":"1000.5","count":1}]})";
}

std::string wrap(const std::string& orders) {
  return R"({"data":[)" + orders + "]}";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(market, vendors_fixture)

BOOST_AUTO_TEST_CASE(valid_json_import_succeeds_and_is_kept) {
  const auto res = post(import_url, wrap(order("a1") + "," + order("a2")), json_type, token);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() == success);
  BOOST_TEST(get("/market/_sandbox/orders").body() == "[" + order("a1") + "," + order("a2") + "]");
  BOOST_TEST(last_route == "market _sandbox/orders");
}

BOOST_AUTO_TEST_CASE(reimport_updates_by_external_id) {
  post(import_url, wrap(order("a1") + "," + order("a2")), json_type, token);
  const std::string changed = order("a1", R"("region":"msk",)");
  BOOST_TEST(post(import_url, wrap(changed), json_type, token).body() == success);
  BOOST_TEST(get("/market/_sandbox/orders").body() == "[" + changed + "," + order("a2") + "]");
}

BOOST_AUTO_TEST_CASE(stored_orders_can_be_cleared) {
  post(import_url, wrap(order("a1")), json_type, token);
  http::request clear{http::verb::delete_, "/market/_sandbox/orders", 11};
  call(std::move(clear));
  BOOST_TEST(get("/market/_sandbox/orders").body() == "[]");
}

BOOST_AUTO_TEST_CASE(token_field_in_the_json_wrapper_is_accepted) {
  const auto res = post(
      import_url, R"({"token":"sandbox-market-token","data":[)" + order("t") + "]}", json_type);
  BOOST_TEST(res.body() == success);
}

BOOST_AUTO_TEST_CASE(missing_or_wrong_token_is_401) {
  BOOST_TEST(post(import_url, wrap(order("x")), json_type).result_int() == 401u);
  BOOST_TEST(post(import_url, wrap(order("x")), json_type, "wrong").result_int() == 401u);
  BOOST_TEST(post(import_url, R"({"token":"wrong","data":[]})", json_type).result_int() == 401u);
  BOOST_TEST(get("/market/_sandbox/orders").body() == "[]");
}

BOOST_AUTO_TEST_CASE(empty_data_succeeds) {
  BOOST_TEST(post(import_url, R"({"data":[]})", json_type, token).body() == success);
}

BOOST_AUTO_TEST_CASE(invalid_orders_fail_with_status_200_and_name_the_field) {
  const std::pair<std::string, std::string> cases[] = {
      {order("x", R"("status":"shipped",)"), "data[0].status: unknown status \"shipped\""},
      {order("x", R"("external_id":"",)"), "data[0].external_id: must not be empty"},
      {order("x", R"("total_price":1000.5,)"), "data[0].total_price: must be a string"},
      {order("x", R"("total_price":"1 000",)"), "data[0].total_price: not a decimal amount"},
      {order("x", R"("endpoint":null,)"), "data[0].endpoint: must be a string"},
      {order("x", R"("email":"",)"), "data[0].email: must not be empty"},
      {order("x", R"("create_time":"2026-09-03T05:36:57.686",)"),
       "data[0].create_time: not an RFC 3339 date-time"},
      {order("x", R"("tags":"giftcard",)"), "data[0].tags: must be an array"},
      {order("x", R"("custom_fields":[],)"), "data[0].custom_fields: must be an object"},
      {order("x", R"("lines":[],)"), "data[0].lines: at least one line is required"},
      {order(
           "x",
           R"("lines":[{"external_id":"x","status":"paid","sku":"g","base_price_per_item":"1","min_price_per_item":"1","final_price_per_item":"1"}],)"),
       "data[0].lines[0].count: required field is missing"},
      {order(
           "x",
           R"("lines":[{"external_id":"x","status":"paid","sku":"g","base_price_per_item":"1","min_price_per_item":"1","final_price_per_item":"1","count":1.5}],)"),
       "data[0].lines[0].count: must be a non-negative integer"},
      {order(
           "x",
           R"("lines":[{"external_id":"x","status":"paid","base_price_per_item":"1","min_price_per_item":"1","final_price_per_item":"1","count":1}],)"),
       "data[0].lines[0].sku: required field is missing"},
  };
  for (const auto& [body, problem] : cases) {
    const auto res = post(import_url, wrap(order("ok") + "," + body), json_type, token);
    BOOST_TEST(res.result_int() == 200u);
    json_doc doc(res.body());
    BOOST_TEST(json_doc::text(doc.root, "error") != "0");
    BOOST_TEST(
        json_doc::text(doc.root, "error_text").find(std::string(problem).replace(5, 1, "1")) == 0u,
        json_doc::text(doc.root, "error_text"));
  }
  // Nothing of a failed import is kept.
  BOOST_TEST(get("/market/_sandbox/orders").body() == "[]");
}

BOOST_AUTO_TEST_CASE(order_without_lines_fails) {
  const std::string body =
      R"({"data":[{"external_id":"1","endpoint":"e","status":"new","total_price":"1","currency":"RUB","email":"a@b.c"}]})";
  json_doc doc(post(import_url, body, json_type, token).body());
  BOOST_TEST(json_doc::text(doc.root, "error_text") == "data[0].lines: required field is missing");
}

BOOST_AUTO_TEST_CASE(malformed_json_fails_with_status_200) {
  const auto res = post(import_url, "{\"data\":[", json_type, token);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body().starts_with(R"({"error":2,"error_text":"Malformed body)"));
  const auto no_data = post(import_url, R"({"orders":[]})", json_type, token);
  BOOST_TEST(no_data.body() == R"({"error":3,"error_text":"data: required array is missing"})");
}

BOOST_AUTO_TEST_CASE(other_content_types_are_415) {
  BOOST_TEST(post(import_url, "data=1", "application/x-www-form-urlencoded", token).result_int() ==
             415u);
}

BOOST_AUTO_TEST_CASE(get_to_import_is_405) {
  BOOST_TEST(get(import_url, token).result_int() == 405u);
}

BOOST_AUTO_TEST_CASE(xml_import_in_the_seed_form_succeeds) {
  const std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><xml><row><external_id>123456</external_id>)"
      R"(<matching>email</matching><email>johndoe@example.com</email><endpoint>giftcards</endpoint>)"
      R"(<tags>one</tags><tags>two</tags><status>new</status><total_price>1000</total_price>)"
      R"(<currency>RUB</currency><create_time>2020-01-11T16:13:56.814+03:00</create_time>)"
      R"(<custom_fields><number>3048</number></custom_fields><lines><external_id>123456</external_id>)"
      R"(<status>new</status><sku>giftcard</sku><base_price_per_item>1000</base_price_per_item>)"
      R"(<min_price_per_item>1000</min_price_per_item><final_price_per_item>1000</final_price_per_item>)"
      R"(<count>1</count></lines></row></xml>)";
  const auto res = post(import_url, xml, "application/xml", token);
  BOOST_TEST(res.body() == success);
  json_doc stored(get("/market/_sandbox/orders").body());
  BOOST_REQUIRE(stored->size() == 1u);
  const codec::node& o = stored->items()[0];
  BOOST_TEST(o.find("tags")->size() == 2u);
  BOOST_TEST(o.find("lines")->is_array());  // a lone <lines> is still a list
  BOOST_TEST(json_doc::text(o.find("lines")->items()[0], "count") == "1");
}

BOOST_AUTO_TEST_CASE(xml_with_text_xml_type_and_invalid_row_fails_with_its_path) {
  const std::string xml =
      "<xml><row><external_id>1</external_id><email>a@b.c</email><endpoint>e</endpoint>"
      "<status>new</status><total_price>1</total_price><currency>RUB</currency>"
      "<lines><external_id>1</external_id><status>new</status><sku>s</sku>"
      "<base_price_per_item>1</base_price_per_item><min_price_per_item>1</min_price_per_item>"
      "<final_price_per_item>1</final_price_per_item><count>one</count></lines></row></xml>";
  json_doc doc(post(import_url, xml, "text/xml; charset=utf-8", token).body());
  BOOST_TEST(json_doc::text(doc.root, "error_text") ==
             "row[0].lines[0].count: must be a non-negative integer");
}

BOOST_AUTO_TEST_CASE(xml_needs_the_bearer_token) {
  BOOST_TEST(post(import_url, "<xml/>", "application/xml").result_int() == 401u);
  BOOST_TEST(post(import_url, "<xml/>", "application/xml", token).body() == success);
}

BOOST_AUTO_TEST_CASE(malformed_xml_fails_with_status_200) {
  const auto res = post(import_url, "<xml><row>", "application/xml", token);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body().starts_with(R"({"error":2,)"));
  const auto root = post(import_url, "<orders/>", "application/xml", token);
  BOOST_TEST(root.body() == R"({"error":2,"error_text":"Root element must be <xml>"})");
}

BOOST_AUTO_TEST_SUITE_END()
