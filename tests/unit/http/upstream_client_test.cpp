// The upstream client's exchanges and failures against fake vendors on 127.0.0.1.
#include "support/fake_vendor.hpp"
#include "unit/http/client_harness.hpp"
#include "unit/http/server_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>
#include <vector>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

vendor_script plain(unsigned status, std::string body) {
  return always(
      vendor_reply::raw_answer(answer_bytes(status, body, "Content-Type: text/plain\r\n")));
}

/// A script from a function of the request's index alone.
vendor_script by_index(std::function<vendor_reply(std::size_t)> reply) {
  return [reply](const recorded_request&, std::size_t index) {
    return std::optional<vendor_reply>(reply(index));
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upstream_client_calls)

BOOST_AUTO_TEST_CASE(get_returns_status_headers_and_body) {
  fake_vendor fake(plain(200, "hello"));
  client_harness harness;
  auto result = harness.call(local_request(fake.port(), "/base/orders?page=2&x=a%20b"));
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 200u);
  BOOST_TEST(result->body.view() == "hello");
  BOOST_TEST(result->headers[beast::http::field::content_type] == "text/plain");
  BOOST_TEST(result->attempts == 1u);
  BOOST_TEST(result->elapsed.count() > 0);
  const auto seen = fake.last_request();
  BOOST_TEST(seen.target == "/base/orders?page=2&x=a%20b");
  BOOST_TEST(seen.header("Host") == "127.0.0.1:" + std::to_string(fake.port()));
  BOOST_TEST(seen.header("User-Agent") == "ordergate/0.1");
  BOOST_TEST(seen.keep_alive);
}

// The answer's body is appended as it arrives, in as many reads as the socket gives:
// 300 KB of every byte value, framed by length, in 1,000-byte chunks, and by the close,
// must come back byte for byte, with the answer's header fields.
BOOST_AUTO_TEST_CASE(a_large_answer_is_read_whole_however_it_is_framed) {
  std::string body;
  for (std::size_t i = 0; body.size() < 300'000; ++i)
    body += static_cast<char>((i * 7 + i / 256) % 256);
  std::string chunked;
  for (std::size_t at = 0; at < body.size(); at += 1000) {
    const std::string piece = body.substr(at, 1000);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    chunked += size + piece + "\r\n";
  }
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Vendor: v1\r\n";
  const std::vector<vendor_reply> framings = {
      vendor_reply::raw_answer(head + "Content-Length: " + std::to_string(body.size()) +
                               "\r\n\r\n" + body),
      vendor_reply::raw_answer(head + "Transfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n"),
      vendor_reply::raw_http(head + "Connection: close\r\n\r\n" + body),
  };
  for (std::size_t i = 0; i < framings.size(); ++i) {
    fake_vendor fake(always(framings[i]));
    client_harness harness;
    auto result = harness.call(local_request(fake.port()));
    BOOST_TEST_CONTEXT("framing " << i) {
      BOOST_REQUIRE(result.has_value());
      BOOST_TEST(result->status == 200u);
      BOOST_TEST((result->body.view() == body));
      BOOST_TEST(result->headers[beast::http::field::content_type] == "application/octet-stream");
      BOOST_TEST(result->headers["X-Vendor"] == "v1");
    }
  }
}

BOOST_AUTO_TEST_CASE(post_sends_body_content_length_and_caller_headers) {
  fake_vendor fake(plain(201, "{}"));
  client_harness harness;
  auto req = local_request(fake.port(), "/import", verb::post);
  req.headers.set(beast::http::field::authorization, "Bearer t0ken");
  req.headers.set(beast::http::field::content_type, "application/json");
  req.headers.set("X-Request-Id", "rid-1");
  req.body = R"({"a":1})";
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 201u);
  const auto seen = fake.last_request();
  BOOST_TEST(seen.method == "POST");
  BOOST_TEST(seen.body == R"({"a":1})");
  BOOST_TEST(seen.header("Content-Length") == "7");
  BOOST_TEST(seen.header("Authorization") == "Bearer t0ken");
  BOOST_TEST(seen.header("Content-Type") == "application/json");
  BOOST_TEST(seen.header("X-Request-Id") == "rid-1");
}

