#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace sandbox_test;

namespace {

const std::string token = "sandbox-giftcard-token";
const std::string orders = "/giftcard/v1/orders";
const char* json_type = "application/json";

/// Whether `s` has the shape `pattern`: 'd' is a digit, 'h' a lowercase hex digit, 'v'
/// an RFC 4122 variant digit (8, 9, a, b), anything else itself. (std::regex trips
/// GCC 12's maybe-uninitialized warning under the sanitizers.)
bool has_shape(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool digit = c >= '0' && c <= '9';
    switch (pattern[i]) {
      case 'd':
        if (!digit) return false;
        break;
      case 'h':
        if (!digit && !(c >= 'a' && c <= 'f')) return false;
        break;
      case 'v':
        if (std::string_view("89ab").find(c) == std::string_view::npos) return false;
        break;
      default:
        if (c != pattern[i]) return false;
    }
  }
  return true;
}

constexpr std::string_view date_shape = "dddd-dd-ddTdd:dd:dd.dddddd";
constexpr std::string_view uuid_v4_shape = "hhhhhhhh-hhhh-4hhh-vhhh-hhhhhhhhhhhh";

/// The id of the `i`-th order of page `page` of the dataset.
std::string dataset_id(int page, std::size_t i) {
  json_doc doc(read_data("giftcard/orders_page_" + std::to_string(page) + ".json"));
  return json_doc::text(doc->find("data")->items()[i], "id");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(giftcard, vendors_fixture)

BOOST_AUTO_TEST_CASE(pages_are_served_as_the_dataset_files) {
  for (int page = 1; page <= 3; ++page) {
    const auto res = get(orders + "?page=" + std::to_string(page), token);
    BOOST_TEST(res.result_int() == 200u);
    json_doc served(res.body());
    json_doc file(read_data("giftcard/orders_page_" + std::to_string(page) + ".json"));
    BOOST_TEST(codec::equal(served.root, file.root), "page " << page);
  }
  BOOST_TEST(last_route == "giftcard v1/orders");
}

BOOST_AUTO_TEST_CASE(page_defaults_to_1) {
  json_doc doc(get(orders, token).body());
  BOOST_TEST(json_doc::text(doc.root, "currentPage") == "1");
  BOOST_TEST(doc->find("data")->size() == 20u);
  BOOST_TEST(json_doc::text(doc.root, "pageSize") == "20");
}

BOOST_AUTO_TEST_CASE(page_past_the_end_has_empty_data) {
  const auto res = get(orders + "?page=4", token);
  BOOST_TEST(res.body() == R"({"data":[],"totalPages":3,"currentPage":4,"pageSize":20})");
}

BOOST_AUTO_TEST_CASE(bad_page_is_400) {
  for (const char* page : {"0", "-1", "x", "1.5", ""})
    BOOST_TEST(get(orders + "?page=" + page, token).result_int() == 400u, page);
}

BOOST_AUTO_TEST_CASE(wrong_or_missing_token_is_401) {
  BOOST_TEST(get(orders, "wrong").result_int() == 401u);
  BOOST_TEST(get(orders).result_int() == 401u);
  BOOST_TEST(get(orders + "/" + dataset_id(1, 0) + "/status").result_int() == 401u);
}

BOOST_AUTO_TEST_CASE(order_status_is_served) {
  const auto res = get(orders + "/" + dataset_id(1, 0) + "/status", token);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() == R"({"status":"Delivered"})");
}

BOOST_AUTO_TEST_CASE(status_of_unknown_order_is_404) {
  BOOST_TEST(get(orders + "/00000000-0000-4000-8000-000000000000/status", token).result_int() ==
             404u);
}

BOOST_AUTO_TEST_CASE(sandbox_control_changes_a_status) {
  const std::string id = dataset_id(3, 4);
  const auto res =
      post("/giftcard/_sandbox/orders/" + id + "/status", R"({"status":"Delivered"})", json_type);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body() ==
             R"({"id":")" + id + R"(","status":"Delivered","previousStatus":"Created"})");
  BOOST_TEST(get(orders + "/" + id + "/status", token).body() == R"({"status":"Delivered"})");
  json_doc page(get(orders + "?page=3", token).body());
  BOOST_TEST(json_doc::text(page->find("data")->items()[4], "status") == "Delivered");
}

