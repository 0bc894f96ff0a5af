// The status of a route's answer (src/pipeline/render.cpp and the response compiler):
// only final statuses, and 204 and 304 without a body. Found by fuzzing: a mapping whose
// response had status 304 and a body made Beast throw while building the answer, which
// ended the process.

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"
#include "pipeline/render.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate;

namespace {

/// A route answering `response` (the text of its response object), with no steps.
std::string route_file(std::string_view response) {
  return R"({
  "route": { "method": "POST", "path": "/answer" },
  "auth": "none",
  "response": )" +
         std::string(response) + "\n}\n";
}

mapping::load_result load(std::string_view response) {
  std::vector<mapping::mapping_text> files;
  files.push_back({"answer.jsonc", route_file(response)});
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

/// The answer of the route to the body `body`.
http::response answer(std::string_view response, std::string_view body) {
  const auto loaded = load(response);
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  http::request req{boost::beast::http::verb::post, "/answer", 11};
  req.set(boost::beast::http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  return tooling::run_offline(loaded.mappings->routes.at(0), std::move(req),
                              std::make_shared<tooling::recording_caller>());
}

constexpr std::string_view chosen_status =
    R"({ "status": "= request.body.status", "body": { "answered": true } })";

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
    BOOST_TEST(errors.find("answer.jsonc:4:27: an answer with status " + std::string(status) +
                           " has no body: remove body or choose another status") !=
                   std::string::npos,
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