BOOST_AUTO_TEST_CASE(keep_alive_connection_is_reused_for_later_calls) {
  fake_vendor fake(plain(200, "ok"));
  client_harness harness;
  for (int i = 0; i < 3; ++i) {
    auto result = harness.call(local_request(fake.port()));
    BOOST_REQUIRE(result.has_value());
  }
  BOOST_TEST(fake.request_count() == 3u);
  BOOST_TEST(fake.connections() == 1u);
}

// As `ordergate serve` runs with more than one thread: io_contexts of one thread each,
// callers on each. A pooled connection belongs to the io_context that made it.
BOOST_AUTO_TEST_CASE(a_caller_reuses_only_connections_of_its_own_io_context) {
  std::signal(SIGPIPE, SIG_IGN);
  fake_vendor fake(plain(200, "ok"));
  asio::io_context a{1};
  asio::io_context b{1};
  std::vector<std::thread> threads;
  for (auto* context : {&a, &b}) {
    threads.emplace_back([context] {
      const auto work = asio::make_work_guard(*context);
      context->run();
    });
  }
  upstream_client_settings settings;
  settings.single_thread = true;
  std::optional<upstream_client> client;
  client.emplace(a.get_executor(), settings);
  auto call_on = [&](asio::io_context& context) {
    auto future =
        asio::co_spawn(context, client->call(local_request(fake.port())), asio::use_future);
    BOOST_REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return future.get().has_value();
  };
  BOOST_TEST(call_on(a));
  BOOST_TEST(call_on(a));
  BOOST_TEST(fake.connections() == 1u);
  BOOST_TEST(call_on(b));  // a's idle connection is not b's to use
  BOOST_TEST(fake.connections() == 2u);
  BOOST_TEST(call_on(a));
  BOOST_TEST(call_on(b));
  BOOST_TEST(fake.connections() == 2u);
  BOOST_TEST(fake.request_count() == 5u);
  client.reset();
  a.stop();
  b.stop();
  for (auto& t : threads)
    t.join();
}

BOOST_AUTO_TEST_CASE(answer_with_connection_close_is_not_reused) {
  fake_vendor fake(
      always(vendor_reply::raw_http(answer_bytes(200, "ok", "Connection: close\r\n"))));
  client_harness harness;
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  BOOST_TEST(fake.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(head_answer_has_no_body_and_keeps_the_connection) {
  fake_vendor fake(
      always(vendor_reply::raw_answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")));
  client_harness harness;
  auto head = harness.call(local_request(fake.port(), "/", verb::head));
  BOOST_REQUIRE(head.has_value());
  BOOST_TEST(head->body.empty());
  BOOST_REQUIRE(harness.call(local_request(fake.port(), "/", verb::head)).has_value());
  BOOST_TEST(fake.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(refused_connection_is_connect_failed) {
  client_harness harness;
  auto result = harness.call(local_request(refusing_port()));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) ==
             static_cast<int>(upstream_errc::connect_failed));
  BOOST_TEST(!result.error().request_sent);
  BOOST_TEST(result.error().message.find("fake: ") == 0u);
}

BOOST_AUTO_TEST_CASE(unanswered_request_is_timeout) {
  fake_vendor fake(always(vendor_reply::hang()));
  client_harness harness;
  auto req = local_request(fake.port());
  req.timeout = std::chrono::milliseconds(100);
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::timeout));
  BOOST_TEST(result.error().request_sent);
}

BOOST_AUTO_TEST_CASE(garbage_answer_is_bad_answer) {
  fake_vendor fake(always(vendor_reply::garbage("SSH-2.0-OpenSSH_9.2\r\n\r\n")));
  client_harness harness;
  auto result = harness.call(local_request(fake.port()));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::bad_answer));
}

