#include "job_fixture.hpp"
#include "ordergate/jobs/state_store.hpp"

#include <fstream>

using namespace ordergate::jobs;
using namespace ordergate::jobs::testing;
using outcome = run_summary::outcome;

namespace {

std::size_t items_sent(const fake_vendors& v) {
  std::size_t n = 0;
  for (const auto& batch : v.imports)
    n += batch.size();
  return n;
}

/// The market got `imports` imports in all, the last of them order `id` alone.
void check_last_import(const fake_vendors& v, std::size_t imports, const std::string& id) {
  BOOST_REQUIRE(v.imports.size() == imports);
  BOOST_TEST(v.imports.back() == std::vector<std::string>{id});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(job_runner)

BOOST_AUTO_TEST_CASE(first_run_walks_every_page_and_sends_every_order) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "ok");
  BOOST_TEST(summary.pages == 3u);
  BOOST_TEST(summary.seen == 45u);
  BOOST_TEST(summary.changed == 45u);
  BOOST_TEST(summary.sent == 45u);
  BOOST_TEST(vendors.imports.size() == 1u);
  BOOST_TEST(items_sent(vendors) == 45u);
}

BOOST_AUTO_TEST_CASE(pages_listing_orders_under_orders_instead_of_data_are_read_the_same) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  vendors.list_key = "orders";
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "ok");
  BOOST_TEST(summary.pages == 3u);
  BOOST_TEST(summary.sent == 45u);
}

BOOST_AUTO_TEST_CASE(a_second_run_without_changes_sends_nothing) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  const auto second = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(second.seen == 45u);
  BOOST_TEST(second.sent == 0u);
  BOOST_TEST(vendors.import_calls == 1);
}

BOOST_AUTO_TEST_CASE(an_order_whose_status_changed_is_sent_again) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  vendors.orders[30].status = "Payed";
  const auto second = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(second.sent == 1u);
  check_last_import(vendors, 2, vendors.orders[30].id);
}

BOOST_AUTO_TEST_CASE(orders_go_in_batches_of_at_most_one_hundred) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(250);
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(summary.sent == 250u);
  BOOST_REQUIRE(vendors.imports.size() == 3u);
  BOOST_TEST(vendors.imports[0].size() == 100u);
  BOOST_TEST(vendors.imports[1].size() == 100u);
  BOOST_TEST(vendors.imports[2].size() == 50u);
}

BOOST_AUTO_TEST_CASE(total_pages_is_read_again_on_every_page) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(60);
  // The platform says 1 page, then 2, then 3: the walk follows.
  vendors.total_pages_on_page = {{1, 2}, {2, 3}, {3, 3}};
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(summary.pages == 3u);
  BOOST_TEST(summary.sent == 60u);
}

BOOST_AUTO_TEST_CASE(a_page_that_fails_once_is_retried_within_the_run) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  vendors.page_failures = {{2, 1}};
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "ok");
  BOOST_TEST(summary.sent == 45u);
  BOOST_TEST(vendors.page_calls == 4);
}

BOOST_AUTO_TEST_CASE(a_page_that_keeps_failing_fails_the_run_but_keeps_what_was_sent) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(250);
  vendors.page_failures = {{8, 100}};  // pages 1-7 (140 orders) are read, one batch of 100 goes out
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "failed");
  BOOST_TEST(summary.sent == 140u);  // the partial batch is still sent before giving up
  vendors.page_failures.clear();
  const auto next = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(next.result) == "ok");
  BOOST_TEST(next.sent == 110u);
}

BOOST_AUTO_TEST_CASE(a_batch_the_market_refuses_is_sent_again_next_run_and_only_that_one) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(250);
  vendors.failing_imports = {2};  // the second batch (orders 101..200) is refused
  const auto job = bundled_job();
  const auto first = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(first.result) == "partial");
  BOOST_TEST(first.sent == 150u);
  BOOST_TEST(first.failed == 100u);
  const auto second = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(second.sent == 100u);
  BOOST_REQUIRE(vendors.imports.size() == 3u);
  BOOST_TEST(vendors.imports[2].front() == vendors.orders[100].id);
  BOOST_TEST(vendors.imports[2].back() == vendors.orders[199].id);
}

BOOST_AUTO_TEST_CASE(a_crash_between_the_market_answer_and_the_state_write_resends_never_loses) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  const auto job = bundled_job();
  auto crashing = settings_for(dir);
  crashing.crash_before_save = [] { return true; };
  const auto first = run_once(*job, vendors, crashing);
  BOOST_TEST(outcome_name(first.result) == "failed");
  BOOST_TEST(vendors.imports.size() == 1u);  // the market got the batch...
  const auto second = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(second.sent == 45u);  // ...and gets it again: at least once
  const auto third = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(third.sent == 0u);
}

BOOST_AUTO_TEST_CASE(
    a_crash_after_the_market_took_a_change_resends_it_even_if_the_status_went_back) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(45);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));  // every order recorded as Created
  vendors.orders[7].status = "Cancelled";
  auto crashing = settings_for(dir);
  crashing.crash_before_save = [] { return true; };
  run_once(*job, vendors, crashing);  // the market holds "canceled" now...
  BOOST_REQUIRE(vendors.imports.size() == 2u);
  vendors.orders[7].status = "Created";  // ...and the platform goes back before the next run
  const auto next = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(next.result) == "ok");
  BOOST_TEST(next.sent == 1u);
  check_last_import(vendors, 3, vendors.orders[7].id);
  BOOST_TEST(run_once(*job, vendors, settings_for(dir)).sent == 0u);
}

