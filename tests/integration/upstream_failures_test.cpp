// What the client gets when a vendor fails: a timeout is a 504, a refused connection,
// non-HTTP bytes, a dropped connection or an oversized answer are 502. A GET is retried
// after a 503; a POST that may have reached the vendor is never sent twice.
//
// The gateway runs on a copy of the bundled mappings with short step timeouts (the
// mapping's `timeout_ms`) and `attempts` on the cancel step, so that the retry rules,
// not the mapping's defaults, decide how many calls a POST gets.

#include "support/fault_checks.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

constexpr std::string_view history_body = R"({"userIdentifier":"2"})";
constexpr std::string_view cancel_body = R"({"uuid":"u-1","internalId":"12"})";
const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";

/// The bundled mappings with 1 s step timeouts, and 3 attempts on the cancel POST.
std::filesystem::path impatient_mappings(const scratch_dir& scratch) {
  const auto folder = copy_mappings(this_build().mappings(), scratch.path());
  replace_in_file(folder / "imshop-order-history.jsonc", R"("attempts": 2,)",
                  R"("attempts": 2, "timeout_ms": 1000,)");
  replace_in_file(folder / "imshop-order-cancel.jsonc", R"("format": "form",)",
                  R"("format": "form", "attempts": 3, "timeout_ms": 1000,)");
  return folder;
}

struct failures_fixture : gateway_fixture {
  explicit failures_fixture(environment env = {})
      : gateway_fixture(this_build(), deferred(std::move(env))) {
    options.mappings = impatient_mappings(scratch);
    start();
  }

  std::optional<http_answer> history() {
    return post("/imshop/order-history", history_body, bearer(secret::imshop_key));
  }
  std::optional<http_answer> cancel() {
    return post("/imshop/order-cancel", cancel_body, bearer(secret::imshop_key));
  }
};

struct refused_fixture : failures_fixture {
  refused_fixture()
      : failures_fixture(
            {{"WEBASYST_URL", "http://127.0.0.1:" + std::to_string(refusing_port()) + "/shop"}}) {}
};

