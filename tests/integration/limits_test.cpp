// Inbound limits of the real gateway: body and header sizes, and deadlines that cut
// off clients which trickle bytes or hold a connection without sending anything.
// The limits are set small through the environment; nothing here measures time: the
// tests only wait (generously) for the gateway to act.

#include "support/gateway_fixture.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace ordergate::testing {
namespace {

struct limits_fixture : gateway_fixture {
  limits_fixture()
      : gateway_fixture(this_build(), with_env({{"ORDERGATE_MAX_BODY_BYTES", "1024"},
                                                {"ORDERGATE_MAX_HEADER_BYTES", "1024"},
                                                {"ORDERGATE_REQUEST_TIMEOUT_SECONDS", "1"},
                                                {"ORDERGATE_IDLE_TIMEOUT_SECONDS", "1"}})) {}
};

std::string history_request(std::string_view body) {
  return post_json("/imshop/order-history", body, bearer(secret::imshop_key));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(inbound_limits, limits_fixture)

BOOST_AUTO_TEST_CASE(a_body_over_the_limit_is_a_413_and_the_connection_closes) {
  const std::string body = R"({"userIdentifier":"2","padding":")" + std::string(2000, 'x') + "\"}";
  client_connection client(port());
  BOOST_REQUIRE(client.send(history_request(body)));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 413u);
  BOOST_TEST(json_field(answer->body, "error") == "payload_too_large");
  BOOST_TEST(!answer->keep_alive);
  BOOST_TEST(client.wait_closed());
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_chunked_body_over_the_limit_is_a_413) {
  const std::string chunk(1500, ' ');
  std::string raw =
      "POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  raw += size + chunk + "\r\n0\r\n\r\n";
  const auto answer = round_trip(port(), raw);
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 413u);
}

BOOST_AUTO_TEST_CASE(a_body_at_the_limit_is_read) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[]})")));
  std::string body = R"({"userIdentifier":"2"})";
  body.append(1024 - body.size(), ' ');
  const auto answer = round_trip(port(), history_request(body));
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
}

BOOST_AUTO_TEST_CASE(a_header_block_over_the_limit_is_a_400_and_the_connection_closes) {
  client_connection client(port());
  BOOST_REQUIRE(
      client.send(make_request("GET", "/healthz", {}, {{"X-Padding", std::string(2000, 'p')}})));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(client.wait_closed());
}

BOOST_AUTO_TEST_CASE(a_header_block_over_the_limit_in_one_write_is_a_400) {
  // A long target and a long header line, each under the 1024-byte limit, together over it.
  client_connection client(port());
  BOOST_REQUIRE(client.send(make_request("GET", "/healthz?" + std::string(700, 'q'), {},
                                         {{"X-Padding", std::string(700, 'p')}})));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
  BOOST_TEST(client.wait_closed());
}

BOOST_AUTO_TEST_CASE(malformed_http_is_a_400) {
  const auto answer = round_trip(port(), "THIS IS NOT HTTP\r\n\r\n");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 400u);
  BOOST_TEST(json_field(answer->body, "error") == "bad_request");
}

BOOST_AUTO_TEST_CASE(a_client_trickling_a_request_is_cut_off) {
  client_connection client(port());
  BOOST_REQUIRE(client.send("POST /imshop/order-history HTTP/1.1\r\nHost: t\r\n"));
  // One header byte at a time, each well inside the idle timeout: only the whole-request
  // deadline can end this. Give up (and fail) after far longer than that deadline.
  bool cut = false;
  for (int i = 0; i < 300 && !cut; ++i) {
    if (!client.send(i % 2 ? "a" : "X")) {
      cut = true;
      break;
    }
    cut = client.wait_closed(100ms);
  }
  BOOST_TEST(cut);
}

BOOST_AUTO_TEST_CASE(a_client_trickling_a_body_is_cut_off) {
  client_connection client(port());
  BOOST_REQUIRE(
      client.send("POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: "
                  "application/json\r\nContent-Length: 1000\r\n\r\n"));
  bool cut = false;
  for (int i = 0; i < 300 && !cut; ++i) {
    if (!client.send(" ")) {
      cut = true;
      break;
    }
    cut = client.wait_closed(100ms);
  }
  BOOST_TEST(cut);
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_idle_connection_is_closed) {
  client_connection client(port());
  BOOST_TEST(client.wait_closed(20s));
}

BOOST_AUTO_TEST_CASE(an_idle_keep_alive_connection_is_closed_after_its_answer) {
  client_connection client(port());
  BOOST_REQUIRE(client.send(make_request("GET", "/healthz")));
  const auto answer = client.receive();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(answer->keep_alive);
  BOOST_TEST(client.wait_closed(20s));
}

BOOST_AUTO_TEST_CASE(the_gateway_still_serves_after_all_that) {
  { client_connection idle(port()); }
  round_trip(port(), "GARBAGE\r\n\r\n");
  const auto answer = get("/healthz");
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
