// Connection handling of the real gateway: keep-alive, pipelining (answers come back
// in request order even when the first one waits on a vendor), and closing when the
// client asks for it.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

struct connections_fixture : gateway_fixture {
  connections_fixture() : gateway_fixture(this_build()) {}
};

std::string get_with_id(std::string_view target, std::string id) {
  return make_request("GET", target, {}, {{"X-Request-Id", std::move(id)}});
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(connections, connections_fixture)

BOOST_AUTO_TEST_CASE(one_connection_serves_requests_one_after_another) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})")));
  client_connection client(port());
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(client.send(post_json("/imshop/order-history", R"({"userIdentifier":"2"})",
                                        bearer(secret::imshop_key))));
    const auto answer = client.receive();
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200u);
    BOOST_TEST(answer->keep_alive);
  }
  BOOST_TEST(webasyst.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  client_connection client(port());
  BOOST_REQUIRE(client.send(get_with_id("/healthz", "pipe-1") +
                            get_with_id("/no-such-path", "pipe-2") +
                            get_with_id("/readyz", "pipe-3")));
  const auto first = client.receive();
  const auto second = client.receive();
  const auto third = client.receive();
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(second);
  BOOST_REQUIRE(third);
  BOOST_TEST(first->header("X-Request-Id") == "pipe-1");
  BOOST_TEST(first->status == 200u);
  BOOST_TEST(second->header("X-Request-Id") == "pipe-2");
  BOOST_TEST(second->status == 404u);
  BOOST_TEST(third->header("X-Request-Id") == "pipe-3");
  BOOST_TEST(third->status == 200u);
}

BOOST_AUTO_TEST_CASE(a_pipelined_request_waits_behind_a_slow_vendor_call) {
  webasyst.set_script(always([] {
    auto reply = vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})");
    reply.held = true;
    return reply;
  }()));
  client_connection client(port());
  const std::string history = post_json(
      "/imshop/order-history", R"({"userIdentifier":"2"})",
      {{"Authorization", "Bearer " + std::string(secret::imshop_key)}, {"X-Request-Id", "slow-1"}});
  BOOST_REQUIRE(client.send(history + get_with_id("/healthz", "fast-2")));
  BOOST_REQUIRE(webasyst.wait_for_requests(1));
  webasyst.release_held();
  const auto first = client.receive();
  const auto second = client.receive();
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(second);
  BOOST_TEST(first->header("X-Request-Id") == "slow-1");
  BOOST_TEST(canonical_json(first->body) == canonical_json(R"({"orders":[]})"));
  BOOST_TEST(second->header("X-Request-Id") == "fast-2");
  BOOST_TEST(canonical_json(second->body) == canonical_json(R"({"status":"ok"})"));
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_a_continue_before_the_body) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})")));
  const std::string body = R"({"userIdentifier":"2"})";
  client_connection client(port());
  BOOST_REQUIRE(client.send(
      "POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      std::string(secret::imshop_key) +
      "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  const auto go_on = client.receive();
  BOOST_REQUIRE(go_on);
  BOOST_TEST(go_on->status == 100u);
  BOOST_REQUIRE(client.send(body));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(webasyst.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(connection_close_is_honoured) {
  client_connection client(port());
  BOOST_REQUIRE(client.send(make_request("GET", "/healthz", {}, {{"Connection", "close"}})));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(!answer->keep_alive);
  BOOST_TEST(client.wait_closed());
}

BOOST_AUTO_TEST_CASE(an_http_1_0_request_gets_a_1_0_answer_and_a_close) {
  client_connection client(port());
  BOOST_REQUIRE(client.send("GET /healthz HTTP/1.0\r\n\r\n"));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(client.wait_closed());
}

BOOST_AUTO_TEST_CASE(head_gets_headers_without_a_body) {
  client_connection client(port());
  BOOST_REQUIRE(client.send(make_request("HEAD", "/healthz")));
  const auto answer = client.receive(20s, true);
  BOOST_REQUIRE(answer);
  // HEAD is GET without the body (RFC 9110 9.3.2): the GET answer's status and length.
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(answer->header("Content-Length") ==
             std::to_string(std::string_view(R"({"status":"ok"})").size()));
  BOOST_TEST(answer->body.empty());
  // The connection is still usable: no stray body bytes were sent.
  BOOST_REQUIRE(client.send(make_request("GET", "/healthz")));
  const auto next = client.receive();
  BOOST_REQUIRE(next);
  BOOST_TEST(next->status == 200u);
}

BOOST_AUTO_TEST_CASE(an_absolute_form_target_is_served_like_its_path) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})")));
  const auto answer =
      round_trip(port(), post_json("http://gateway.example/imshop/order-history",
                                   R"({"userIdentifier":"2"})", bearer(secret::imshop_key)));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u, answer->body);
  BOOST_TEST(webasyst.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(an_http_1_1_request_without_host_is_a_400) {
  client_connection client(port());
  BOOST_REQUIRE(client.send("GET /healthz HTTP/1.1\r\n\r\n"));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(client.wait_closed());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
