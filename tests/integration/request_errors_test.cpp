// Requests the gateway refuses before any vendor is called: wrong credentials (bearer
// and body key), unknown paths, wrong methods, non-JSON bodies, and routes whose
// vendor variables are not set. Every refusal is a JSON error answer.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

struct errors_fixture : gateway_fixture {
  errors_fixture() : gateway_fixture(this_build()) {}
};

const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(refusals, errors_fixture)

BOOST_AUTO_TEST_CASE(a_wrong_bearer_token_is_a_401_and_calls_nobody) {
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer("not-the-key"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
  BOOST_TEST(answer->header("Content-Type").find("application/json") == 0u);
  BOOST_TEST(json_field(answer->body, "error") == "unauthorized");
  BOOST_TEST(!json_field(answer->body, "message").empty());
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(no_credentials_at_all_is_a_401) {
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"2"})");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
  BOOST_TEST(json_field(answer->body, "error") == "unauthorized");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_wrong_key_in_the_body_is_a_401) {
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2","key":"not-the-key"})");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
  BOOST_TEST(json_field(answer->body, "error") == "unauthorized");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_malformed_body_without_a_bearer_is_a_401_not_a_400) {
  // Without a valid bearer the body is only read for its key: unauthenticated callers
  // learn nothing about the body's shape.
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":)");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
}

BOOST_AUTO_TEST_CASE(a_body_key_does_not_open_a_bearer_only_route) {
  const auto answer = post("/giftcard/market-import",
                           R"({"data":[],"key":")" + std::string(secret::shop_webhook_key) + "\"}");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 401u);
  BOOST_TEST(json_field(answer->body, "error") == "unauthorized");
}

BOOST_AUTO_TEST_CASE(a_bearer_scheme_is_case_insensitive) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer = post("/imshop/order-history", R"({"userIdentifier":"2"})",
                           {{"Authorization", "bearer " + std::string(secret::imshop_key)}});
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
}

BOOST_AUTO_TEST_CASE(an_unknown_path_is_a_404) {
  const auto answer = get("/imshop/nothing-here?x=1");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 404u);
  BOOST_TEST(answer->header("Content-Type").find("application/json") == 0u);
  BOOST_TEST(json_field(answer->body, "error") == "not_found");
}

BOOST_AUTO_TEST_CASE(a_wrong_method_is_a_405_with_allow) {
  const auto answer = get("/imshop/order-history", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 405u);
  BOOST_TEST(answer->header("Allow") == "POST");
  BOOST_TEST(json_field(answer->body, "error") == "method_not_allowed");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_post_to_an_ops_endpoint_is_a_405_with_allow_get_and_head) {
  const auto answer = round_trip(port(), make_request("POST", "/healthz"));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 405u);
  BOOST_TEST(answer->header("Allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(a_non_json_content_type_is_a_415) {
  const auto answer = round_trip(
      port(), make_request("POST", "/imshop/order-history", "userIdentifier=2",
                           {{"Authorization", "Bearer " + std::string(secret::imshop_key)},
                            {"Content-Type", "application/x-www-form-urlencoded"}}));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 415u);
  BOOST_TEST(json_field(answer->body, "error") == "unsupported_media_type");
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_body_without_content_type_is_read_as_json) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer =
      round_trip(port(), make_request("POST", "/imshop/order-history", R"({"userIdentifier":"2"})",
                                      bearer(secret::imshop_key)));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(webasyst.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(json_with_a_charset_is_json) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer = round_trip(
      port(), make_request("POST", "/imshop/order-history", R"({"userIdentifier":"2"})",
                           {{"Authorization", "Bearer " + std::string(secret::imshop_key)},
                            {"Content-Type", "application/json; charset=utf-8"}}));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
}

BOOST_AUTO_TEST_SUITE_END()

struct market_unset_fixture : gateway_fixture {
  market_unset_fixture() : gateway_fixture(this_build(), without({"MARKET_URL"})) {}
};

BOOST_FIXTURE_TEST_SUITE(missing_configuration, market_unset_fixture)

BOOST_AUTO_TEST_CASE(a_route_without_its_vendor_url_answers_503_naming_the_variable) {
  const auto answer =
      post("/giftcard/market-import", R"({"data":[]})", bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 503u);
  BOOST_TEST(json_field(answer->body, "error") == "unavailable");
  BOOST_TEST(json_field(answer->body, "message").find("MARKET_URL") != std::string::npos);
  BOOST_TEST(market.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(the_other_routes_keep_working) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer =
      post("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  const auto ready = get("/readyz");
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->status == 200u);
}

BOOST_AUTO_TEST_CASE(the_unconfigured_route_is_logged_at_start) {
  const auto line = gateway->wait_for_line([](std::string_view l) {
    return is_event(l, "route_not_configured") &&
           l.find("/giftcard/market-import") != std::string_view::npos;
  });
  BOOST_REQUIRE(line);
  BOOST_TEST(line->find("MARKET_URL") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
