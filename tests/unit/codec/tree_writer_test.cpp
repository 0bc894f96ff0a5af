#include "ordergate/codec/tree_writer.hpp"

#include "ordergate/codec/json.hpp"

#include <boost/test/unit_test.hpp>

#include <memory_resource>
#include <string>

using namespace ordergate::codec;

namespace {

struct tree_fixture {
  std::pmr::monotonic_buffer_resource arena;
  tree_writer tree{arena};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tree_writer_suite, tree_fixture)

BOOST_AUTO_TEST_CASE(builds_nested_objects_and_arrays_in_member_order) {
  tree.begin_object();
  tree.key("z");
  tree.begin_array();
  tree.begin_object();
  tree.key("id");
  tree.number("1");
  tree.end_object();
  tree.begin_array();
  tree.end_array();
  tree.end_array();
  tree.key("a");
  tree.boolean(true);
  tree.key("n");
  tree.null();
  tree.key("s");
  tree.string("x");
  tree.end_object();
  BOOST_REQUIRE(!tree.failed());
  BOOST_TEST(to_json(tree.result()) == R"({"z":[{"id":1},[]],"a":true,"n":null,"s":"x"})");
}

BOOST_AUTO_TEST_CASE(result_is_null_until_a_value_is_complete) {
  tree.begin_object();
  tree.key("a");
  BOOST_TEST(tree.result().is_null());
  tree.number("1");
  BOOST_TEST(tree.result().is_null());
  tree.end_object();
  BOOST_TEST(tree.result().is_object());
}

BOOST_AUTO_TEST_CASE(copies_strings_and_keys_into_the_arena_by_default) {
  std::string key = "key";
  std::string value = "value";
  tree.begin_object();
  tree.key(key);
  tree.string(value);
  tree.end_object();
  key = "XXX";
  value = "XXXXX";
  BOOST_TEST(to_json(tree.result()) == R"({"key":"value"})");
}

BOOST_AUTO_TEST_CASE(keeps_strings_in_place_when_asked) {
  tree_writer in_place(arena, false);
  const std::string value = "value";
  in_place.string(value);
  BOOST_TEST(in_place.result().text().data() == value.data());
}

BOOST_AUTO_TEST_CASE(reset_forgets_a_partial_document) {
  tree.begin_object();
  tree.key("a");
  tree.reset(arena);
  tree.begin_array();
  tree.number("2");
  tree.end_array();
  BOOST_TEST(to_json(tree.result()) == "[2]");
}

BOOST_AUTO_TEST_CASE(write_replays_a_document_into_an_equal_tree) {
  std::pmr::monotonic_buffer_resource other;
  auto source = decode_json_copy(R"({"a":[1,{"b":null}],"c":"d","e":{}})", other);
  BOOST_REQUIRE(source);
  write(tree, *source);
  BOOST_TEST(equal(tree.result(), *source));
}

BOOST_AUTO_TEST_CASE(fails_on_a_value_without_a_key_inside_an_object) {
  tree.begin_object();
  tree.string("orphan");
  BOOST_REQUIRE(tree.failed());
  BOOST_TEST(*tree.error() == "tree_writer: value without a key inside an object");
}

BOOST_AUTO_TEST_CASE(fails_on_a_key_outside_an_object) {
  tree.begin_array();
  tree.key("a");
  BOOST_REQUIRE(tree.failed());
  BOOST_TEST(*tree.error() == "tree_writer: key outside an object");
}

BOOST_AUTO_TEST_CASE(keeps_the_first_error_and_ignores_later_events) {
  tree.key("a");
  tree.begin_object();
  tree.string("orphan");
  tree.end_object();
  BOOST_TEST(*tree.error() == "tree_writer: key outside an object");
  BOOST_TEST(tree.result().is_null());
}

BOOST_AUTO_TEST_SUITE_END()
