// The playground's site over real sockets: the page and its assets, and the rules
// that keep other sites from driving it (Host, Origin, JSON-only POSTs), with the
// gateway's limits.

#include "playground_fixture.hpp"
#include "support/http_client.hpp"

#include <boost/test/unit_test.hpp>

using namespace ordergate;
using namespace ordergate::tooling::playground;
using namespace ordergate::tooling::playground::testing;
using ordergate::testing::header_list;

namespace {

struct site_fixture {
  scratch_workspace ws;
  running_site site{std::make_shared<const workspace>(ws.mappings.string()), limits()};

  static http::server_limits limits() {
    http::server_limits l;
    l.body_bytes = 64 * 1024;
    return l;
  }

  /// One request with `headers` (Host is replaced when given) and its answer.
  ordergate::testing::http_answer request(std::string_view method, std::string_view target,
                                          std::string_view body = {},
                                          const header_list& headers = {}) {
    header_list others;
    std::string host = "127.0.0.1";
    for (const auto& [name, value] : headers) {
      if (name == "Host") {
        host = value;
      } else {
        others.emplace_back(name, value);
      }
    }
    std::string raw = ordergate::testing::make_request(method, target, body, others);
    raw.replace(raw.find("Host: 127.0.0.1\r\n"), 17, "Host: " + host + "\r\n");
    auto answer = ordergate::testing::round_trip(site.port(), raw);
    BOOST_REQUIRE(answer);
    return *answer;
  }

  header_list json_type() const { return {{"Content-Type", "application/json"}}; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(playground_site, site_fixture)

BOOST_AUTO_TEST_CASE(the_page_is_served_with_a_strict_content_security_policy) {
  const auto page = request("GET", "/");
  BOOST_TEST(page.status == 200u);
  BOOST_TEST(page.header("Content-Type") == "text/html; charset=utf-8");
  BOOST_TEST(page.body.find("<script src=\"/playground.js\"") != std::string::npos);
  BOOST_TEST(
      page.header("Content-Security-Policy").starts_with("default-src 'none'; script-src 'self'"));
  BOOST_TEST(page.header("X-Frame-Options") == "DENY");
  BOOST_TEST(page.header("X-Content-Type-Options") == "nosniff");
}

BOOST_AUTO_TEST_CASE(the_page_assets_and_codemirror_are_built_in) {
  for (const char* path :
       {"/playground.js", "/codemirror/codemirror.js", "/codemirror/javascript.js"}) {
    const auto asset = request("GET", path);
    BOOST_TEST(asset.status == 200u, path);
    BOOST_TEST(asset.header("Content-Type") == "text/javascript; charset=utf-8", path);
  }
  BOOST_TEST(request("GET", "/codemirror/codemirror.js").body.find("CodeMirror") !=
             std::string::npos);
  BOOST_TEST(request("GET", "/playground.css").header("Content-Type") == "text/css; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(the_api_answers_over_the_socket) {
  const auto files = request("GET", "/api/files");
  BOOST_TEST(files.status == 200u);
  BOOST_TEST(files.header("Content-Type") == "application/json");
  BOOST_TEST(files.header("Cache-Control") == "no-store");
  const auto opened =
      request("GET", "/api/case?mapping=imshop-order-history&case=all-orders-first-page");
  BOOST_TEST(opened.status == 200u);
  const auto run = request(
      "POST", "/api/run",
      scratch_workspace::run_request(ws.open("imshop-order-history", "all-orders-first-page")),
      json_type());
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(run.body.find("\"passed\":true") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(localhost_and_ip_literals_are_served) {
  for (const char* host :
       {"localhost:4195", "LOCALHOST", "127.0.0.1", "[::1]:4195", "10.1.2.3:80"}) {
    BOOST_TEST(request("GET", "/api/files", {}, {{"Host", host}}).status == 200u, host);
  }
}

BOOST_AUTO_TEST_CASE(a_dns_name_in_host_is_forbidden_against_dns_rebinding) {
  for (const char* host : {"attacker.example", "attacker.example:4195",
                           "localhost.attacker.example", "127.0.0.1:x", "[::1"}) {
    const auto refused = request("GET", "/api/files", {}, {{"Host", host}});
    BOOST_TEST((refused.status == 403u || refused.status == 400u), host);
  }
  const auto refused = request("GET", "/", {}, {{"Host", "attacker.example"}});
  BOOST_TEST(refused.status == 403u);
  BOOST_TEST(refused.body.find("Host header") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_foreign_origin_is_forbidden) {
  header_list foreign = json_type();
  foreign.emplace_back("Origin", "http://attacker.example");
  BOOST_TEST(request("POST", "/api/run", "{}", foreign).status == 403u);
  BOOST_TEST(request("GET", "/api/files", {}, {{"Origin", "null"}}).status == 403u);
  BOOST_TEST(request("GET", "/api/files", {}, {{"Origin", "http://127.0.0.1:1"}}).status == 403u);
  BOOST_TEST(request("GET", "/api/files", {}, {{"Sec-Fetch-Site", "cross-site"}}).status == 403u);
  // The page's own requests carry its origin.
  BOOST_TEST(request("GET", "/api/files", {}, {{"Origin", "http://127.0.0.1"}}).status == 200u);
}

BOOST_AUTO_TEST_CASE(a_post_that_is_not_json_is_refused_with_415) {
  BOOST_TEST(request("POST", "/api/run", "{}", {{"Content-Type", "text/plain"}}).status == 415u);
  BOOST_TEST(
      request("POST", "/api/save", "a=1", {{"Content-Type", "application/x-www-form-urlencoded"}})
          .status == 415u);
  BOOST_TEST(request("POST", "/api/save", "{}").status == 415u);
}

BOOST_AUTO_TEST_CASE(a_body_over_the_limit_is_refused_with_413) {
  const auto refused = request("POST", "/api/run", std::string(100 * 1024, ' '), json_type());
  BOOST_TEST(refused.status == 413u);
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_404_and_wrong_methods_405) {
  BOOST_TEST(request("GET", "/etc/passwd").status == 404u);
  BOOST_TEST(request("GET", "/api/../../etc/passwd").status == 404u);
  const auto wrong = request("GET", "/api/run");
  BOOST_TEST(wrong.status == 405u);
  BOOST_TEST(wrong.header("Allow") == "POST");
  BOOST_TEST(request("DELETE", "/api/files").status == 405u);
}

BOOST_AUTO_TEST_SUITE_END()
