// The bundled Webasyst status watcher (docs/flows.md, flow 6) run by the job engine
// against a scripted shop whose orders change between runs.

#include "ordergate/jobs/state_store.hpp"
#include "watcher_fixture.hpp"

#include <fstream>

using namespace ordergate::jobs;
using namespace ordergate::jobs::testing;
using outcome = run_summary::outcome;
using strings = std::vector<std::string>;

namespace {

/// A shop of `n` orders (ids 1..n) changed one second apart from 2026-11-30 10:00:00.
fake_shop shop_of(int n) {
  fake_shop shop;
  for (int i = 1; i <= n; ++i) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-11-30 10:%02d:%02d", i / 60, i % 60);
    shop.orders.push_back(order_of(i, "processing", std::string(at)));
  }
  return shop;
}

/// Changes the state of order `id` at `at`, as a workflow action does.
void change(fake_shop& shop, int id, std::string state, std::string at) {
  shop_order& o = shop.order(id);
  o.state = std::move(state);
  o.updated = std::move(at);
}

std::unique_ptr<state_store> read_state(const state_dir& dir) {
  auto store = state_store::open(dir.path.string(), "webasyst-imshop");
  BOOST_REQUIRE(store);
  return std::move(*store);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(webasyst_watcher)

BOOST_AUTO_TEST_CASE(the_first_run_sends_nothing_and_starts_at_the_shops_newest_update) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  change(shop, 2, "paid", "2026-11-30 10:00:05");  // shares the newest second with order 5
  const auto first = run_once(*watcher_job(), shop, settings_for(dir));
  BOOST_TEST(outcome_name(first.result) == "ok");
  BOOST_TEST(first.first_run);
  BOOST_TEST(first.sent == 0u);
  BOOST_TEST(shop.imshop_calls == 0);
  BOOST_TEST(first.cursor.value_or("") == "2026-11-30 10:00:05");
  BOOST_TEST(first.recorded == 2u);  // the orders of that second, as they are
  const auto state = read_state(dir);
  BOOST_TEST(state->get("2")->state == "paid");
  BOOST_TEST(state->get("5")->state == "processing");
  BOOST_TEST(!state->get("1"));
}

BOOST_AUTO_TEST_CASE(an_order_changed_while_the_first_run_starts_is_sent) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  // Between the search for the newest update and the first page, order 1 moves on.
  shop.after_start = [](fake_shop& s) { change(s, 1, "paid", "2026-11-30 10:00:04"); };
  const auto first = run_once(*watcher_job(), shop, settings_for(dir));
  BOOST_TEST(first.recorded == 1u);  // order 3, at the start position
  BOOST_TEST(statuses(shop) == strings{"1:paid"});
}

BOOST_AUTO_TEST_CASE(a_shop_where_nothing_ever_changed_starts_from_the_beginning) {
  state_dir dir;
  fake_shop shop;
  shop.orders.push_back(order_of(1, "new", std::nullopt));
  const auto first = run_once(*watcher_job(), shop, settings_for(dir));
  BOOST_TEST(outcome_name(first.result) == "ok");
  BOOST_TEST(first.cursor.value_or("") == "1970-01-01 00:00:00");
  change(shop, 1, "processing", "2026-11-30 11:00:00");
  const auto second = run_once(*watcher_job(), shop, settings_for(dir));
  BOOST_TEST(statuses(shop) == strings{"1:processing"});
}

BOOST_AUTO_TEST_CASE(a_state_change_is_sent_once_with_the_flow_3_document) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 3, "shipped", "2026-11-30 11:00:00");
  shop.order(3).uuid = "7f1c2a9e-0b4d-4c8e-9a51-3d2f6e8b1c40";
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(second.sent == 1u);
  BOOST_TEST(second.sent_keys == strings{"3"});
  BOOST_REQUIRE(shop.received.size() == 1u);
  BOOST_TEST(shop.received[0].id == "7f1c2a9e-0b4d-4c8e-9a51-3d2f6e8b1c40");  // the UUID param
  BOOST_TEST(shop.received[0].code == "shipped");
  BOOST_TEST(shop.received[0].user_id == "2");  // IMSHOP_USER_ID unset: the contact id
  BOOST_TEST(second.cursor.value_or("") == "2026-11-30 11:00:00");
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(third.sent == 0u);
  BOOST_TEST(shop.imshop_calls == 1);
}

