// Golden case files read by parse_case and parse_defaults: what they accept, and every
// problem reported with its path.

#include "ordergate/tooling/golden.hpp"
#include "support/build_paths.hpp"
#include "support/scratch_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ordergate;
using namespace ordergate::tooling::golden;
namespace fs = std::filesystem;

namespace {

/// The problems of `text` read as a case in a scratch tests folder, one per line.
std::string problems_of(std::string_view text) {
  ordergate::testing::scratch_dir scratch;
  const fs::path dir = scratch.path() / "tests" / "route" / "case";
  fs::create_directories(dir);
  const auto parsed = parse_case(text, {dir.string(), (scratch.path() / "tests").string()});
  if (parsed) return "";
  std::string lines;
  for (const case_problem& p : parsed.error())
    lines += p.to_string() + "\n";
  return lines;
}

constexpr std::string_view expect_200 = R"("expect": {"response": {"status": 200}})";

std::string route_case(std::string_view request, std::string_view upstream = "{}") {
  return "{\"request\": " + std::string(request) + ", \"upstream\": " + std::string(upstream) +
         ", " + std::string(expect_200) + "}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_route_case_with_every_key_is_read) {
  ordergate::testing::scratch_dir scratch;
  const fs::path dir = scratch.path() / "tests" / "route" / "case";
  fs::create_directories(dir);
  ordergate::testing::write_file(dir / "answer.xml", "<a>1</a>");
  const auto parsed = parse_case(R"({
    // comments and trailing commas, as in every case file
    "env": {"URL": "https://x.example", "PAGE": 20},
    "request": {"method": "PUT", "path": "/p", "query": "a=1", "headers": {"X-A": "b"},
                "body": {"n": 1.50}},
    "upstream": {
      "one": {"status": 404, "body_file": "answer.xml", "headers": {"X-B": "c"}},
      "two": {"failure": "timeout"},
    },
    "expect": {
      "calls": {"one": {"method": "GET", "url": "https://x.example/", "form": {"a": "1"}},
                "three": null},
      "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                   "body_text": "ok"},
    },
  })",
                                 {dir.string(), (scratch.path() / "tests").string()});
  BOOST_REQUIRE(parsed);
  const checked_case& c = *parsed;
  BOOST_TEST(!c.document);
  BOOST_TEST(c.env.at("PAGE") == "20");
  BOOST_TEST(*c.request.method == "PUT");
  BOOST_TEST(*c.request.query == "a=1");
  BOOST_TEST(c.request.body.text == R"({"n":1.5})");
  BOOST_TEST(c.request.body.content_type == "application/json");
  BOOST_TEST(c.upstream.at("one").status == 404u);
  BOOST_TEST(c.upstream.at("one").body.text == "<a>1</a>");
  BOOST_TEST(c.upstream.at("one").body.content_type == "text/xml; charset=utf-8");
  BOOST_TEST((c.upstream.at("two").failure == http::upstream_errc::timeout));
  BOOST_REQUIRE(c.calls);
  BOOST_TEST(c.calls->size() == 2u);
  BOOST_TEST(!c.calls->at(1).second.called);
  BOOST_TEST((c.calls->at(0).second.body.given_as == body_spec::kind::form));
  BOOST_TEST(c.response->body.text == "ok");
}

BOOST_AUTO_TEST_CASE(a_document_case_keeps_the_exact_text_of_input_text) {
  const auto parsed =
      parse_case(R"({"input_text": "{\"total\": 2200.00}", "expect": {"output": {}}})", {});
  BOOST_REQUIRE(parsed);
  BOOST_TEST(parsed->document);
  BOOST_TEST(parsed->input == R"({"total": 2200.00})");
}

BOOST_AUTO_TEST_CASE(an_unknown_key_is_named_with_its_path) {
  BOOST_TEST(problems_of(route_case(R"({"bdy": {}})")) ==
             "request.bdy: unknown key (expected one of method, path, query, headers, body, "
             "body_file, body_text)\n");
  BOOST_TEST(problems_of(R"({"request": {}, "expect": {"respones": {}}})") ==
             "expect.respones: unknown key (expected one of calls, response)\n");
}

BOOST_AUTO_TEST_CASE(two_bodies_in_one_place_are_refused) {
  BOOST_TEST(problems_of(route_case("{}", R"({"s": {"body": {}, "body_text": "x"}})")) ==
             "upstream.s: two bodies (body and body_text): give one\n");
}

