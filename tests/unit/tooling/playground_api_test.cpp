// The playground's API (tooling::playground::workspace) on a copy of the bundled
// mappings: listing, opening, running edits and saving cases, and every refusal.

#include "playground_fixture.hpp"
#include "support/scratch_dir.hpp"

#include "ordergate/core/file.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace ordergate;
using namespace ordergate::tooling::playground;
using namespace ordergate::tooling::playground::testing;
namespace fs = std::filesystem;

namespace {

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no '" << from << "'");
  return text.replace(at, from.size(), to);
}

/// The run request of `opened` with its member `key` (or part `key`) set to `value`.
std::string edited_run(const parsed_answer& opened, const char* key, std::string_view value,
                       bool part = false) {
  rapidjson::Document r;
  r.Parse(scratch_workspace::run_request(opened).c_str());
  auto& target = part ? r["parts"] : static_cast<rapidjson::Value&>(r);
  target.EraseMember(key);
  target.AddMember(rapidjson::Value(key, r.GetAllocator()),
                   rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()),
                                    r.GetAllocator()),
                   r.GetAllocator());
  return to_text(r);
}

std::string save_request(std::string_view name, const rapidjson::Value& parts,
                         std::string_view mapping = "imshop-order-history") {
  rapidjson::Document r(rapidjson::kObjectType);
  auto& a = r.GetAllocator();
  r.AddMember("mapping", rapidjson::Value(std::string(mapping).c_str(), a), a);
  r.AddMember("case", "all-orders-first-page", a);
  r.AddMember("name", rapidjson::Value(std::string(name).c_str(), a), a);
  r.AddMember("parts", rapidjson::Value(parts, a), a);
  return to_text(r);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(playground_api, scratch_workspace)

BOOST_AUTO_TEST_CASE(files_lists_the_mappings_with_cases_their_kind_label_and_cases) {
  const auto files = parse(api.files());
  BOOST_TEST(files.status == 200u);
  const auto& list = files.json["mappings"];
  bool history = false, order = false;
  for (const auto& m : list.GetArray()) {
    const std::string name = m["mapping"].GetString();
    if (name == "imshop-order-history") {
      history = true;
      BOOST_TEST(m["file"].GetString() == "imshop-order-history.jsonc");
      BOOST_TEST(m["kind"].GetString() == "route");
      BOOST_TEST(m["label"].GetString() == "POST /imshop/order-history");
      BOOST_TEST(m["cases"].Size() > 40u);
    } else if (name == "giftcard-market-order") {
      order = true;
      BOOST_TEST(m["kind"].GetString() == "document");
    }
  }
  BOOST_TEST(history);
  BOOST_TEST(order);
}

BOOST_AUTO_TEST_CASE(a_case_opens_with_its_files_inlined) {
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  BOOST_TEST(opened.text("file") == "imshop-order-history.jsonc");
  BOOST_TEST(opened.text("mapping_text") ==
             *core::read_file((mappings / "imshop-order-history.jsonc").string()));
  BOOST_TEST(opened.text("defaults").find("WEBASYST_TOKEN") != std::string::npos);
  BOOST_TEST(opened.text("description").starts_with("Contact 2, no \"page\""));
  const std::string upstream = opened.json["parts"]["upstream"].GetString();
  BOOST_TEST(upstream.find("body_file") == std::string::npos);
  BOOST_TEST(upstream.find("\"body\": {") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_body_file_that_json_would_rewrite_is_shown_as_exact_text) {
  const fs::path dir = mappings / "tests" / "imshop-order-history" / "all-orders-first-page";
  ordergate::testing::replace_in_file(
      dir / "case.jsonc", "../../fixtures/webasyst/order_search_c2_default.json", "exact.json");
  ordergate::testing::write_file(dir / "exact.json", R"({"orders": [], "count": 0.50})");
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  const std::string upstream = opened.json["parts"]["upstream"].GetString();
  BOOST_TEST(upstream.find(R"("body_text": "{\"orders\": [], \"count\": 0.50}")") !=
             std::string::npos);
  BOOST_TEST(upstream.find(R"("Content-Type": "application/json; charset=utf-8")") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_document_input_keeps_its_exact_text) {
  const auto opened = open("giftcard-market-order", "total-with-trailing-zeros");
  BOOST_TEST(std::string(opened.json["parts"]["input"].GetString()).find("\"total\": 2200.00") !=
             std::string::npos);
  const auto run = parse(api.run(scratch_workspace::run_request(opened)));
  BOOST_TEST(run.json["passed"].GetBool(), to_text(run.json));
}

BOOST_AUTO_TEST_CASE(unknown_mappings_and_cases_are_not_found) {
  BOOST_TEST(api.open_case("nothing", "x").status == 404u);
  BOOST_TEST(api.open_case("imshop-order-history", "../../imshop-order-history").status == 404u);
  BOOST_TEST(api.open_case("imshop-order-history", "nothing").status == 404u);
}

BOOST_AUTO_TEST_CASE(every_bundled_case_passes_through_the_api_and_its_suggested_expectation) {
  const auto files = parse(api.files());
  int cases = 0;
  for (const auto& m : files.json["mappings"].GetArray()) {
    for (const auto& c : m["cases"].GetArray()) {
      ++cases;
      const auto opened = open(m["mapping"].GetString(), c.GetString());
      const auto run = parse(api.run(scratch_workspace::run_request(opened)));
      BOOST_TEST(run.json["passed"].GetBool(), m["mapping"].GetString()
                                                   << "/" << c.GetString() << ": "
                                                   << to_text(run.json["differences"]));
      if (!run.json.HasMember("suggested_expect")) continue;
      const auto again = parse(
          api.run(edited_run(opened, "expect", run.json["suggested_expect"].GetString(), true)));
      BOOST_TEST(again.json["passed"].GetBool(), m["mapping"].GetString()
                                                     << "/" << c.GetString() << " as suggested: "
                                                     << to_text(again.json["differences"]));
    }
  }
  BOOST_TEST(cases > 150);
}

BOOST_AUTO_TEST_CASE(a_run_shows_the_rendered_calls_the_answer_and_what_differs) {
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  const std::string text = opened.text("mapping_text");
  const auto run = parse(api.run(
      edited_run(opened, "mapping_text",
                 replaced(text, "\"= number(order.total)\"", "\"= number(order.total) * 100\""))));
  BOOST_TEST(run.status == 200u);
  BOOST_TEST(!run.json["passed"].GetBool());
  BOOST_TEST(std::string(run.json["calls"][0]["url"].GetString()) ==
             "https://shop.example/api.php/shop.order.search?hash=search%2Fcontact_id%3D2&offset="
             "0&limit=20");
  BOOST_TEST(run.json["answer"]["status"].GetUint() == 200u);
  BOOST_TEST(std::string(run.json["answer"]["body"].GetString()).find("349000") !=
             std::string::npos);
  BOOST_TEST(std::string(run.json["expected"]["body"].GetString()).find("3490") !=
             std::string::npos);
  BOOST_TEST(std::string(run.json["differences"][0].GetString()) ==
             "response body.orders[0].price:\n    - expected 3490\n    + actual   349000");
  BOOST_TEST(run.json["elapsed_ms"].IsNumber());
  // The file on disk is never written.
  BOOST_TEST(*core::read_file((mappings / "imshop-order-history.jsonc").string()) == text);
}

BOOST_AUTO_TEST_CASE(a_mapping_error_names_line_column_and_the_line_check_prints) {
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  const auto run = parse(api.run(edited_run(
      opened, "mapping_text", replaced(opened.text("mapping_text"), "number(", "numer("))));
  const auto& e = run.json["load_errors"][0];
  BOOST_TEST(e["file"].GetString() == "imshop-order-history.jsonc");
  BOOST_TEST(e["line"].GetUint() == 102u);
  BOOST_TEST(e["column"].GetUint() == 23u);
  BOOST_TEST(e["text"].GetString() ==
             "imshop-order-history.jsonc:102:23: unknown function 'numer' (did you mean "
             "'number'?)");
  BOOST_TEST(!run.json.HasMember("answer"));
  BOOST_TEST(!run.json["passed"].GetBool());
}

BOOST_AUTO_TEST_CASE(an_input_error_names_its_part_and_path) {
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  const std::string upstream = opened.json["parts"]["upstream"].GetString();
  auto run = parse(api.run(
      edited_run(opened, "upstream",
                 replaced(upstream, "\"search\": {", "\"search\": {\"status\": 700,"), true)));
  BOOST_TEST(run.json["case_errors"][0]["part"].GetString() == "upstream");
  BOOST_TEST(run.json["case_errors"][0]["text"].GetString() ==
             "upstream.search.status: must be a whole number from 100 to 599");
  run = parse(api.run(edited_run(opened, "request", "{\n  \"body\": {\n}", true)));
  BOOST_TEST(run.json["case_errors"][0]["text"].GetString() ==
             "request: syntax error at line 3, column 2: Missing a comma or '}' after an object "
             "member.");
}

BOOST_AUTO_TEST_CASE(a_run_reads_no_file_outside_the_tests_folder) {
  ordergate::testing::write_file(mappings / "secret.txt", "secret");
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  const auto run = parse(
      api.run(edited_run(opened, "request", R"({"body_file": "../../../secret.txt"})", true)));
  BOOST_TEST(run.json["case_errors"][0]["text"].GetString() ==
             "request.body_file: '../../../secret.txt' is outside the tests folder");
  const auto other = parse(api.run(edited_run(opened, "file", "../secret.txt")));
  BOOST_TEST(other.status == 404u);
}

BOOST_AUTO_TEST_CASE(a_request_that_is_not_what_the_api_takes_is_refused) {
  BOOST_TEST(api.run("not json").status == 400u);
  BOOST_TEST(api.run("[]").status == 400u);
  BOOST_TEST(api.run(R"({"mapping": 1})").status == 400u);
  const auto opened = open("imshop-order-history", "all-orders-first-page");
  BOOST_TEST(api.run(edited_run(opened, "mapping", "nothing")).status == 404u);
  BOOST_TEST(api.run(edited_run(opened, "case", "nothing")).status == 404u);
  BOOST_TEST(api.run(edited_run(opened, "file", "nothing.jsonc")).status == 404u);
  BOOST_TEST(parse(api.run(edited_run(opened, "unknown", "{}", true)))
                 .json["case_errors"][0]["text"]
                 .GetString() ==
             std::string("unknown: not a part of a route case (env, request, upstream, expect)"));
}

BOOST_AUTO_TEST_CASE(a_saved_case_is_written_and_passes_ordergate_test) {
  auto opened = open("imshop-order-history", "all-orders-first-page");
  const auto saved = parse(api.save(save_request("saved-copy", opened.json["parts"])));
  BOOST_TEST(saved.status == 201u, to_text(saved.json));
  BOOST_TEST(saved.text("saved") == "tests/imshop-order-history/saved-copy/case.jsonc");
  BOOST_TEST(saved.json["passes"].GetBool(), saved.text("report"));
  const auto text = core::read_file(
      (mappings / "tests" / "imshop-order-history" / "saved-copy" / "case.jsonc").string());
  BOOST_REQUIRE(text);
  BOOST_TEST(text->starts_with(
      "// Saved by ordergate playground from imshop-order-history/all-orders-first-page.\n"));
  // Saving again under that name is refused.
  BOOST_TEST(api.save(save_request("saved-copy", opened.json["parts"])).status == 409u);
}

BOOST_AUTO_TEST_CASE(a_saved_document_case_keeps_its_exact_input) {
  auto opened = open("giftcard-market-order", "total-with-trailing-zeros");
  const auto saved =
      parse(api.save(save_request("copy", opened.json["parts"], "giftcard-market-order")));
  BOOST_TEST(saved.json["passes"].GetBool(), saved.text("report"));
  const auto text = core::read_file(
      (mappings / "tests" / "giftcard-market-order" / "copy" / "case.jsonc").string());
  BOOST_TEST(text->find(R"("input_text": "{\"id\":)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_name_a_broken_case_or_an_unknown_mapping_saves_nothing) {
  auto opened = open("imshop-order-history", "all-orders-first-page");
  const auto& parts = opened.json["parts"];
  for (const char* name : {"../x", "Upper", "", "-x", "a/b", "a.b"}) {
    BOOST_TEST(api.save(save_request(name, parts)).status == 400u, name);
  }
  rapidjson::Document broken;
  broken.CopyFrom(parts, broken.GetAllocator());
  broken["request"].SetString(R"({"bdy": {}})");
  const auto refused = parse(api.save(save_request("broken", broken)));
  BOOST_TEST(refused.status == 400u);
  BOOST_TEST(refused.json["case_errors"][0]["path"].GetString() == "request.bdy");
  BOOST_TEST(api.save(save_request("nowhere", parts, "nothing")).status == 404u);
  for (const char* name : {"broken", "nowhere", "x", "Upper"}) {
    BOOST_TEST(!fs::exists(mappings / "tests" / "imshop-order-history" / name), name);
  }
  BOOST_TEST(!fs::exists(mappings / "tests" / "nothing"));
}

BOOST_AUTO_TEST_SUITE_END()
