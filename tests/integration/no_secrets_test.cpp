// No secret in any answer, log line or metric, even when every vendor echoes the
// request it got (its Authorization header, query and body: the token) back in its
// error text, and under the faults of the matrix. The gateway runs with the test
// credentials of gateway_fixture.hpp (secret::all); docs/reliability.md lists this.

#include "support/fault_checks.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

/// `text` as the inside of a JSON string.
std::string json_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/// Everything the vendor got, as a careless vendor quotes it in an error.
std::string echo_of(const recorded_request& r) {
  std::string text = "you sent " + r.method + " " + r.target + ";";
  for (const auto& field : r.headers)
    text += " " + std::string(field.name_string()) + ": " + std::string(field.value()) + ";";
  return json_escaped(text + " " + r.body);
}

/// Webasyst and the market say "error" and echo the request; Imshop refuses and echoes.
vendor_script echoing(unsigned status, std::string_view error_key, std::string_view text_key) {
  return [=](const recorded_request& r, std::size_t) -> std::optional<vendor_reply> {
    return vendor_reply::json(status, "{\"" + std::string(error_key) + "\":1,\"" +
                                          std::string(text_key) + "\":\"" + echo_of(r) + "\"}");
  };
}

const std::string order_5_info = R"({"id":"5","contact_id":"2","state_id":"shipped",
  "create_datetime":"2024-03-10 15:30:00","total":"1000.0000","params":{},
  "contact":{"id":"2","name":"Иван","email":"ivan@example.com","phone":"+79123456789"},"items":{}})";
constexpr std::string_view one_giftcard_order = R"({"data":[
  {"id":"daba7d94-3416-4937-8b8c-b015007887cb","number":1001,"createdDate":"2020-01-11T16:13:56.814239",
   "status":"Payed","participantLogin":"a@example.com","total":2200}]})";

struct secrets_fixture : gateway_fixture {
  secrets_fixture() : gateway_fixture(this_build()) {}

  /// Sends, checks the answer for secrets, and keeps it for the final sweep.
  std::optional<http_answer> send(std::string_view target, std::string_view body,
                                  header_list headers) {
    auto answer = post(target, body, std::move(headers));
    BOOST_REQUIRE_MESSAGE(answer, "no answer from " << target);
    check_no_secret(answer->body, target);
    for (const auto& field : answer->headers)
      check_no_secret(field.value(), target);
    return answer;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(no_secrets, secrets_fixture)

BOOST_AUTO_TEST_CASE(vendor_errors_that_echo_the_request_carry_no_token_to_the_client) {
  webasyst.set_script(echoing(401, "error", "error_description"));
  const auto history =
      send("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  BOOST_TEST(history->status == 502u);
  // The echo came through, with the token cut out of it.
  BOOST_TEST(history->body.find("[redacted]") != std::string::npos, history->body);
  BOOST_TEST(history->body.find("Authorization: Bearer") != std::string::npos, history->body);

  // The cancel route turns a refusal into a 200 answer quoting the vendor.
  webasyst.set_script(order_in_state("paid", echoing(404, "error", "error_description")));
  const auto cancel = send("/imshop/order-cancel", R"({"uuid":"u-1","internalId":"12"})",
                           bearer(secret::imshop_key));
  BOOST_TEST(cancel->body.find("[redacted]") != std::string::npos, cancel->body);
  send("/imshop/v2/order-cancel", R"({"id":"12","status":"canceled"})", bearer(secret::imshop_key));

  // The status route passes Imshop's answer through.
  webasyst.set_script(always(vendor_reply::json(200, order_5_info)));
  imshop.set_script(echoing(200, "success_code", "message"));
  send("/webasyst/order-status", R"({"id":"5"})", bearer(secret::shop_webhook_key));
  imshop.set_script(echoing(500, "success_code", "message"));
  send("/webasyst/order-status", R"({"id":"5"})", bearer(secret::shop_webhook_key));

  market.set_script(echoing(400, "error", "error_text"));
  const auto import =
      send("/giftcard/market-import", one_giftcard_order, bearer(secret::shop_webhook_key));
  BOOST_TEST(import->status == 502u);
  BOOST_TEST(import->body.find("[redacted]") != std::string::npos, import->body);
  send("/giftcard/market-import?dry_run=1", one_giftcard_order, bearer(secret::shop_webhook_key));

  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(credentials_sent_by_clients_are_not_echoed_or_logged) {
  webasyst.set_script(always(vendor_reply::hang()));
  // A key in the body, a wrong bearer that is another route's key, a token in the query.
  send("/imshop/order-history",
       R"({"userIdentifier":"x","key":")" + std::string(secret::imshop_key) + "\"}", {});
  send("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::webasyst_token));
  send("/giftcard/market-import?token=" + std::string(secret::market_token), R"({"data":[]})",
       bearer(secret::giftcard_token));
  send("/imshop/order-history?key=" + std::string(secret::imshop_key), "{not json",
       bearer(secret::imshop_key));
  BOOST_REQUIRE(access_logged(*this, "/imshop/order-history", 400));
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(transport_faults_show_no_secret) {
  // Garbage that quotes the token, a reset, a close: the messages name the origin only.
  webasyst.set_script(always(
      vendor_reply::garbage("bad token " + std::string(secret::webasyst_token) + "\r\n\r\n")));
  send("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  webasyst.set_script(
      always(vendor_reply::reset_after("HTTP/1.1 401 " + std::string(secret::webasyst_token))));
  send("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  market.set_script(always(vendor_reply::close_without_answer()));
  send("/giftcard/market-import", one_giftcard_order, bearer(secret::shop_webhook_key));
  BOOST_REQUIRE(access_logged(*this, "/giftcard/market-import", 502));
  check_still_serving(*this);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
