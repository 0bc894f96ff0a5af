// What src/pipeline/render.cpp lets a mapping send. The status of a route's answer:
// only final statuses, and 204 and 304 without a body. Found by fuzzing: a mapping whose
// response had status 304 and a body made Beast throw while building the answer, which
// ended the process. Rendered headers: names and values can come from input, so a name
// that is not a token, a value with a control character or an oversized value is refused
// (Beast throws on a value of 64 KiB; the others would inject headers).

#include "pipeline/render.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate;

namespace {

/// A route answering `response` (the text of its response object), with `steps`.
std::string route_file(std::string_view response, std::string_view steps) {
  return R"({
  "route": { "method": "POST", "path": "/answer" },
  "auth": "none",
  "response": )" +
         std::string(response) + ",\n  \"steps\": " + std::string(steps) + "\n}\n";
}

mapping::load_result load(std::string_view response, std::string_view steps = "[]") {
  std::vector<mapping::mapping_text> files;
  files.push_back({"answer.jsonc", route_file(response, steps)});
  return mapping::load_mapping_texts(std::move(files),
                                     [](std::string_view) { return std::nullopt; });
}

/// Every load error, one per line.
std::string load_errors(std::string_view response) {
  const auto loaded = load(response);
  std::string out;
  for (const auto& d : loaded.errors.items())
    out += d.to_string() + "\n";
  return out;
}

