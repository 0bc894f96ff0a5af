// Graceful drain: nothing in flight is dropped, idle connections go, `done` runs once.
#include "support/http_client.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <future>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;
using std::chrono::milliseconds;

namespace {

struct done_signal {
  std::promise<void> promise;
  std::future<void> future = promise.get_future();
  std::atomic<int> calls{0};
  std::function<void()> callback() {
    return [this] {
      if (calls++ == 0) promise.set_value();
    };
  }
  bool wait() { return future.wait_for(std::chrono::seconds(5)) == std::future_status::ready; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(server_drain)

BOOST_AUTO_TEST_CASE(drain_without_connections_calls_done) {
  running_server srv;
  done_signal done;
  srv.srv().drain(milliseconds(0), milliseconds(1000), done.callback());
  BOOST_TEST(done.wait());
  BOOST_TEST(done.calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(in_flight_slow_request_gets_its_answer_with_connection_close) {
  running_server srv({}, slow_handler(milliseconds(300)));
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/slow")));
  BOOST_REQUIRE(eventually([&] { return srv.srv().open_connections() == 1; }));
  done_signal done;
  srv.srv().drain(milliseconds(0), milliseconds(5000), done.callback());
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "slow");
  BOOST_TEST(!res->keep_alive);
  BOOST_TEST(client.wait_closed(5s));
  client.close();  // else the server waits (bounded) for our FIN before it is done
  BOOST_TEST(done.wait());
}

BOOST_AUTO_TEST_CASE(new_connection_during_grace_is_served) {
  running_server srv;
  done_signal done;
  srv.srv().drain(milliseconds(500), milliseconds(1000), done.callback());
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/during-grace")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_TEST(res->body == "GET /during-grace ");
  BOOST_TEST(!res->keep_alive);  // draining: clients are sent elsewhere
  client.close();
  BOOST_TEST(done.wait());
}

BOOST_AUTO_TEST_CASE(idle_keep_alive_connection_is_closed_when_grace_ends) {
  running_server srv;
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/")));
  auto res = client.receive();
  BOOST_REQUIRE(res);
  BOOST_REQUIRE(res->keep_alive);
  done_signal done;
  srv.srv().drain(milliseconds(50), milliseconds(5000), done.callback());
  BOOST_TEST(client.wait_closed(5s));
  BOOST_TEST(done.wait());
  BOOST_TEST(srv.srv().open_connections() == 0u);
}

BOOST_AUTO_TEST_CASE(listener_stops_accepting_after_grace) {
  running_server srv;
  done_signal done;
  srv.srv().drain(milliseconds(0), milliseconds(1000), done.callback());
  BOOST_REQUIRE(done.wait());
  BOOST_REQUIRE(eventually([&] {
    asio::io_context ioc;
    tcp::socket probe(ioc);
    boost::system::error_code ec;
    probe.connect(srv.endpoint(), ec);
    return ec == asio::error::connection_refused;
  }));
}

BOOST_AUTO_TEST_CASE(deadline_cuts_a_stuck_request_and_calls_done) {
  running_server srv({}, slow_handler(milliseconds(60'000)));
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/stuck")));
  BOOST_REQUIRE(eventually([&] { return srv.srv().open_connections() == 1; }));
  done_signal done;
  srv.srv().drain(milliseconds(0), milliseconds(100), done.callback());
  BOOST_TEST(done.wait());
  BOOST_TEST(client.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(second_drain_call_is_also_told_when_done) {
  running_server srv({}, slow_handler(milliseconds(200)));
  client_connection client(srv.endpoint().port());
  BOOST_REQUIRE(client.send(make_request("GET", "/slow")));
  BOOST_REQUIRE(eventually([&] { return srv.srv().open_connections() == 1; }));
  done_signal first;
  done_signal second;
  srv.srv().drain(milliseconds(0), milliseconds(5000), first.callback());
  srv.srv().drain(milliseconds(0), milliseconds(5000), second.callback());
  BOOST_TEST(client.receive().has_value());
  client.close();
  BOOST_TEST(first.wait());
  BOOST_TEST(second.wait());
}

BOOST_AUTO_TEST_SUITE_END()
