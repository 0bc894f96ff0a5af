#include "sandbox/imshop_api.hpp"
#include "sandbox/reply.hpp"
#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

using namespace sandbox_test;

namespace {

const std::string status_url = "/imshop/status";
const std::string key = "sandbox-imshop-key";
const char* json_type = "application/json";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(imshop, vendors_fixture)

BOOST_AUTO_TEST_CASE(status_call_is_answered_as_imshop_does) {
  const auto res = post(
      status_url,
      R"({"id":"12","code":"shipped","message":"Отправлен","trackingUrl":"https://t.example/1","userId":"79120001122"})",
      json_type, key);
  BOOST_TEST(res.result_int() == 200u);
  const std::string uuid = ordergate::sandbox::name_uuid("imshop-order:12");
  BOOST_TEST(res.body() ==
             R"({"success":true,"internalId":"12","uuid":")" + uuid +
                 R"(","newStatus":"shipped","imshopStatus":"dispatched","message":"Отправлен"})");
  BOOST_TEST(last_route == "imshop status");
}

BOOST_AUTO_TEST_CASE(uuid_is_a_deterministic_version_5_uuid) {
  const std::string a = ordergate::sandbox::name_uuid("imshop-order:12");
  BOOST_TEST(a == ordergate::sandbox::name_uuid("imshop-order:12"));
  BOOST_TEST(a != ordergate::sandbox::name_uuid("imshop-order:13"));
  BOOST_REQUIRE(a.size() == 36u);
  BOOST_TEST(a[14] == '5');
  BOOST_TEST(std::string("89ab").find(a[19]) != std::string::npos);
  // Python: uuid.uuid5(uuid.NAMESPACE_URL, "imshop-order:12")
  BOOST_TEST(a == "a0754324-c500-5d5c-8b67-a1bf5c4d746b");
}

BOOST_AUTO_TEST_CASE(state_codes_map_to_imshop_statuses) {
  using ordergate::sandbox::imshop_status_for;
  BOOST_TEST(imshop_status_for("new") == "placed");
  BOOST_TEST(imshop_status_for("processing") == "processing");
  BOOST_TEST(imshop_status_for("auth") == "processing");
  BOOST_TEST(imshop_status_for("paid") == "processing");
  BOOST_TEST(imshop_status_for("fulfilling") == "ready_to_dispatch");
  BOOST_TEST(imshop_status_for("shipped") == "dispatched");
  BOOST_TEST(imshop_status_for("pickup") == "ready_for_pickup");
  BOOST_TEST(imshop_status_for("completed") == "done");
  BOOST_TEST(imshop_status_for("refunded") == "canceled");
  BOOST_TEST(imshop_status_for("deleted") == "canceled");
  BOOST_TEST(imshop_status_for("custom_state") == "processing");
}

BOOST_AUTO_TEST_CASE(message_is_omitted_when_not_sent) {
  const auto res = post(status_url, R"({"id":"1","code":"new"})", json_type, key);
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res.body().find("\"message\"") == std::string::npos);
  BOOST_TEST(res.body().find(R"("imshopStatus":"placed")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_or_wrong_key_is_401) {
  BOOST_TEST(post(status_url, R"({"id":"1","code":"new"})", json_type).result_int() == 401u);
  BOOST_TEST(post(status_url, R"({"id":"1","code":"new"})", json_type, "nope").result_int() ==
             401u);
  BOOST_TEST(post(status_url, R"({"id":"1","code":"new","key":"sandbox-imshop-key"})", json_type)
                 .result_int() == 401u);
}

BOOST_AUTO_TEST_CASE(malformed_bodies_are_400) {
  for (const char* body :
       {"{", "[]", R"({"code":"new"})", R"({"id":"1"})", R"({"id":"1","code":5})",
        R"({"id":"","code":"new"})", R"({"id":"1","code":"new","message":1})",
        R"({"id":"1","code":"new","trackingUrl":[]})", R"({"id":"1","code":"new","userId":{}})"}) {
    const auto res = post(status_url, body, json_type, key);
    BOOST_TEST(res.result_int() == 400u, body);
    BOOST_TEST(res.body().find("\"error\":\"bad_request\"") != std::string::npos, body);
  }
}

BOOST_AUTO_TEST_CASE(get_to_status_is_405) {
  BOOST_TEST(get(status_url, key).result_int() == 405u);
}

BOOST_AUTO_TEST_CASE(received_calls_are_listed_and_can_be_cleared) {
  BOOST_TEST(get("/imshop/_sandbox/received").body() == "[]");
  post(status_url, R"({"id":"1", "code":"new"})", json_type, key);
  post(status_url, R"({"id":"2","code":"paid"})", json_type, "wrong");
  post(status_url, R"({"id":"3","code":"shipped","message":"Отправлен"})", json_type, key);
  BOOST_TEST(get("/imshop/_sandbox/received").body() ==
             R"([{"id":"1","code":"new"},{"id":"3","code":"shipped","message":"Отправлен"}])");
  http::request clear{http::verb::delete_, "/imshop/_sandbox/received", 11};
  BOOST_TEST(call(std::move(clear)).result_int() == 200u);
  BOOST_TEST(get("/imshop/_sandbox/received").body() == "[]");
}

BOOST_AUTO_TEST_SUITE_END()