/// The answer of the route to the body `body`; its upstream calls go to `caller`.
http::response answer(std::string_view response, std::string_view body,
                      std::string_view steps = "[]",
                      std::shared_ptr<tooling::recording_caller> caller =
                          std::make_shared<tooling::recording_caller>()) {
  const auto loaded = load(response, steps);
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  http::request req{boost::beast::http::verb::post, "/answer", 11};
  req.set(boost::beast::http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  return tooling::run_offline(loaded.mappings->routes.at(0), std::move(req), std::move(caller));
}

constexpr std::string_view chosen_status =
    R"({ "status": "= request.body.status", "body": { "answered": true } })";
constexpr std::string_view chosen_headers =
    R"({ "status": 200, "headers": "= request.body.h", "body": { "answered": true } })";

/// The answer to headers `h` (a JSON object) chosen by the request: 422 with `message`.
void expect_refused_headers(std::string_view h, std::string_view message) {
  const auto res = answer(chosen_headers, R"({"h":)" + std::string(h) + "}");
  BOOST_TEST(res.result_int() == 422u, h);
  BOOST_TEST(res.body().find(message) != std::string::npos, res.body());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(answer_status)

BOOST_AUTO_TEST_CASE(an_interim_status_is_a_load_error) {
  const std::string errors = load_errors(R"({ "status": 101 })");
  BOOST_TEST(errors.find("answer.jsonc:4:27: status must be an HTTP status code from 200 to 599 "
                         "(1xx are interim answers)") != std::string::npos,
             errors);
}

BOOST_AUTO_TEST_CASE(a_constant_204_or_304_with_a_body_is_a_load_error) {
  for (const char* status : {"204", "304"}) {
    const std::string errors =
        load_errors(std::string(R"({ "status": )") + status + R"(, "body": { "a": 1 } })");
    BOOST_TEST(
        errors.find("answer.jsonc:4:27: an answer with status " + std::string(status) +
                    " has no body: remove body or choose another status") != std::string::npos,
        errors);
  }
}

BOOST_AUTO_TEST_CASE(a_constant_204_without_a_body_answers_nothing) {
  const auto res = answer(R"({ "status": 204 })", "{}");
  BOOST_TEST(res.result_int() == 204u);
  BOOST_TEST(res.body().empty());
  BOOST_TEST(res.count(boost::beast::http::field::content_type) == 0u);
}

BOOST_AUTO_TEST_CASE(a_204_or_304_chosen_at_run_time_is_sent_without_its_body) {
  for (unsigned status : {204u, 304u}) {
    const auto res = answer(chosen_status, R"({"status":)" + std::to_string(status) + "}");
    BOOST_TEST(res.result_int() == status);
    BOOST_TEST(res.body().empty());
    BOOST_TEST(res.count(boost::beast::http::field::content_type) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(another_status_chosen_at_run_time_keeps_its_body) {
  const auto res = answer(chosen_status, R"({"status":201})");
  BOOST_TEST(res.result_int() == 201u);
  BOOST_TEST(res.body() == R"({"answered":true})");
  BOOST_TEST(res[boost::beast::http::field::content_type] == "application/json");
}

BOOST_AUTO_TEST_CASE(an_interim_or_out_of_range_status_chosen_at_run_time_is_a_500) {
  for (const char* status : {"100", "199", "600", "\"x\""}) {
    const auto res = answer(chosen_status, std::string(R"({"status":)") + status + "}");
    BOOST_TEST(res.result_int() == 500u, status);
    BOOST_TEST(res.body().find("the mapping chose an invalid status") != std::string::npos,
               res.body());
  }
}

BOOST_AUTO_TEST_CASE(make_response_never_puts_a_body_where_http_forbids_one) {
  const http::request req{boost::beast::http::verb::get, "/", 11};
  for (unsigned status : {100u, 103u, 204u, 304u}) {
    const auto res = pipeline::make_response(req, status, "{}", "application/json");
    BOOST_TEST(res.result_int() == status);
    BOOST_TEST(res.body().empty());
    BOOST_TEST(res.count(boost::beast::http::field::content_type) == 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rendered_headers)

BOOST_AUTO_TEST_CASE(headers_chosen_by_the_request_are_sent) {
  const auto res = answer(chosen_headers, R"({"h":{"X-Shop":"tea\tshop","X-Count":3}})");
  BOOST_TEST(res.result_int() == 200u, res.body());
  BOOST_TEST(res["X-Shop"] == "tea\tshop");
  BOOST_TEST(res["X-Count"] == "3");
}

BOOST_AUTO_TEST_CASE(a_name_that_is_not_a_token_is_refused) {
  expect_refused_headers(R"({"X-A\r\nX-Injected":"1"})",
                         "header name 'X-A??X-Injected' is not a valid HTTP header name");
  expect_refused_headers(R"({"bad name":"1"})", "header name 'bad?name' is not a valid");
  expect_refused_headers(R"({"":"1"})", "header name '' is not a valid HTTP header name");
  expect_refused_headers(R"({"X:Y":"1"})", "header name 'X?Y' is not a valid");
}

BOOST_AUTO_TEST_CASE(framing_and_connection_headers_are_the_gateways) {
  // A Content-Length of the mapping's replaced the real one: the client's connection
  // would have lost its framing.
  expect_refused_headers(R"({"Content-Length":"5"})",
                         "header Content-Length is set by the gateway, not by a mapping");
  expect_refused_headers(R"({"transfer-encoding":"chunked"})",
                         "header transfer-encoding is set by the gateway");
  expect_refused_headers(R"({"Connection":"close"})", "header Connection is set by the gateway");
}

BOOST_AUTO_TEST_CASE(a_value_with_a_control_character_is_refused) {
  expect_refused_headers(R"({"X-A":"1\r\nX-Injected: 1"})", "header X-A holds a line break");
  expect_refused_headers(R"({"X-A":"1\u0000"})", "header X-A holds a control character");
  expect_refused_headers(R"({"X-A":"1\u007f"})", "header X-A holds a control character");
}

BOOST_AUTO_TEST_CASE(a_value_over_the_limit_is_refused_and_one_at_the_limit_is_sent) {
  // Beast threw std::length_error for values of 64 KiB, which ended the process.
  expect_refused_headers(R"({"X-Big":")" + std::string(70'000, 'a') + R"("})",
                         "header X-Big is longer than 16384 bytes");
  const std::string at_limit(pipeline::max_header_value_bytes, 'a');
  const auto res = answer(chosen_headers, R"({"h":{"X-Big":")" + at_limit + R"("}})");
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res["X-Big"] == at_limit);
}

BOOST_AUTO_TEST_CASE(a_step_with_a_refused_header_sends_nothing) {
  constexpr std::string_view step = R"([{
    "name": "up", "service": "echo", "method": "GET", "url": "http://127.0.0.1:1/x",
    "headers": "= request.body.h" }])";
  auto caller = std::make_shared<tooling::recording_caller>();
  const auto res = answer(R"({ "status": 200 })", R"({"h":{"X-A\nB":"1"}})", step, caller);
  BOOST_TEST(res.result_int() == 422u);
  BOOST_TEST(res.body().find("is not a valid HTTP header name") != std::string::npos, res.body());
  BOOST_TEST(caller->calls.empty());
}

BOOST_AUTO_TEST_SUITE_END()