BOOST_AUTO_TEST_CASE(sandbox_control_refuses_bad_status_bodies) {
  const std::string url = "/giftcard/_sandbox/orders/" + dataset_id(1, 0) + "/status";
  BOOST_TEST(post(url, "{}", json_type).result_int() == 400u);
  BOOST_TEST(post(url, R"({"status":1})", json_type).result_int() == 400u);
  BOOST_TEST(post(url, "nope", json_type).result_int() == 400u);
  BOOST_TEST(post("/giftcard/_sandbox/orders/nope/status", R"({"status":"Payed"})", json_type)
                 .result_int() == 404u);
}

BOOST_AUTO_TEST_CASE(sandbox_control_appends_an_order) {
  const auto res =
      post("/giftcard/_sandbox/orders",
           R"({"participantLogin":"new.buyer@example.com","total":1250.5})", json_type);
  BOOST_TEST(res.result_int() == 201u);
  json_doc created(res.body());
  BOOST_TEST(json_doc::text(created.root, "number") == "3046");
  BOOST_TEST(json_doc::text(created.root, "status") == "Created");
  BOOST_TEST(has_shape(json_doc::text(created.root, "createdDate"), date_shape));
  json_doc page(get(orders + "?page=3", token).body());
  BOOST_REQUIRE(page->find("data")->size() == 6u);
  BOOST_TEST(codec::equal(page->find("data")->items()[5], created.root));
}

BOOST_AUTO_TEST_CASE(appended_orders_grow_total_pages) {
  for (int i = 0; i < 16; ++i)
    post("/giftcard/_sandbox/orders", R"({"participantLogin":"a@example.com","total":100})",
         json_type);
  json_doc page(get(orders + "?page=4", token).body());
  BOOST_TEST(json_doc::text(page.root, "totalPages") == "4");
  BOOST_TEST(page->find("data")->size() == 1u);
}

BOOST_AUTO_TEST_CASE(sandbox_append_refuses_bad_orders) {
  const std::string url = "/giftcard/_sandbox/orders";
  BOOST_TEST(post(url, R"({"total":1})", json_type).result_int() == 400u);
  BOOST_TEST(post(url, R"({"participantLogin":"a@b.c"})", json_type).result_int() == 400u);
  BOOST_TEST(post(url, R"({"participantLogin":"a@b.c","total":"1"})", json_type).result_int() ==
             400u);
  BOOST_TEST(
      post(url, R"({"participantLogin":"a@b.c","total":1,"number":"x"})", json_type).result_int() ==
      400u);
  BOOST_TEST(
      post(url, R"({"participantLogin":"a@b.c","total":1,"status":""})", json_type).result_int() ==
      400u);
  const std::string dup =
      R"({"participantLogin":"a@b.c","total":1,"id":")" + dataset_id(1, 0) + "\"}";
  BOOST_TEST(post(url, dup, json_type).result_int() == 409u);
}

BOOST_AUTO_TEST_CASE(dataset_has_the_promised_shape) {
  std::set<std::string> statuses;
  bool whole = false, fraction = false;
  std::size_t count = 0;
  for (int page = 1; page <= 3; ++page) {
    json_doc doc(read_data("giftcard/orders_page_" + std::to_string(page) + ".json"));
    BOOST_TEST(json_doc::text(doc.root, "totalPages") == "3");
    BOOST_TEST(json_doc::text(doc.root, "currentPage") == std::to_string(page));
    for (const codec::node& o : doc->find("data")->items()) {
      ++count;
      statuses.insert(json_doc::text(o, "status"));
      BOOST_TEST(has_shape(json_doc::text(o, "id"), uuid_v4_shape));
      BOOST_TEST(has_shape(json_doc::text(o, "createdDate"), date_shape));
      BOOST_TEST(json_doc::text(o, "participantLogin").find('@') != std::string::npos);
      const std::string total = json_doc::text(o, "total");
      (total.find('.') == std::string::npos ? whole : fraction) = true;
    }
  }
  BOOST_TEST(count == 45u);
  BOOST_TEST(statuses.size() == 7u);
  BOOST_TEST(whole);
  BOOST_TEST(fraction);
}

BOOST_AUTO_TEST_SUITE_END()
