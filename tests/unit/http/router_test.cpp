// Method and path to handler: 404, 405 with Allow, and HEAD served by the GET handler.
#include "ordergate/http/router.hpp"
#include "support/http_client.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

std::shared_ptr<router> routes() {
  auto r = std::make_shared<router>();
  r->add("GET", "/status", make_handler([](request&, exchange&) -> asio::awaitable<response> {
           co_return text_response("all good");
         }));
  r->add("POST", "/orders", echo_handler());
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(router_dispatch)

BOOST_AUTO_TEST_CASE(head_on_a_get_route_answers_like_get_without_the_body) {
  running_server srv({}, routes());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("HEAD /status HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto res = client.receive(5s, true);
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200u);
  BOOST_TEST(res->header("Content-Length") == "8");
  BOOST_TEST(res->body.empty());
  // Nothing of a body followed: the connection carries the next exchange cleanly.
  BOOST_REQUIRE(client.send("GET /status HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto next = client.receive();
  BOOST_REQUIRE(next);
  BOOST_TEST(next->body == "all good");
}

BOOST_AUTO_TEST_CASE(allow_of_a_get_route_names_head) {
  running_server srv({}, routes());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("DELETE /status HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 405u);
  BOOST_TEST(res->header("Allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(head_on_a_post_only_route_is_405) {
  running_server srv({}, routes());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("HEAD /orders HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto res = client.receive(5s, true);
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 405u);
  BOOST_TEST(res->header("Allow") == "POST");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404) {
  running_server srv({}, routes());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/nothing")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 404u);
}

BOOST_AUTO_TEST_CASE(unknown_path_with_bytes_that_are_not_utf8_gets_a_valid_json_404) {
  running_server srv({}, routes());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET",
                                         "/or\xff\xff"
                                         "der")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 404u);
  BOOST_TEST(res->body ==
             "{\"error\":\"not_found\",\"message\":\"no route for /or\xEF\xBF\xBD\xEF\xBF\xBD"
             "der\"}");
}

BOOST_AUTO_TEST_CASE(a_method_and_path_are_routed_once) {
  auto r = routes();
  BOOST_TEST(!r->add("GET", "/status", echo_handler()));
  BOOST_TEST(r->add("HEAD", "/status", echo_handler()));
  BOOST_TEST(!r->add("HEAD", "/status", echo_handler()));
}

BOOST_AUTO_TEST_SUITE_END()
