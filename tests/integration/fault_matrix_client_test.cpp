// The client rows of the fault matrix (docs/reliability.md): hostile HTTP (huge or
// many headers, a huge target, request smuggling shapes, bad chunks, a thousand
// pipelined requests, a half-close) and valid but hostile JSON. Each case checks the
// answer, that no secret leaked, and that the gateway still serves afterwards.

#include "support/fault_checks.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

namespace ordergate::testing {
namespace {

const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";

struct client_fault_fixture : gateway_fixture {
  explicit client_fault_fixture(environment env = {})
      : gateway_fixture(this_build(), with_env(std::move(env))) {
    webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  }

  /// A history request with `body`, authenticated.
  std::optional<http_answer> history(std::string_view body) {
    return post("/imshop/order-history", body, bearer(secret::imshop_key));
  }

  /// `raw` on a new connection gets `status`, the connection is closed, and the gateway
  /// still serves.
  void check_refused_and_closed(const std::string& raw, unsigned status) {
    client_connection c(port());
    c.send(raw);  // the gateway may close before it read everything
    check_answer(c.receive(), status, "bad_request");
    BOOST_TEST(c.wait_closed());
    check_still_serving(*this);
  }
};

/// Valid JSON that is hostile: the history body with `junk` as an extra member.
std::string with_junk(std::string_view junk) {
  return R"({"userIdentifier":"2","junk":)" + std::string(junk) + "}";
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

struct big_body_fixture : client_fault_fixture {
  big_body_fixture()
      : client_fault_fixture(environment{{"ORDERGATE_MAX_BODY_BYTES", "16777216"}}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_http_faults, client_fault_fixture)

BOOST_AUTO_TEST_CASE(a_thousand_headers_are_a_400_and_a_close) {
  header_list headers;
  for (int i = 0; i < 1000; ++i)
    headers.emplace_back("X-H" + std::to_string(i), "1");
  check_refused_and_closed(make_request("GET", "/healthz", {}, headers), 400);
}

BOOST_AUTO_TEST_CASE(one_64_kib_header_is_a_400_and_a_close) {
  check_refused_and_closed(
      make_request("GET", "/healthz", {}, {{"X-Big", std::string(64 * 1024, 'h')}}), 400);
}

BOOST_AUTO_TEST_CASE(a_64_kib_request_target_is_a_400_and_a_close) {
  check_refused_and_closed(make_request("GET", "/healthz?" + std::string(64 * 1024, 't')), 400);
}

BOOST_AUTO_TEST_CASE(content_length_with_transfer_encoding_is_a_400_and_a_close) {
  // The shape of request smuggling: two framings, which a proxy and we might read apart.
  const std::string body = R"({"userIdentifier":"2"})";
  check_refused_and_closed(
      "POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
          (std::to_string(body.size()) + "\r\n") + body + "\r\n0\r\n\r\n",
      400);
  BOOST_TEST(webasyst.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_chunk_size_that_is_not_hex_is_a_400_and_a_close) {
  check_refused_and_closed(
      "POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      400);
}

BOOST_AUTO_TEST_CASE(a_chunk_size_beyond_64_bits_is_a_400_and_a_close) {
  check_refused_and_closed(
      "POST /imshop/order-history HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
      400);
}

BOOST_AUTO_TEST_CASE(a_thousand_pipelined_requests_are_all_answered_in_order) {
  std::string all;
  for (int i = 0; i < 1000; ++i)
    all += make_request("GET", "/healthz", {}, {{"X-Request-Id", "p" + std::to_string(i)}});
  client_connection c(port());
  // Written from another thread: the gateway may stop reading until we read answers.
  bool sent = false;
  std::thread writer([&] { sent = c.send(all); });
  unsigned in_order = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto answer = c.receive();
    if (!answer) break;
    if (answer->status == 200u && answer->header("X-Request-Id") == "p" + std::to_string(i))
      ++in_order;
  }
  writer.join();
  BOOST_TEST(sent);
  BOOST_TEST(in_order == 1000u);
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(a_client_that_half_closes_after_its_request_gets_the_answer) {
  client_connection c(port());
  BOOST_REQUIRE(c.send(
      post_json("/imshop/order-history", R"({"userIdentifier":"2"})", bearer(secret::imshop_key))));
  c.shutdown_write();
  check_answer(c.receive(), 200);
  BOOST_TEST(c.wait_closed());
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(options_is_a_405_with_allow) {
  const auto answer = round_trip(port(), make_request("OPTIONS", "/imshop/order-history"));
  check_answer(answer, 405, "method_not_allowed");
  BOOST_TEST(answer->header("Allow") == "POST");
  check_still_serving(*this);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_hostile_json, client_fault_fixture)

BOOST_AUTO_TEST_CASE(a_100k_element_array_is_read_and_ignored) {
  std::string array = "[0";
  for (int i = 1; i < 100'000; ++i)
    array += ",0";
  array += "]";
  check_answer(history(with_junk(array)), 200);
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(nesting_at_the_depth_limit_is_read) {
  // The body object is level 1: 63 arrays inside it reach the limit of 64.
  check_answer(history(with_junk(nested_arrays(63))), 200);
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(nesting_past_the_depth_limit_is_a_400) {
  check_answer(history(with_junk(nested_arrays(64))), 400, "bad_request");
  check_answer(history(with_junk(nested_arrays(100'000))), 400, "bad_request");
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_read_and_the_first_value_is_used) {
  check_answer(history(R"({"userIdentifier":"2","userIdentifier":"3"})"), 200);
  BOOST_REQUIRE_EQUAL(webasyst.request_count(), 1u);
  const std::string target = webasyst.requests().back().target;
  BOOST_TEST(target.find("contact_id%3D2&") != std::string::npos, target);
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(a_nul_escape_in_a_checked_field_is_a_400) {
  check_answer(history(R"({"userIdentifier":"2\u0000"})"), 400, "bad_request");
  check_answer(history(with_junk(R"("\u0000")")), 200);  // where nobody reads it, harmless
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(a_lone_surrogate_is_a_400) {
  check_answer(history(with_junk(R"("\ud800")")), 400, "bad_request");
  check_answer(history(R"({"userIdentifier":"\udc00"})"), 400, "bad_request");
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(huge_numbers_minus_zero_and_1e400_are_harmless) {
  check_answer(history(with_junk("123456789012345678901234567890123456789012345678901234567890")),
               200);
  check_answer(history(with_junk("-0")), 200);
  // A number a double cannot hold is refused wherever it is: nothing rounds it silently.
  check_answer(history(with_junk("1e400")), 400, "bad_request");
  // Where a string of digits is expected, a number is refused whatever its size.
  check_answer(history(R"({"userIdentifier":1e400})"), 400, "bad_request");
  check_answer(history(R"({"userIdentifier":-0})"), 400, "bad_request");
  check_still_serving(*this);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_big_json, big_body_fixture)

BOOST_AUTO_TEST_CASE(a_10_mib_string_inside_the_body_limit_is_read) {
  check_answer(history(with_junk("\"" + std::string(10u << 20, 's') + "\"")), 200);
  check_still_serving(*this);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
