// The upstream rows of the fault matrix (docs/reliability.md): a vendor that resets,
// truncates, trickles, sends bytes the flow cannot read, or cannot be reached. Each case
// checks what the client gets, the vendor-call metric, the access-log line, that no
// secret leaked, and that the gateway still serves afterwards.
//
// The gateway runs on the bundled mappings with 1 s step timeouts (as in
// upstream_failures_test.cpp), so that trickling vendors are cut off quickly.

#include "support/fault_checks.hpp"
#include "support/json_text.hpp"

#include <boost/test/unit_test.hpp>

namespace ordergate::testing {
namespace {

const std::string history_ok = R"({"offset":0,"limit":20,"count":0,"orders":[]})";
constexpr std::string_view history_path = "/imshop/order-history";
constexpr std::string_view one_giftcard_order = R"({"data":[
  {"id":"daba7d94-3416-4937-8b8c-b015007887cb","number":1001,"createdDate":"2020-01-11T16:13:56.814239",
   "status":"Payed","participantLogin":"a@example.com","total":2200}]})";

std::filesystem::path impatient_mappings(const scratch_dir& scratch) {
  const auto folder = copy_mappings(this_build().mappings(), scratch.path());
  replace_in_file(folder / "imshop-order-history.jsonc", R"("attempts": 2,)",
                  R"("attempts": 2, "timeout_ms": 1000,)");
  return folder;
}

struct upstream_fault_fixture : gateway_fixture {
  explicit upstream_fault_fixture(environment env = {})
      : gateway_fixture(this_build(), deferred(std::move(env))) {
    options.mappings = impatient_mappings(scratch);
    start();
  }

  std::optional<http_answer> history() {
    return post(history_path, R"({"userIdentifier":"2"})", bearer(secret::imshop_key));
  }

  /// The vendor failed one way: the client got `status` `error`, the webasyst call is
  /// counted under `outcome`, the access log shows the status, and afterwards the
  /// gateway serves a normal request again.
  void check_fault(unsigned status, std::string_view error, std::string_view outcome) {
    const auto answer = history();
    check_answer(answer, status, error);
    BOOST_TEST(metric_becomes(*this, upstream_calls("webasyst", outcome),
                              [](double v) { return v >= 1; }));
    BOOST_TEST(access_logged(*this, history_path, status));
    check_still_serving(*this);
    webasyst.set_script(always(vendor_reply::json(200, history_ok)));
    check_answer(history(), 200);
  }
};

std::string answer_head(std::string_view extra = {}) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + std::string(extra);
}

struct refused_fixture : upstream_fault_fixture {
  refused_fixture()
      : upstream_fault_fixture(environment{
            {"WEBASYST_URL", "http://127.0.0.1:" + std::to_string(refusing_port()) + "/shop"}}) {}
};

struct unresolvable_fixture : upstream_fault_fixture {
  // .invalid never resolves (RFC 6761).
  unresolvable_fixture()
      : upstream_fault_fixture(
            environment{{"WEBASYST_URL", "http://ordergate-fault-matrix.invalid/shop"}}) {}
};