BOOST_AUTO_TEST_CASE(the_buyer_is_their_phone_with_imshop_user_id_phone) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto job = watcher_job({{"IMSHOP_USER_ID", "phone"}});
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "completed", "2026-11-30 11:00:00");
  shop.order(1).phone = "+7 (916) 555-01-02";
  run_once(*job, shop, settings_for(dir));
  BOOST_REQUIRE(shop.received.size() == 1u);
  BOOST_TEST(shop.received[0].user_id == "79165550102");
  BOOST_TEST(shop.received[0].id == "1");  // no UUID param: the Webasyst id
}

BOOST_AUTO_TEST_CASE(an_edit_without_a_state_change_sends_nothing) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 4, "paid", "2026-11-30 11:00:00");
  run_once(*job, shop, settings_for(dir));
  shop.order(4).updated = "2026-11-30 12:00:00";  // a comment edited: same state
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(third.sent == 0u);
  BOOST_TEST(third.seen == 1u);
  BOOST_TEST(statuses(shop) == strings{"4:paid"});
  BOOST_TEST(third.cursor.value_or("") == "2026-11-30 12:00:00");
}

BOOST_AUTO_TEST_CASE(a_state_changed_twice_between_runs_sends_the_current_state_once) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  change(shop, 1, "shipped", "2026-11-30 11:30:00");
  run_once(*job, shop, settings_for(dir));
  BOOST_TEST(statuses(shop) == strings{"1:shipped"});
}

BOOST_AUTO_TEST_CASE(orders_in_the_watermarks_second_are_neither_lost_nor_resent) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  run_once(*job, shop, settings_for(dir));
  // Another order changes in the very second the watermark stands at.
  change(shop, 2, "paid", "2026-11-30 11:00:00");
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(third.sent == 1u);
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:paid"}));
  BOOST_TEST(shop.search_hashes.back() == "search/update_datetime>=2026-11-30 11:00:00");
}

BOOST_AUTO_TEST_CASE(two_orders_of_one_second_across_a_page_boundary_are_both_sent) {
  state_dir dir;
  fake_shop shop = shop_of(1);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  // 99 orders changed in one second, then two more in the next one: the page of 100
  // ends between the last two, and the same second comes in no guaranteed order.
  for (int id = 100; id < 199; ++id)
    shop.orders.push_back(order_of(id, "paid", "2026-11-30 12:00:00"));
  shop.orders.push_back(order_of(300, "shipped", "2026-11-30 12:00:01"));
  shop.orders.push_back(order_of(301, "shipped", "2026-11-30 12:00:01"));
  shop.same_second_newest_id_first = true;
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(second.sent == 101u);
  BOOST_TEST(shop.imshop_calls == 101);
  BOOST_TEST(second.pages == 3u);  // from 10:00:01, from 12:00:00, from 12:00:01
  const std::set<std::string> last_two = {shop.received[99].id, shop.received[100].id};
  BOOST_TEST((last_two == std::set<std::string>{"300", "301"}));
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(third.sent == 0u);
}

BOOST_AUTO_TEST_CASE(a_page_all_in_one_second_moves_on_by_offset_within_it) {
  state_dir dir;
  fake_shop shop = shop_of(1);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  for (int id = 100; id < 250; ++id)
    shop.orders.push_back(order_of(id, "paid", "2026-11-30 12:00:00"));
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(second.sent == 150u);
  BOOST_TEST(shop.imshop_calls == 150);
  BOOST_TEST(run_once(*job, shop, settings_for(dir)).sent == 0u);
}

BOOST_AUTO_TEST_CASE(orders_are_sent_in_update_order) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 3, "paid", "2026-11-30 11:00:02");
  change(shop, 1, "paid", "2026-11-30 11:00:03");
  change(shop, 2, "paid", "2026-11-30 11:00:01");
  run_once(*job, shop, settings_for(dir));
  BOOST_TEST(statuses(shop) == (strings{"2:paid", "3:paid", "1:paid"}));
}

