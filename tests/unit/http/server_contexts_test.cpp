// Connections spread over io_contexts of one thread each (server_settings::
// connection_contexts), as `ordergate serve` runs with more than one thread.
#include "support/http_client.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <future>
#include <string>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;
using std::chrono::milliseconds;

namespace {

/// Answers which io_context runs the request (its address) and whether this thread is
/// the one running it: "<address> <yes|no>"; after `delay`, if any.
std::shared_ptr<handler> where_handler(milliseconds delay = milliseconds(0)) {
  return make_handler([delay](request&, exchange&) -> asio::awaitable<response> {
    const auto executor = co_await asio::this_coro::executor;
    if (delay.count() > 0) {
      asio::steady_timer timer{executor, delay};
      co_await timer.async_wait(asio::use_awaitable);
    }
    // The io_context's own executor, not a strand over it.
    const auto* io = executor.target<asio::io_context::executor_type>();
    if (!io) co_return text_response("not an io_context's executor");
    co_return text_response(std::to_string(reinterpret_cast<std::uintptr_t>(&io->context())) +
                            (io->running_in_this_thread() ? " yes" : " no"));
  });
}

std::string where(asio::io_context& context) {
  return std::to_string(reinterpret_cast<std::uintptr_t>(&context)) + " yes";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_contexts)

BOOST_AUTO_TEST_CASE(connections_go_to_the_contexts_in_turn_and_stay_there) {
  running_server srv({}, where_handler(), nullptr, 2);
  std::vector<std::unique_ptr<client_connection>> clients;
  for (std::size_t i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<client_connection>(srv.endpoint().port()));
    BOOST_REQUIRE(clients.back()->send(make_request("GET", "/")));
    const auto res = clients.back()->receive();
    BOOST_REQUIRE(res);
    BOOST_TEST(res->body == where(srv.connection_context(i % 2)));
  }
  // A keep-alive connection's later requests run where its first one did.
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_REQUIRE(clients[i]->send(make_request("GET", "/again")));
    const auto res = clients[i]->receive();
    BOOST_REQUIRE(res);
    BOOST_TEST(res->body == where(srv.connection_context(i % 2)));
  }
  BOOST_TEST(srv.srv().open_connections() == 4u);
}

BOOST_AUTO_TEST_CASE(drain_waits_for_requests_in_flight_on_every_context) {
  running_server srv({}, where_handler(milliseconds(300)), nullptr, 2);
  client_connection first(srv.endpoint().port());
  client_connection second(srv.endpoint().port());
  BOOST_REQUIRE(first.send(make_request("GET", "/slow")));
  BOOST_REQUIRE(second.send(make_request("GET", "/slow")));
  BOOST_REQUIRE(eventually([&] { return srv.srv().open_connections() == 2; }));
  std::promise<void> done;
  srv.srv().drain(milliseconds(0), milliseconds(5000), [&done] { done.set_value(); });
  for (auto* client : {&first, &second}) {
    const auto res = client->receive();
    BOOST_REQUIRE(res);
    BOOST_TEST(!res->keep_alive);
    BOOST_TEST(client->wait_closed(5s));
    client->close();
  }
  BOOST_TEST((done.get_future().wait_for(5s) == std::future_status::ready));
  BOOST_TEST(srv.srv().open_connections() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
