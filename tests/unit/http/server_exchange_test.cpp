// The server's ordinary exchanges: keep-alive, pipelining, request ids, observer.
#include "support/http_client.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

bool is_hex_id(std::string_view id) {
  return id.size() >= 16 &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_exchange)

BOOST_AUTO_TEST_CASE(answers_with_the_handler_response_and_content_length) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/hello")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200u);
  BOOST_TEST(res->body == "GET /hello ");
  BOOST_TEST(res->header("Content-Length") == "11");
}

BOOST_AUTO_TEST_CASE(keep_alive_connection_serves_several_requests) {
  auto observer = std::make_shared<counting_observer>();
  running_server srv({}, echo_handler(), observer);
  client_connection client(srv.endpoint().port());
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(client.send(make_request("GET", "/n" + std::to_string(i))));
    auto res = client.receive();
    BOOST_REQUIRE(res);
    BOOST_TEST(res->body == "GET /n" + std::to_string(i) + " ");
    BOOST_TEST(res->keep_alive);
  }
  BOOST_TEST(observer->opened.load() == 1);
  BOOST_TEST(srv.srv().open_connections() == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_in_one_write_are_answered_in_order) {
  // The first one is slower: answers must still come in request order.
  auto h = make_handler([](request& req, exchange&) -> asio::awaitable<response> {
    if (req.target() == "/first") {
      asio::steady_timer timer{co_await asio::this_coro::executor, std::chrono::milliseconds(50)};
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return text_response(std::string(req.target()));
  });
  running_server srv({}, h);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/first") + make_request("GET", "/second") +
                            make_request("GET", "/third")));
  for (const char* expected : {"/first", "/second", "/third"}) {
    auto res = client.receive();
    BOOST_REQUIRE(res);
    BOOST_TEST(res->body == expected);
  }
}

BOOST_AUTO_TEST_CASE(request_id_from_the_client_is_passed_to_handler_and_answer) {
  auto h = make_handler([](request&, exchange& ex) -> asio::awaitable<response> {
    co_return text_response(ex.request_id);
  });
  running_server srv({}, h);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/", {}, {{"X-Request-Id", "abc-123"}})));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "abc-123");
  BOOST_TEST(res->header("X-Request-Id") == "abc-123");
}

BOOST_AUTO_TEST_CASE(request_id_is_generated_when_absent) {
  auto h = make_handler([](request& req, exchange& ex) -> asio::awaitable<response> {
    co_return text_response(ex.request_id + "|" + std::string(req["X-Request-Id"]));
  });
  running_server srv({}, h);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/") + make_request("GET", "/")));
  auto first = client.receive();
  auto second = client.receive();
  BOOST_REQUIRE(first && second);
  const std::string id(first->header("X-Request-Id"));
  BOOST_TEST(is_hex_id(id));
  BOOST_TEST(first->body == id + "|" + id);  // the handler sees it on the request too
  BOOST_TEST(second->header("X-Request-Id") != id);
}

BOOST_AUTO_TEST_CASE(unsafe_request_id_is_replaced) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/", {}, {{"X-Request-Id", "has space\"quote"}})));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(is_hex_id(res->header("X-Request-Id")));
}

BOOST_AUTO_TEST_CASE(http10_request_is_answered_then_closed) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("GET /old HTTP/1.0\r\n\r\n"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->version == 10u);
  BOOST_TEST(res->body == "GET /old ");
  BOOST_TEST(!res->header("Content-Length").empty());
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(connection_close_is_honoured) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/", {}, {{"Connection", "close"}})));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(!res->keep_alive);
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(head_answer_has_content_length_and_no_body) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n" + make_request("GET", "/after")));
  auto head = client.receive(5s, true);
  BOOST_REQUIRE(head);
  BOOST_TEST(head->header("Content-Length") == "8");  // "HEAD /x "
  auto next = client.receive();  // the body was not sent: the next answer parses
  BOOST_REQUIRE(next);
  BOOST_TEST(next->body == "GET /after ");
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_an_interim_answer_before_the_body) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(
      "POST /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = client.receive();
  BOOST_REQUIRE(interim);
  BOOST_TEST(interim->status == 100u);
  BOOST_REQUIRE(client.send("hello"));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "POST /up hello");
}

BOOST_AUTO_TEST_CASE(observer_is_told_about_connections_and_exchanges) {
  auto observer = std::make_shared<counting_observer>();
  running_server srv({}, echo_handler(), observer);
  {
    client_connection client(srv.endpoint().port());
    BOOST_REQUIRE(client.send(make_request("GET", "/", {}, {{"X-Request-Id", "obs-1"}})));
    BOOST_REQUIRE(client.receive());
  }
  BOOST_TEST(eventually([&] { return observer->closed.load() == 1; }));
  BOOST_TEST(observer->opened.load() == 1);
  const auto exchanges = observer->snapshot();
  BOOST_REQUIRE(exchanges.size() == 1u);
  BOOST_TEST(exchanges[0].status == 200u);
  BOOST_TEST(exchanges[0].request_id == "obs-1");
  BOOST_TEST(exchanges[0].bytes_in > 0u);
  BOOST_TEST(exchanges[0].bytes_out > 0u);
}

BOOST_AUTO_TEST_CASE(throwing_handler_gets_500_json_and_the_connection_survives) {
  auto h = make_handler([](request& req, exchange&) -> asio::awaitable<response> {
    if (req.target() == "/boom") throw std::runtime_error("handler bug");
    co_return text_response("fine");
  });
  running_server srv({}, h);
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/boom")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 500u);
  BOOST_TEST(res->body.find("\"error\":\"internal_error\"") != std::string::npos);
  BOOST_TEST(res->header("Content-Type") == "application/json");
  BOOST_REQUIRE(client.send(make_request("GET", "/ok")));
  auto next = client.receive();
  BOOST_REQUIRE(next);
  BOOST_TEST(next->body == "fine");
}

BOOST_AUTO_TEST_CASE(set_handler_applies_to_requests_that_start_afterwards) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/a")));
  auto before = client.receive();
  BOOST_REQUIRE(before);
  BOOST_TEST(before->body == "GET /a ");
  srv.srv().set_handler(make_handler([](request&, exchange&) -> asio::awaitable<response> {
    co_return text_response("reloaded");
  }));
  BOOST_REQUIRE(client.send(make_request("GET", "/b")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "reloaded");
}

BOOST_AUTO_TEST_CASE(start_reports_a_port_already_in_use) {
  running_server first;
  asio::io_context ioc;
  server_settings settings;
  settings.listen = first.endpoint();
  server second(ioc, settings, echo_handler());
  auto bound = second.start();
  BOOST_TEST(bound.has_error());
}

BOOST_AUTO_TEST_SUITE_END()