BOOST_AUTO_TEST_CASE(answer_cut_in_the_middle_is_bad_answer) {
  fake_vendor fake(
      always(vendor_reply::raw_http("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part")));
  client_harness harness;
  auto result = harness.call(local_request(fake.port()));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::bad_answer));
}

BOOST_AUTO_TEST_CASE(connection_closed_before_any_answer_is_connect_failed) {
  fake_vendor fake(always(vendor_reply::close_without_answer()));
  client_harness harness;
  auto result = harness.call(local_request(fake.port(), "/", verb::post));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) ==
             static_cast<int>(upstream_errc::connect_failed));
  BOOST_TEST(result.error().request_sent);
}

BOOST_AUTO_TEST_CASE(answer_over_max_answer_bytes_is_too_large) {
  fake_vendor fake(plain(200, std::string(5000, 'x')));
  client_harness harness;
  auto req = local_request(fake.port());
  req.max_answer_bytes = 1000;
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::too_large));
}

BOOST_AUTO_TEST_CASE(dead_pooled_connection_is_not_used_for_a_post) {
  // The first answer says keep-alive, then the upstream hangs up anyway.
  fake_vendor fake(by_index([](std::size_t index) {
    return index == 0 ? vendor_reply::raw_http(answer_bytes(200, "ok"))
                      : vendor_reply::raw_answer(answer_bytes(200, "ok"));
  }));
  client_harness harness;
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  BOOST_REQUIRE(eventually([&] { return fake.closed_connections() == 1; }));
  auto post = local_request(fake.port(), "/action", verb::post);
  post.body = "id=1";
  auto result = harness.call(post);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 200u);
  BOOST_TEST(result->attempts == 1u);
  BOOST_TEST(fake.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(interim_answers_before_the_answer_are_skipped) {
  fake_vendor fake(always(
      vendor_reply::raw_answer("HTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
                               answer_bytes(200, "ok", "X-Final: yes\r\n"))));
  client_harness harness;
  for (int i = 0; i < 2; ++i) {
    auto result = harness.call(local_request(fake.port(), "/", verb::post));
    BOOST_REQUIRE(result.has_value());
    BOOST_TEST(result->status == 200u);
    BOOST_TEST(result->body.view() == "ok");
    BOOST_TEST(result->headers["X-Final"] == "yes");
    BOOST_TEST(result->headers.count("Link") == 0u);
  }
  BOOST_TEST(fake.connections() == 1u);  // the connection stayed clean and was reused
}

BOOST_AUTO_TEST_CASE(endless_interim_answers_are_a_bad_answer) {
  std::string interim;
  for (int i = 0; i < 50; ++i)
    interim += "HTTP/1.1 100 Continue\r\n\r\n";
  fake_vendor fake(always(vendor_reply::raw_answer(interim)));
  client_harness harness;
  auto result = harness.call(local_request(fake.port()));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::bad_answer));
}