BOOST_AUTO_TEST_CASE(a_change_is_not_sent_when_the_state_cannot_be_written_before_it) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  vendors.orders[2].status = "Cancelled";
  // The state is written through a temporary file: a folder in its place makes it fail.
  std::filesystem::create_directory(dir.path / "giftcard-market.state.json.tmp");
  const auto blocked = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(blocked.result) == "failed");
  BOOST_TEST(blocked.failed == 1u);
  BOOST_TEST(vendors.imports.size() == 1u);  // not sent: its old state is still recorded
  std::filesystem::remove(dir.path / "giftcard-market.state.json.tmp");
  const auto next = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(next.sent == 1u);
  check_last_import(vendors, 2, vendors.orders[2].id);
}

BOOST_AUTO_TEST_CASE(a_batch_of_orders_never_recorded_writes_no_state_before_it_is_sent) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  auto crashing = settings_for(dir);
  crashing.crash_before_save = [] { return true; };
  run_once(*bundled_job(), vendors, crashing);
  BOOST_TEST(vendors.imports.size() == 1u);
  BOOST_TEST(!std::filesystem::exists(dir.path / "giftcard-market.state.json"));
}

BOOST_AUTO_TEST_CASE(an_unknown_status_is_skipped_and_reported_and_the_others_are_sent) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(10);
  vendors.orders[4].status = "Lost";
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "partial");
  BOOST_TEST(summary.skipped == 1u);
  BOOST_TEST(summary.sent == 9u);
  BOOST_REQUIRE(summary.problems.size() == 1u);
  BOOST_TEST(summary.problems[0].find("\"Lost\" has no entry in table market_status") !=
             std::string::npos);
  BOOST_TEST(summary.problems[0].find(vendors.orders[4].id) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_empty_first_page_ends_the_walk_with_nothing_sent) {
  state_dir dir;
  fake_vendors vendors;
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "ok");
  BOOST_TEST(summary.pages == 1u);
  BOOST_TEST(vendors.import_calls == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_state_file_means_everything_is_sent) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  std::filesystem::remove(dir.path / "giftcard-market.state.json");
  const auto again = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(again.sent == 5u);
}

BOOST_AUTO_TEST_CASE(a_corrupted_state_file_stops_the_run_with_a_clear_error) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  std::ofstream(dir.path / "giftcard-market.state.json") << "{\"version\": 1, \"state\": {\"x\": ";
  const auto summary = run_once(*job, vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "failed");
  BOOST_REQUIRE(!summary.problems.empty());
  BOOST_TEST(summary.problems[0].find("is corrupted") != std::string::npos);
  BOOST_TEST(summary.problems[0].find("--reset-state") != std::string::npos);
  BOOST_TEST(vendors.import_calls == 1);  // nothing sent by the second run
}

BOOST_AUTO_TEST_CASE(reset_state_sets_a_corrupted_file_aside_and_sends_everything) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  const auto job = bundled_job();
  run_once(*job, vendors, settings_for(dir));
  std::ofstream(dir.path / "giftcard-market.state.json") << "garbage";
  auto reset = settings_for(dir);
  reset.reset_state = true;
  const auto summary = run_once(*job, vendors, reset);
  BOOST_TEST(outcome_name(summary.result) == "ok");
  BOOST_TEST(summary.sent == 5u);
  bool set_aside = false;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
    set_aside = set_aside ||
                e.path().filename().string().starts_with("giftcard-market.state.json.corrupt-");
  }
  BOOST_TEST(set_aside);
}

BOOST_AUTO_TEST_CASE(a_run_while_another_holds_the_state_does_nothing) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(5);
  auto held = state_store::open(dir.path.string(), "giftcard-market");
  BOOST_REQUIRE(held);
  const auto summary = run_once(*bundled_job(), vendors, settings_for(dir));
  BOOST_TEST(outcome_name(summary.result) == "locked");
  BOOST_TEST(vendors.page_calls == 0);
  BOOST_REQUIRE(!summary.problems.empty());
  BOOST_TEST(summary.problems[0].find("another run of job giftcard-market") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(report_updates_the_job_metrics) {
  state_dir dir;
  fake_vendors vendors;
  vendors.orders = make_orders(3);
  ordergate::ops::registry registry;
  const auto job = bundled_job();
  const auto metrics = register_job_metrics(registry, *job);
  asio::io_context ioc;
  run_summary summary;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        summary = co_await run_job(*job, vendors, settings_for(dir), &metrics);
      },
      asio::detached);
  ioc.run();
  report(summary, &metrics);
  BOOST_TEST(metrics.runs_ok->value() == 1u);
  BOOST_TEST(metrics.sent->value() == 3u);
  BOOST_TEST(metrics.last_success->value() > 0);
  const std::string text = registry.render();
  BOOST_TEST(text.find("ordergate_job_runs_total{job=\"giftcard-market\",outcome=\"ok\"} 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
