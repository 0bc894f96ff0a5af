// The error codes of the data plane: their HTTP statuses, names and answer bodies.

#include "ordergate/core/error.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate::core;

BOOST_AUTO_TEST_SUITE(error_codes)

BOOST_AUTO_TEST_CASE(every_code_has_the_status_and_name_of_the_contract) {
  struct row {
    errc code;
    unsigned status;
    const char* name;
  };
  const row rows[] = {
      {errc::bad_request, 400, "bad_request"},
      {errc::unauthorized, 401, "unauthorized"},
      {errc::not_found, 404, "not_found"},
      {errc::method_not_allowed, 405, "method_not_allowed"},
      {errc::payload_too_large, 413, "payload_too_large"},
      {errc::unsupported_media_type, 415, "unsupported_media_type"},
      {errc::unmappable, 422, "unmappable"},
      {errc::upstream_error, 502, "upstream_error"},
      {errc::unavailable, 503, "unavailable"},
      {errc::upstream_timeout, 504, "upstream_timeout"},
      {errc::internal_error, 500, "internal_error"},
  };
  for (const row& r : rows) {
    BOOST_TEST(to_http_status(r.code) == r.status, r.name);
    BOOST_TEST(code_name(r.code) == r.name);
    BOOST_TEST(!make_error_code(r.code).message().empty(), r.name);
  }
}

BOOST_AUTO_TEST_CASE(a_value_outside_the_enum_is_an_internal_error) {
  BOOST_TEST(to_http_status(static_cast<errc>(99)) == 500u);
  BOOST_TEST(code_name(static_cast<errc>(0)) == "internal_error");
}

BOOST_AUTO_TEST_CASE(an_input_error_names_its_path_and_an_upstream_error_does_not) {
  BOOST_TEST(render_error_body({errc::bad_request, "page must be at least 1", "page"}) ==
             R"({"error":"bad_request","message":"page must be at least 1","path":"page"})");
  BOOST_TEST(render_error_body({errc::upstream_error, "search.orders[0].total: bad", "x"}) ==
             R"({"error":"upstream_error","message":"search.orders[0].total: bad"})");
}

BOOST_AUTO_TEST_CASE(an_empty_message_is_the_codes_summary) {
  BOOST_TEST(render_error_body({errc::unavailable, "", ""}) ==
             R"({"error":"unavailable","message":"unavailable"})");
}

BOOST_AUTO_TEST_SUITE_END()
