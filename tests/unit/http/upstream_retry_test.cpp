// Retries: idempotent calls after connect errors and 502/503/504; nothing that may
// have reached the upstream is ever sent twice unless it is a GET or HEAD.
#include "support/fake_vendor.hpp"
#include "unit/http/client_harness.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::http;
using namespace ordergate::http::testing;
using namespace ordergate::testing;

namespace {

vendor_script first_then(vendor_reply first, vendor_reply rest) {
  return [first, rest](const recorded_request&, std::size_t index) {
    return std::optional<vendor_reply>(index == 0 ? first : rest);
  };
}

vendor_reply answer_of(unsigned status, std::string_view body) {
  return vendor_reply::raw_answer(answer_bytes(status, body));
}

upstream_result answer(unsigned status) {
  upstream_answer a;
  a.status = status;
  return a;
}

upstream_result failure(upstream_errc code, bool sent) {
  upstream_failure f{code, "x"};
  f.request_sent = sent;
  return upstream_result{boost::system::in_place_error, f};
}

bool is(const upstream_result& r, upstream_errc code) {
  return r.has_error() && r.error().code == code;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upstream_retries)

BOOST_AUTO_TEST_CASE(get_is_retried_after_a_503_and_gets_the_200) {
  fake_vendor fake(first_then(answer_of(503, "busy"), answer_of(200, "ok")));
  client_harness harness;
  auto req = local_request(fake.port());
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 200u);
  BOOST_TEST(result->attempts == 2u);
  BOOST_TEST(fake.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(get_gives_the_last_answer_after_max_attempts) {
  fake_vendor fake(first_then(answer_of(502, ""), answer_of(502, "")));
  client_harness harness;
  auto req = local_request(fake.port());
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 502u);
  BOOST_TEST(result->attempts == 3u);
  BOOST_TEST(fake.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(post_is_not_retried_after_a_503) {
  fake_vendor fake(first_then(answer_of(503, "busy"), answer_of(200, "ok")));
  client_harness harness;
  auto req = local_request(fake.port(), "/", verb::post);
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 503u);
  BOOST_TEST(result->attempts == 1u);
  BOOST_TEST(fake.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(get_is_retried_after_connection_refused) {
  client_harness harness;
  auto req = local_request(refusing_port());
  req.max_attempts = 2;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::connect_failed));
  BOOST_TEST(result.error().attempts == 2u);
}

BOOST_AUTO_TEST_CASE(post_is_retried_after_connection_refused_as_nothing_was_sent) {
  client_harness harness;
  auto req = local_request(refusing_port(), "/", verb::post);
  req.max_attempts = 2;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::connect_failed));
  BOOST_TEST(result.error().attempts == 2u);
}

BOOST_AUTO_TEST_CASE(post_is_not_retried_when_the_connection_broke_after_sending) {
  fake_vendor fake(first_then(vendor_reply::close_without_answer(), answer_of(200, "ok")));
  client_harness harness;
  auto req = local_request(fake.port(), "/", verb::post);
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::connect_failed));
  BOOST_TEST(result.error().attempts == 1u);
  BOOST_TEST(fake.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(get_is_retried_when_the_connection_broke_before_any_answer) {
  fake_vendor fake(first_then(vendor_reply::close_without_answer(), answer_of(200, "ok")));
  client_harness harness;
  auto req = local_request(fake.port());
  req.max_attempts = 2;
  auto result = harness.call(req);
  BOOST_REQUIRE(result.has_value());
  BOOST_TEST(result->status == 200u);
  BOOST_TEST(result->attempts == 2u);
}

BOOST_AUTO_TEST_CASE(get_that_timed_out_after_sending_is_not_retried) {
  fake_vendor fake(first_then(vendor_reply::hang(), answer_of(200, "ok")));
  client_harness harness;
  auto req = local_request(fake.port());
  req.timeout = std::chrono::milliseconds(100);
  req.max_attempts = 3;
  auto result = harness.call(req);
  BOOST_TEST(is(result, upstream_errc::timeout));
  BOOST_TEST(result.error().attempts == 1u);
  BOOST_TEST(fake.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(gateway_statuses_are_retryable_for_get_and_head_only) {
  for (unsigned status : {502u, 503u, 504u}) {
    BOOST_TEST(is_retryable(verb::get, answer(status)));
    BOOST_TEST(is_retryable(verb::head, answer(status)));
    BOOST_TEST(!is_retryable(verb::post, answer(status)));
    BOOST_TEST(!is_retryable(verb::put, answer(status)));
  }
  for (unsigned status : {200u, 404u, 500u, 501u})
    BOOST_TEST(!is_retryable(verb::get, answer(status)));
}

BOOST_AUTO_TEST_CASE(failures_before_sending_are_retryable_for_any_method) {
  for (verb method : {verb::get, verb::post, verb::patch}) {
    BOOST_TEST(is_retryable(method, failure(upstream_errc::resolve_failed, false)));
    BOOST_TEST(is_retryable(method, failure(upstream_errc::connect_failed, false)));
    BOOST_TEST(is_retryable(method, failure(upstream_errc::timeout, false)));
  }
}

BOOST_AUTO_TEST_CASE(failures_after_sending_are_retryable_only_as_connect_errors_of_get) {
  BOOST_TEST(is_retryable(verb::get, failure(upstream_errc::connect_failed, true)));
  BOOST_TEST(!is_retryable(verb::post, failure(upstream_errc::connect_failed, true)));
  BOOST_TEST(!is_retryable(verb::get, failure(upstream_errc::timeout, true)));
  BOOST_TEST(!is_retryable(verb::post, failure(upstream_errc::timeout, true)));
}

BOOST_AUTO_TEST_CASE(tls_bad_answer_and_too_large_are_never_retryable) {
  for (auto code :
       {upstream_errc::tls_failed, upstream_errc::bad_answer, upstream_errc::too_large}) {
    BOOST_TEST(!is_retryable(verb::get, failure(code, false)));
    BOOST_TEST(!is_retryable(verb::get, failure(code, true)));
  }
}

BOOST_AUTO_TEST_SUITE_END()
