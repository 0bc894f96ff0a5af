// What the server answers by itself: limits, malformed input, deadlines, overload.
#include "support/http_client.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

bool has_json_error(const http_answer& res, std::string_view code) {
  return res.header("Content-Type") == "application/json" &&
         res.body.find("\"error\":\"" + std::string(code) + "\"") != std::string::npos &&
         !res.header("Content-Length").empty() && res.headers.count("X-Request-Id") == 1;
}

server_limits small_body_limits() {
  server_limits limits;
  limits.body_bytes = 1000;
  return limits;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_limits_and_errors)

BOOST_AUTO_TEST_CASE(body_over_the_limit_by_content_length_gets_413_and_close) {
  running_server srv(small_body_limits());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 413u);
  BOOST_TEST(has_json_error(*res, "payload_too_large"));
  BOOST_TEST(!res->keep_alive);
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(chunked_body_over_the_limit_gets_413) {
  running_server srv(small_body_limits());
  client_connection client(srv.endpoint().port());
  const std::string chunk(600, 'a');
  std::string raw = "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  raw += "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";  // 0x258 = 600
  BOOST_REQUIRE(client.send(raw));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 413u);
  BOOST_TEST(has_json_error(*res, "payload_too_large"));
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(body_within_the_limit_reaches_the_handler) {
  running_server srv(small_body_limits());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "POST /x hello");
}

BOOST_AUTO_TEST_CASE(headers_over_the_limit_get_400_and_close) {
  server_limits limits;
  limits.header_bytes = 1024;
  running_server srv(limits);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/", {}, {{"X-Big", std::string(4000, 'b')}})));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 400u);
  BOOST_TEST(has_json_error(*res, "bad_request"));
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(malformed_request_gets_400_and_close) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("THIS IS NOT HTTP\r\n\r\n"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 400u);
  BOOST_TEST(has_json_error(*res, "bad_request"));
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(trickling_client_is_cut_off_by_the_request_timeout) {
  server_limits limits;
  limits.request_timeout = std::chrono::milliseconds(200);
  running_server srv(limits);
  client_connection client(srv.endpoint().port());
  // ~4000 bytes at one per 5 ms would take 20 s; the server must give up long before.
  const std::string raw = make_request("GET", "/", {}, {{"X-Slow", std::string(4000, 's')}});
  bool cut_off = false;
  for (char c : raw) {
    if (!client.send(std::string_view(&c, 1))) {
      cut_off = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  BOOST_TEST(cut_off);
}

BOOST_AUTO_TEST_CASE(idle_keep_alive_connection_is_closed_after_the_idle_timeout) {
  server_limits limits;
  limits.idle_timeout = std::chrono::milliseconds(100);
  running_server srv(limits);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/")));
  BOOST_REQUIRE(client.receive());
  BOOST_TEST(client.wait_closed(5s));
  BOOST_TEST(eventually([&] { return srv.srv().open_connections() == 0; }));
}

BOOST_AUTO_TEST_CASE(connection_over_max_connections_gets_one_503_then_close) {
  server_limits limits;
  limits.max_connections = 1;
  running_server srv(limits);
  client_connection first(srv.endpoint().port());
  BOOST_REQUIRE(first.send(make_request("GET", "/")));
  BOOST_REQUIRE(first.receive());  // the first connection now surely holds the only slot

  client_connection second(srv.endpoint().port());
  BOOST_REQUIRE(second.send(make_request("GET", "/")));
  auto res = second.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 503u);
  BOOST_TEST(has_json_error(*res, "unavailable"));
  BOOST_TEST(!res->keep_alive);
  BOOST_TEST(second.wait_closed(5s));

  BOOST_REQUIRE(first.send(make_request("GET", "/still")));  // the admitted one is unaffected
  auto again = first.receive();
  BOOST_REQUIRE(again);
  BOOST_TEST(again->status == 200u);
}

BOOST_AUTO_TEST_SUITE_END()