BOOST_AUTO_TEST_CASE(switching_protocols_unasked_is_a_bad_answer) {
  fake_vendor fake(
      always(vendor_reply::raw_answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")));
  client_harness harness;
  auto result = harness.call(local_request(fake.port()));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(upstream_errc::bad_answer));
}

BOOST_AUTO_TEST_CASE(post_on_a_pooled_connection_reset_unread_is_sent_again_at_once) {
  // The vendor keeps the connection alive, then closes it without reading the next
  // request (its keep-alive timer fired): the kernel resets it, and the vendor never
  // saw the request, so it goes again on a new connection, without a backoff.
  vendor_reply reply = vendor_reply::raw_answer(answer_bytes(200, "ok"));
  reply.close_unread_next = true;
  fake_vendor fake(always(reply));
  client_harness harness;
  for (int i = 0; i < 3; ++i) {
    auto post = local_request(fake.port(), "/action", verb::post);
    post.body = "id=" + std::to_string(i);
    post.backoff_base = std::chrono::hours(1);  // a retry with backoff would hang the test
    auto result = harness.call(post);
    BOOST_REQUIRE(result.has_value());
    BOOST_TEST(result->status == 200u);
    BOOST_TEST(result->attempts == 1u);
  }
  BOOST_TEST(fake.request_count() == 3u);  // the vendor read each request once
  BOOST_TEST(fake.connections() == 3u);
}

BOOST_AUTO_TEST_CASE(get_on_a_pooled_connection_closed_without_answer_is_sent_again_at_once) {
  fake_vendor fake(by_index([](std::size_t index) {
    // The second request arrives on the kept-alive connection: closed, unanswered.
    return index == 1 ? vendor_reply::close_without_answer()
                      : vendor_reply::raw_answer(answer_bytes(200, "ok"));
  }));
  client_harness harness;
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  auto get = local_request(fake.port());
  get.backoff_base = std::chrono::hours(1);
  auto result = harness.call(get);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 200u);
  BOOST_TEST(result->attempts == 1u);
  BOOST_TEST(fake.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(post_on_a_pooled_connection_closed_after_reading_is_not_sent_again) {
  // The vendor read the request before it closed: it may have acted on it.
  fake_vendor fake(by_index([](std::size_t index) {
    return index == 1 ? vendor_reply::close_without_answer()
                      : vendor_reply::raw_answer(answer_bytes(200, "ok"));
  }));
  client_harness harness;
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  auto result = harness.call(local_request(fake.port(), "/action", verb::post));
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(static_cast<int>(result.error().code) ==
             static_cast<int>(upstream_errc::connect_failed));
  BOOST_TEST(fake.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(keep_alive_timeout_of_the_answer_bounds_the_reuse) {
  // "Keep-Alive: timeout=1": the vendor closes the connection within a second, so
  // reusing it would race with that close; "timeout=60" leaves time to reuse it.
  fake_vendor fake(by_index([](std::size_t index) {
    return vendor_reply::raw_answer(answer_bytes(
        200, "ok",
        index < 2 ? "Keep-Alive: timeout=1\r\n" : "Keep-Alive: timeout=60, max=100\r\n"));
  }));
  client_harness harness;
  for (int i = 0; i < 4; ++i)
    BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  BOOST_TEST(fake.connections() == 3u);
}

BOOST_AUTO_TEST_CASE(pooled_connection_is_closed_after_idle_timeout) {
  fake_vendor fake(plain(200, "ok"));
  upstream_client_settings settings;
  settings.idle_timeout = std::chrono::milliseconds(50);
  client_harness harness(settings);
  BOOST_REQUIRE(harness.call(local_request(fake.port())).has_value());
  BOOST_TEST(eventually([&] { return fake.closed_connections() == 1; }));
}

BOOST_AUTO_TEST_CASE(url_that_is_not_http_fails_without_sending) {
  client_harness harness;
  auto req = local_request(1);
  req.url = boost::urls::url("ftp://127.0.0.1/file");
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_error());
  BOOST_TEST(!result.error().request_sent);
}

BOOST_AUTO_TEST_CASE(failure_messages_carry_no_query_string_or_header_values) {
  fake_vendor fake(always(vendor_reply::garbage("garbage\r\n\r\n")));
  client_harness harness;
  for (const unsigned short port : {refusing_port(), fake.port()}) {
    auto req = local_request(port, "/path?access_token=SECRET1");
    req.headers.set(beast::http::field::authorization, "Bearer SECRET2");
    auto result = harness.call(req);
    BOOST_REQUIRE(result.has_error());
    BOOST_TEST(result.error().message.find("SECRET") == std::string::npos);
    BOOST_TEST(result.error().message.find("access_token") == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