BOOST_AUTO_TEST_CASE(a_failure_mid_run_keeps_the_watermark_at_the_last_accepted_order) {
  state_dir dir;
  fake_shop shop = shop_of(5);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  for (int id = 1; id <= 5; ++id)
    change(shop, id, "paid", "2026-11-30 11:00:0" + std::to_string(id));
  shop.imshop_refuses = {"3"};  // every attempt for order 3 fails
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "failed");
  BOOST_TEST(second.sent == 2u);
  BOOST_TEST(second.failed == 1u);
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:paid"}));
  BOOST_TEST(second.cursor.value_or("") == "2026-11-30 11:00:02");
  BOOST_TEST(read_state(dir)->cursor().value_or("") == "2026-11-30 11:00:02");
  BOOST_TEST(!read_state(dir)->get("3"));  // nothing after it was recorded either
  shop.imshop_refuses.clear();
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(third.result) == "ok");
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:paid", "3:paid", "4:paid", "5:paid"}));
}

BOOST_AUTO_TEST_CASE(a_failure_once_is_retried_within_the_run) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  shop.imshop_answers = {{1, 503}};
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(statuses(shop) == strings{"1:paid"});
  BOOST_TEST(shop.imshop_calls == 2);
}

BOOST_AUTO_TEST_CASE(an_imshop_refusal_stops_the_run_at_that_order) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:01");
  change(shop, 2, "paid", "2026-11-30 11:00:02");
  shop.imshop_answers = {{1, 401}};  // not transient: not retried
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "failed");
  BOOST_TEST(shop.imshop_calls == 1);
  BOOST_TEST(second.problems.back().find("item 1: imshop: refused") != std::string::npos);
  BOOST_TEST(run_once(*job, shop, settings_for(dir)).sent == 2u);
}

BOOST_AUTO_TEST_CASE(a_getinfo_failure_stops_the_run_before_anything_after_it) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:01");
  change(shop, 2, "paid", "2026-11-30 11:00:02");
  shop.info_fails = {1};
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "failed");
  BOOST_TEST(shop.imshop_calls == 0);
  shop.info_fails.clear();
  BOOST_TEST(run_once(*job, shop, settings_for(dir)).sent == 2u);
}

BOOST_AUTO_TEST_CASE(a_crash_between_imshops_answer_and_the_state_write_resends) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:01");
  change(shop, 2, "paid", "2026-11-30 11:00:02");
  job_settings crashing = settings_for(dir);
  int accepted = 0;
  crashing.crash_before_save = [&] { return ++accepted == 2; };  // dies after Imshop took order 2
  const auto second = run_once(*job, shop, crashing);
  BOOST_TEST(outcome_name(second.result) == "failed");
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:paid"}));
  const auto third = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(third.sent == 1u);  // order 2 again: at least once, never skipped
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:paid", "2:paid"}));
}

BOOST_AUTO_TEST_CASE(a_crash_after_imshop_took_a_state_resends_it_even_if_the_order_went_back) {
  state_dir dir;
  fake_shop shop = shop_of(3);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:01");
  run_once(*job, shop, settings_for(dir));  // sent and recorded: paid
  change(shop, 1, "shipped", "2026-11-30 11:00:02");
  job_settings crashing = settings_for(dir);
  crashing.crash_before_save = [] { return true; };
  run_once(*job, shop, crashing);                  // Imshop holds "shipped" now...
  change(shop, 1, "paid", "2026-11-30 11:00:03");  // ...and the order goes back
  const auto next = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(next.result) == "ok");
  BOOST_TEST(next.sent == 1u);
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "1:shipped", "1:paid"}));
  BOOST_TEST(read_state(dir)->get("1")->state == "paid");
}

BOOST_AUTO_TEST_CASE(the_state_recorded_is_the_one_getinfo_gave) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  shop.info_state_override = {{1, "shipped"}};  // moved on between search and getInfo
  run_once(*job, shop, settings_for(dir));
  BOOST_TEST(statuses(shop) == strings{"1:shipped"});
  BOOST_TEST(read_state(dir)->get("1")->state == "shipped");
}