struct small_answers_fixture : failures_fixture {
  small_answers_fixture()
      : failures_fixture(environment{{"ORDERGATE_UPSTREAM_MAX_ANSWER_BYTES", "1024"}}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(vendor_failures, failures_fixture)

BOOST_AUTO_TEST_CASE(a_vendor_that_never_answers_a_get_is_a_504_without_retry) {
  webasyst.set_script(always(vendor_reply::hang()));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 504u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_timeout");
  // The request was sent: a timed-out GET is not re-sent (it may be slow, not lost).
  BOOST_TEST(webasyst.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_vendor_that_never_answers_a_post_is_a_504_and_gets_it_once) {
  webasyst.set_script(order_in_state("paid", always(vendor_reply::hang())));
  const auto answer = cancel();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 504u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_timeout");
  BOOST_TEST(webasyst.request_count() == 2u);  // getInfo, then the POST
}

BOOST_AUTO_TEST_CASE(non_http_bytes_are_a_502) {
  webasyst.set_script(always(vendor_reply::garbage("SSH-2.0-OpenSSH_9.2p1\r\n\r\n\x01\x02\x03")));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(non_http_bytes_after_a_post_are_a_502_and_it_is_not_resent) {
  webasyst.set_script(
      order_in_state("paid", always(vendor_reply::garbage("hello, I am not HTTP\n"))));
  const auto answer = cancel();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(webasyst.request_count() == 2u);  // getInfo, then the POST
}

BOOST_AUTO_TEST_CASE(a_connection_closed_without_an_answer_is_a_502) {
  webasyst.set_script(order_in_state("paid", always(vendor_reply::close_without_answer())));
  const auto answer = cancel();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
  BOOST_TEST(webasyst.request_count() == 2u);  // getInfo, then the POST
}

BOOST_AUTO_TEST_CASE(a_non_json_answer_is_a_502) {
  webasyst.set_script(
      always(vendor_reply::text(200, "<html><body>Maintenance</body></html>", "text/html")));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(a_vendor_trickling_its_answer_is_cut_off_with_a_504) {
  // Every byte comes well inside any per-read timeout: only a deadline on the whole
  // answer ends this (the step's timeout_ms is 1 s; the whole answer would take minutes).
  const std::string body =
      R"({"offset":0,"limit":20,"count":0,"orders":[],"pad":")" + std::string(2000, ' ') + "\"}";
  const std::string answer_bytes =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  webasyst.set_script(always(vendor_reply::trickle(answer_bytes, 100ms)));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 504u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_timeout");
}

BOOST_AUTO_TEST_CASE(a_chunked_answer_is_read) {
  std::string chunked =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string half1 = history_ok.substr(0, 10), half2 = history_ok.substr(10);
  char size1[16], size2[16];
  std::snprintf(size1, sizeof size1, "%zx\r\n", half1.size());
  std::snprintf(size2, sizeof size2, "%zx\r\n", half2.size());
  chunked += size1 + half1 + "\r\n" + size2 + half2 + "\r\n0\r\n\r\n";
  webasyst.set_script(always(vendor_reply::raw_http(chunked)));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u, answer->body);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
}

BOOST_AUTO_TEST_CASE(an_answer_ending_at_close_without_a_length_is_read) {
  webasyst.set_script(always(vendor_reply::raw_http(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
      history_ok)));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u, answer->body);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
}

BOOST_AUTO_TEST_CASE(interim_answers_before_the_answer_are_skipped) {
  // 100 Continue and 103 Early Hints are not the answer (RFC 9110 15.2): this was a 502
  // "HTTP 100, not a search answer".
  webasyst.set_script(always(vendor_reply::raw_http(
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(history_ok.size()) + "\r\n\r\n" + history_ok)));
  const auto answer = history();
  check_answer(answer, 200);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  // A row of the fault matrix (docs/reliability.md): counted as a good call, logged, and
  // the gateway still serves; the next request skips the interim answers as well.
  BOOST_TEST(
      metric_becomes(*this, upstream_calls("webasyst", "ok"), [](double v) { return v >= 1; }));
  BOOST_TEST(access_logged(*this, "/imshop/order-history", 200));
  check_still_serving(*this);
  check_answer(history(), 200);
  BOOST_TEST(webasyst.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(an_answer_with_an_unpaired_surrogate_escape_is_a_502) {
  // Found by fuzzing: "\uDC00" decoded to bytes that are not UTF-8, and the gateway's
  // answer (which quoted them) was not valid JSON.
  webasyst.set_script(always(
      vendor_reply::json(200, R"({"offset":0,"limit":20,"count":1,"orders":[{"id":"4\uDC00"}]})")));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(a_get_is_retried_once_after_a_503) {
  webasyst.set_script([](const recorded_request&, std::size_t index) {
    return std::optional<vendor_reply>(index == 0 ? vendor_reply::json(503, R"({"error":"busy"})")
                                                  : vendor_reply::json(200, history_ok));
  });
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  const auto calls = webasyst.requests();
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);
  BOOST_TEST(calls[1].target == calls[0].target);
  BOOST_TEST(calls[1].header("X-Request-Id") == calls[0].header("X-Request-Id"));
}

BOOST_AUTO_TEST_CASE(a_get_that_keeps_failing_is_a_502_after_its_attempts) {
  webasyst.set_script(always(vendor_reply::json(503, R"({"error":"busy"})")));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(webasyst.request_count() == 2u);  // "attempts": 2 in the mapping
}

BOOST_AUTO_TEST_CASE(a_post_is_not_retried_after_a_503) {
  webasyst.set_script(
      order_in_state("paid", always(vendor_reply::json(503, R"({"error":"busy"})"))));
  const auto answer = cancel();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
  BOOST_TEST(webasyst.request_count() == 2u);  // getInfo, then the POST
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(vendor_unreachable, refused_fixture)

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_502_for_a_get) {
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_502_for_the_cancel_route) {
  const auto answer = cancel();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(vendor_answer_limit, small_answers_fixture)

BOOST_AUTO_TEST_CASE(an_answer_over_the_limit_is_a_502) {
  std::string big = R"({"offset":0,"limit":20,"count":0,"orders":[],"padding":")" +
                    std::string(4096, 'x') + "\"}";
  webasyst.set_script(always(vendor_reply::json(200, big)));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 502u);
  BOOST_TEST(json_field(answer->body, "error") == "upstream_error");
}

BOOST_AUTO_TEST_CASE(an_answer_under_the_limit_is_fine) {
  webasyst.set_script(always(vendor_reply::json(200, history_ok)));
  const auto answer = history();
  BOOST_REQUIRE(answer);
  BOOST_TEST(answer->status == 200u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