struct small_answers_fixture : upstream_fault_fixture {
  small_answers_fixture()
      : upstream_fault_fixture(environment{{"ORDERGATE_UPSTREAM_MAX_ANSWER_BYTES", "1024"}}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(upstream_faults, upstream_fault_fixture)

BOOST_AUTO_TEST_CASE(a_reset_before_the_answer_is_a_502) {
  webasyst.set_script(always(vendor_reply::reset_after("")));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_CASE(a_reset_in_the_middle_of_the_headers_is_a_502) {
  webasyst.set_script(always(vendor_reply::reset_after("HTTP/1.1 200 OK\r\nContent-Ty")));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_CASE(a_reset_in_the_middle_of_the_body_is_a_502) {
  webasyst.set_script(always(vendor_reply::reset_after(answer_head("Content-Length: 200\r\n\r\n") +
                                                       history_ok.substr(0, 12))));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_CASE(a_truncated_chunked_body_is_a_502) {
  // One whole chunk, then half of the next, then a close: no last chunk ever comes.
  webasyst.set_script(always(
      vendor_reply::raw_http(answer_head("Transfer-Encoding: chunked\r\n\r\n") + "a\r\n" +
                             history_ok.substr(0, 10) + "\r\n20\r\n" + history_ok.substr(10, 8))));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_CASE(a_vendor_sending_one_byte_per_second_is_cut_off_with_a_504) {
  const std::string bytes =
      answer_head("Content-Length: " + std::to_string(history_ok.size()) + "\r\n\r\n") + history_ok;
  webasyst.set_script(always(vendor_reply::trickle(bytes, 1000ms)));
  check_fault(504, "upstream_timeout", "timeout");
}

BOOST_AUTO_TEST_CASE(an_answer_header_over_64_kib_is_a_502) {
  webasyst.set_script(always(vendor_reply::raw_http(
      answer_head("X-Padding: " + std::string(70'000, 'p') +
                  "\r\nContent-Length: " + std::to_string(history_ok.size()) + "\r\n\r\n") +
      history_ok)));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_an_answer_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(
      200, "{\"offset\":0,\"limit\":20,\"count\":1,\"orders\":[{\"id\":\"4\xff\xfe\"}]}")));
  check_fault(502, "upstream_error", "failed");
}

BOOST_AUTO_TEST_CASE(invalid_json_is_a_502) {
  webasyst.set_script(always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":)")));
  check_fault(502, "upstream_error", "failed");
}

BOOST_AUTO_TEST_CASE(valid_json_under_a_wrong_content_type_is_a_502) {
  // The Content-Type decides how an answer is read: JSON sent as text/html is text,
  // and text is not a search answer.
  webasyst.set_script(always(vendor_reply::text(200, history_ok, "text/html")));
  check_fault(502, "upstream_error", "failed");
}

BOOST_AUTO_TEST_CASE(an_http_1_0_answer_delimited_by_the_close_is_read) {
  webasyst.set_script(always(vendor_reply::raw_http(
      "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + history_ok)));
  const auto answer = history();
  check_answer(answer, 200);
  BOOST_TEST(canonical_json(answer->body) == canonical_json(R"({"orders":[]})"));
  BOOST_TEST(
      metric_becomes(*this, upstream_calls("webasyst", "ok"), [](double v) { return v >= 1; }));
  check_still_serving(*this);
}

BOOST_AUTO_TEST_CASE(a_204_without_a_body_is_a_502) {
  webasyst.set_script(always(vendor_reply::text(204, "", "")));
  check_fault(502, "upstream_error", "failed");
}

BOOST_AUTO_TEST_CASE(a_304_is_a_502) {
  webasyst.set_script(always(vendor_reply::text(304, "", "")));
  check_fault(502, "upstream_error", "failed");
}

BOOST_AUTO_TEST_CASE(an_accepted_connection_that_never_answers_is_a_504) {
  webasyst.set_script(always(vendor_reply::hang()));
  check_fault(504, "upstream_timeout", "timeout");
}

BOOST_AUTO_TEST_CASE(invalid_xml_from_an_xml_vendor_is_a_502) {
  market.set_script(
      always(vendor_reply::text(200, "<xml><error>0</error><error_text>ok", "application/xml")));
  const auto answer =
      post("/giftcard/market-import", one_giftcard_order, bearer(secret::shop_webhook_key));
  check_answer(answer, 502, "upstream_error");
  BOOST_TEST(
      metric_becomes(*this, upstream_calls("market", "failed"), [](double v) { return v >= 1; }));
  BOOST_TEST(access_logged(*this, "/giftcard/market-import", 502));
  check_still_serving(*this);
  market.set_script(always(vendor_reply::json(200, R"({"error":0,"error_text":"ok"})")));
  check_answer(
      post("/giftcard/market-import", one_giftcard_order, bearer(secret::shop_webhook_key)), 200);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(upstream_unreachable, refused_fixture)

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_502) {
  check_answer(history(), 502, "upstream_error");
  BOOST_TEST(
      metric_becomes(*this, upstream_calls("webasyst", "error"), [](double v) { return v >= 1; }));
  BOOST_TEST(access_logged(*this, history_path, 502));
  check_still_serving(*this);
  check_answer(history(), 502, "upstream_error");  // and again, just as fast
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(upstream_unresolvable, unresolvable_fixture)

BOOST_AUTO_TEST_CASE(a_vendor_name_that_does_not_resolve_is_a_502) {
  const auto answer = history();
  check_answer(answer, 502, "upstream_error");
  BOOST_TEST(json_field(answer->body, "message").find("cannot resolve") != std::string::npos,
             answer->body);
  BOOST_TEST(
      metric_becomes(*this, upstream_calls("webasyst", "error"), [](double v) { return v >= 1; }));
  BOOST_TEST(access_logged(*this, history_path, 502));
  check_still_serving(*this);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(upstream_answer_bound, small_answers_fixture)

BOOST_AUTO_TEST_CASE(an_answer_over_the_bound_is_a_502) {
  webasyst.set_script(
      always(vendor_reply::json(200, R"({"offset":0,"limit":20,"count":0,"orders":[],"padding":")" +
                                         std::string(4096, 'x') + "\"}")));
  check_fault(502, "upstream_error", "error");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace ordergate::testing