BOOST_AUTO_TEST_CASE(imshop_success_false_counts_as_sent_and_is_reported) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  shop.imshop_answers = {{1, 0}};
  const auto second = run_once(*job, shop, settings_for(dir));
  BOOST_TEST(outcome_name(second.result) == "ok");
  BOOST_TEST(second.sent == 1u);
  BOOST_REQUIRE(second.warnings.size() == 1u);
  BOOST_TEST(second.warnings[0] == "1: imshop: unknown order");
  BOOST_TEST(run_once(*job, shop, settings_for(dir)).sent == 0u);
}

BOOST_AUTO_TEST_CASE(since_backfills_but_still_compares_with_what_was_sent) {
  state_dir dir;
  fake_shop shop = shop_of(4);
  const auto job = watcher_job();
  run_once(*job, shop, settings_for(dir));  // records order 4 (the newest second)
  change(shop, 1, "paid", "2026-11-30 11:00:00");
  run_once(*job, shop, settings_for(dir));
  job_settings backfill = settings_for(dir);
  backfill.since = "2026-11-30 00:00:00";
  const auto third = run_once(*job, shop, backfill);
  BOOST_TEST(outcome_name(third.result) == "ok");
  // 2 and 3 were never sent; 1 was sent as it is and 4 recorded as it is.
  BOOST_TEST(statuses(shop) == (strings{"1:paid", "2:processing", "3:processing"}));
  BOOST_TEST(shop.search_hashes.back() == "search/update_datetime>=2026-11-30 00:00:00");
}

BOOST_AUTO_TEST_CASE(since_on_a_first_run_sends_without_recording_first) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  job_settings backfill = settings_for(dir);
  backfill.since = "2026-11-30 10:00:02";
  const auto first = run_once(*watcher_job(), shop, backfill);
  BOOST_TEST(!first.first_run);
  BOOST_TEST(statuses(shop) == strings{"2:processing"});
}

BOOST_AUTO_TEST_CASE(a_malformed_since_never_reaches_the_search_hash) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  job_settings backfill = settings_for(dir);
  backfill.since = "2026-11-30&state_id=new";
  const auto first = run_once(*watcher_job(), shop, backfill);
  BOOST_TEST(outcome_name(first.result) == "failed");
  BOOST_TEST(shop.search_hashes.empty());
}

BOOST_AUTO_TEST_CASE(orders_not_seen_for_ninety_days_are_forgotten) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto job = watcher_job();
  job_settings backfill = settings_for(dir);
  backfill.since = "2026-08-01 00:00:00";
  change(shop, 1, "paid", "2026-08-20 10:00:00");
  shop.order(2).updated.reset();
  run_once(*job, shop, backfill);
  BOOST_TEST(read_state(dir)->get("1"));
  change(shop, 2, "paid", "2026-11-30 11:00:00");  // the watermark moves 102 days on
  run_once(*job, shop, settings_for(dir));
  const auto state = read_state(dir);
  BOOST_TEST(!state->get("1"));
  BOOST_TEST(state->get("2"));
  BOOST_TEST(state->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_second_concurrent_run_is_locked_out) {
  state_dir dir;
  fake_shop shop = shop_of(2);
  const auto held = state_store::open(dir.path.string(), "webasyst-imshop");
  BOOST_REQUIRE(held);
  const auto run = run_once(*watcher_job(), shop, settings_for(dir));
  BOOST_TEST(outcome_name(run.result) == "locked");
  BOOST_TEST(shop.search_hashes.empty());
}

BOOST_AUTO_TEST_CASE(since_does_not_apply_to_a_job_paged_by_number) {
  state_dir dir;
  fake_vendors vendors;
  job_settings s = settings_for(dir);
  s.since = "2026-11-30 00:00:00";
  const auto run = run_once(*bundled_job(), vendors, s);
  BOOST_TEST(outcome_name(run.result) == "failed");
  BOOST_TEST(vendors.page_calls == 0);
}

BOOST_AUTO_TEST_SUITE_END()
