#include "ordergate/jobs/state_store.hpp"
#include "job_fixture.hpp"

#include <fstream>

using namespace ordergate::jobs;
using ordergate::jobs::testing::state_dir;

BOOST_AUTO_TEST_SUITE(state_store_file)

BOOST_AUTO_TEST_CASE(saved_entries_are_read_back) {
  state_dir dir;
  {
    auto store = state_store::open(dir.path.string(), "j");
    BOOST_REQUIRE(store);
    (*store)->set("a", "Created");
    (*store)->set("b\"quoted\"", "Payed");
    BOOST_REQUIRE((*store)->save());
  }
  auto again = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(again);
  BOOST_TEST((*again)->size() == 2u);
  BOOST_TEST((*again)->get("b\"quoted\"")->state == "Payed");
  BOOST_TEST(!(*again)->get("c"));
}

BOOST_AUTO_TEST_CASE(save_leaves_no_temporary_file_behind) {
  state_dir dir;
  auto store = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(store);
  (*store)->set("a", "x");
  BOOST_REQUIRE((*store)->save());
  BOOST_TEST(!std::filesystem::exists(dir.path / "j.state.json.tmp"));
  BOOST_TEST(std::filesystem::exists(dir.path / "j.state.json"));
}

BOOST_AUTO_TEST_CASE(a_second_open_of_the_same_job_is_refused_while_the_first_lives) {
  state_dir dir;
  auto first = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(first);
  auto second = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(!second);
  BOOST_TEST((second.error().what == state_error::code::locked));
  BOOST_TEST(second.error().message.find("another run of job j") != std::string::npos);
  first->reset();
  BOOST_TEST(state_store::open(dir.path.string(), "j").has_value());
}

BOOST_AUTO_TEST_CASE(a_state_file_of_another_version_is_refused) {
  state_dir dir;
  std::filesystem::create_directories(dir.path);
  std::ofstream(dir.path / "j.state.json") << R"({"version": 7, "state": {}})";
  auto store = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(!store);
  BOOST_TEST((store.error().what == state_error::code::corrupted));
  BOOST_TEST(store.error().message.find("not a state file of version 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_state_value_that_is_not_text_is_refused) {
  state_dir dir;
  std::filesystem::create_directories(dir.path);
  std::ofstream(dir.path / "j.state.json") << R"({"version": 1, "state": {"a": 3}})";
  auto store = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(!store);
  BOOST_TEST(store.error().message.find("is not a string") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_cursor_and_where_each_key_was_seen_are_read_back) {
  state_dir dir;
  {
    auto store = state_store::open(dir.path.string(), "w");
    BOOST_REQUIRE(store);
    (*store)->set_cursor("2026-11-30 19:15:30");
    (*store)->set("12", "shipped", "2026-11-30 19:15:30");
    (*store)->set("7", "new");
    BOOST_REQUIRE((*store)->save());
  }
  auto again = state_store::open(dir.path.string(), "w");
  BOOST_REQUIRE(again);
  BOOST_TEST((*again)->cursor().value_or("none") == "2026-11-30 19:15:30");
  BOOST_TEST((*again)->get("12")->seen == "2026-11-30 19:15:30");
  BOOST_TEST((*again)->get("7")->seen == "");
}

BOOST_AUTO_TEST_CASE(a_file_without_cursor_has_none) {
  state_dir dir;
  std::filesystem::create_directories(dir.path);
  std::ofstream(dir.path / "j.state.json") << R"({"version": 1, "state": {"a": "x"}})";
  auto store = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(store);
  BOOST_TEST(!(*store)->cursor().has_value());
}

BOOST_AUTO_TEST_CASE(keys_seen_before_a_position_are_forgotten) {
  state_dir dir;
  auto store = state_store::open(dir.path.string(), "w");
  BOOST_REQUIRE(store);
  (*store)->set("old", "completed", "2026-08-01 10:00:00");
  (*store)->set("recent", "new", "2026-11-29 10:00:00");
  (*store)->set("no-position", "x");
  BOOST_TEST((*store)->forget_before("2026-09-01 00:00:00") == 1u);
  BOOST_TEST(!(*store)->get("old"));
  BOOST_TEST((*store)->get("recent"));
  BOOST_TEST((*store)->get("no-position"));
}

BOOST_AUTO_TEST_CASE(a_seen_entry_of_an_unknown_key_is_refused) {
  state_dir dir;
  std::filesystem::create_directories(dir.path);
  std::ofstream(dir.path / "j.state.json")
      << R"({"version": 1, "state": {"a": "x"}, "seen": {"b": "2026-11-01 00:00:00"}})";
  auto store = state_store::open(dir.path.string(), "j");
  BOOST_REQUIRE(!store);
  BOOST_TEST(store.error().message.find("is corrupted") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unwritable_folder_is_reported) {
  auto store = state_store::open("/proc/ordergate-cannot-be-here", "j");
  BOOST_REQUIRE(!store);
  BOOST_TEST((store.error().what == state_error::code::io));
  BOOST_TEST(store.error().message.find("cannot create the state folder") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