BOOST_AUTO_TEST_CASE(a_status_outside_100_to_599_is_refused) {
  BOOST_TEST(problems_of(route_case("{}", R"({"search": {"status": 700}})")) ==
             "upstream.search.status: must be a whole number from 100 to 599\n");
  BOOST_TEST(problems_of(route_case("{}", R"({"search": {"status": "200"}})")) ==
             "upstream.search.status: must be a whole number from 100 to 599\n");
  BOOST_TEST(problems_of(R"({"request": {}, "expect": {"response": {"status": 99}}})") ==
             "expect.response.status: must be a whole number from 100 to 599\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_failure_is_refused_with_the_known_ones) {
  BOOST_TEST(problems_of(route_case("{}", R"({"s": {"failure": "timout"}})")) ==
             "upstream.s.failure: unknown failure 'timout' (one of timeout, connect_failed, "
             "resolve_failed, bad_answer, tls_failed, too_large)\n");
  BOOST_TEST(problems_of(route_case("{}", R"({"s": {"failure": "timeout", "status": 500}})")) ==
             "upstream.s: a failure has no status, headers or body\n");
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_128_levels_is_refused) {
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  BOOST_TEST(problems_of(route_case(R"({"body": )" + deep + "}")).find("request.body[0][0]") == 0u);
  BOOST_TEST(problems_of(route_case(R"({"body": )" + deep + "}"))
                 .ends_with("...: nesting deeper than 128 levels\n"));
  const std::string fits = std::string(120, '[') + std::string(120, ']');
  BOOST_TEST(problems_of(route_case(R"({"body": )" + fits + "}")) == "");
}

BOOST_AUTO_TEST_CASE(a_very_deep_case_is_refused_without_exhausting_the_stack) {
  const std::string deep = std::string(500'000, '[') + std::string(500'000, ']');
  BOOST_TEST(problems_of(route_case(R"({"body": )" + deep + "}"))
                 .ends_with("nesting deeper than 128 levels\n"));
}

BOOST_AUTO_TEST_CASE(a_syntax_error_names_its_line_and_column) {
  BOOST_TEST(problems_of("{\n  \"request\": {}\n  \"expect\": {}\n}") ==
             "syntax error at line 3, column 3: Missing a comma or '}' after an object "
             "member.\n");
}

BOOST_AUTO_TEST_CASE(a_case_is_a_route_case_or_a_document_case) {
  BOOST_TEST(problems_of(R"({"expect": {}})") ==
             "a case needs \"request\" (a route case) or \"input\", \"input_file\" or "
             "\"input_text\" (a document case)\n");
  BOOST_TEST(problems_of(R"({"request": {}, "input": {}, "expect": {}})") ==
             "a case has \"request\" (a route case) or an input (a document case), not both\n");
  BOOST_TEST(problems_of(R"({"input": {}, "expect": {"output": {}, "error": {}}})") ==
             "expect: a document case expects one of \"output\", \"output_file\" or \"error\"\n");
  BOOST_TEST(problems_of(R"({"request": {}})") == "a case needs \"expect\"\n");
}

BOOST_AUTO_TEST_CASE(files_outside_the_tests_folder_are_not_read) {
  BOOST_TEST(problems_of(route_case(R"({"body_file": "../../../../../etc/passwd"})")) ==
             "request.body_file: '../../../../../etc/passwd' is outside the tests folder\n");
  BOOST_TEST(problems_of(route_case(R"({"body_file": "/etc/passwd"})")) ==
             "request.body_file: '/etc/passwd' is outside the tests folder\n");
  BOOST_TEST(problems_of(route_case(R"({"body_file": "missing.json"})")) ==
             "request.body_file: cannot read 'missing.json'\n");
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_out_of_the_tests_folder_is_not_followed) {
  ordergate::testing::scratch_dir scratch;
  const fs::path dir = scratch.path() / "tests" / "route" / "case";
  fs::create_directories(dir);
  ordergate::testing::write_file(scratch.path() / "secret.txt", "secret");
  fs::create_symlink(scratch.path() / "secret.txt", dir / "link.txt");
  const auto parsed = parse_case(route_case(R"({"body_file": "link.txt"})"),
                                 {dir.string(), (scratch.path() / "tests").string()});
  BOOST_REQUIRE(!parsed);
  BOOST_TEST(parsed.error().at(0).to_string() ==
             "request.body_file: 'link.txt' is outside the tests folder");
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_case_is_reported) {
  BOOST_TEST(problems_of(route_case(R"({"headers": {"X": {}}, "body": 1, "body_text": "x"})",
                                    R"({"a": {"status": 1}, "b": []})")) ==
             "request.headers.X: must be a string\n"
             "request: two bodies (body and body_text): give one\n"
             "upstream.a.status: must be a whole number from 100 to 599\n"
             "upstream.b: must be an object\n");
}

BOOST_AUTO_TEST_CASE(defaults_give_env_and_request_headers) {
  const auto d = parse_defaults(
      R"({"env": {"A": "1"}, "request": {"headers": {"Authorization": "Bearer k"}}})");
  BOOST_REQUIRE(d);
  BOOST_TEST(d->env.at("A") == "1");
  BOOST_TEST(d->request_headers.at(0).second == "Bearer k");
  const auto bad = parse_defaults(R"({"env": {}, "request": {"body": {}}})");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.error().at(0).to_string() ==
             "request.body: unknown key (expected one of headers)");
}

BOOST_AUTO_TEST_CASE(every_bundled_case_reads_without_a_problem) {
  const auto paths = ordergate::testing::this_build();
  const auto cases = find_cases(paths.mappings().string());
  BOOST_TEST(cases.size() > 150u);
  for (const test_case& c : cases) {
    const outcome o = run_case(c, paths.mappings().string());
    BOOST_TEST(o.passed, c.mapping << "/" << c.name << "\n" << o.report);
  }
}
