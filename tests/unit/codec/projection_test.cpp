#include "ordergate/codec/projection.hpp"
#include "ordergate/codec/json.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <memory_resource>
#include <string>

using namespace ordergate::codec;

BOOST_AUTO_TEST_SUITE(projection_lookup)

// "id_ab", "id_bk" and "id_ct" land in the same slot of the lookup table.
BOOST_AUTO_TEST_CASE(keys_sharing_a_slot_are_each_found_and_a_third_is_not) {
  projection p;
  p.member("id_ab");
  p.member("id_bk").keep_all();
  p.member("name");
  p.finish();
  BOOST_TEST(p.find("id_ab") != nullptr);
  BOOST_REQUIRE(p.find("id_bk") != nullptr);
  BOOST_TEST(p.find("id_bk")->all());
  BOOST_TEST(p.find("name") != nullptr);
  BOOST_TEST(p.find("id_ct") == nullptr);
  BOOST_TEST(p.find("other") == nullptr);
}

BOOST_AUTO_TEST_CASE(more_members_than_the_table_indexes_are_all_found) {
  projection p;
  for (int i = 0; i < 300; ++i)
    p.member("key" + std::to_string(i));
  p.finish();
  for (int i = 0; i < 300; ++i)
    BOOST_TEST(p.find("key" + std::to_string(i)) != nullptr, "key" << i);
  BOOST_TEST(p.find("key300") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_decode_keeps_both_keys_of_a_shared_slot_and_drops_the_rest) {
  projection p;
  p.member("id_ab");
  p.member("id_bk").keep_all();
  p.finish();
  std::pmr::monotonic_buffer_resource arena;
  std::string text = R"({"id_ct":3,"id_ab":1,"id_bk":{"x":[2]},"z":4})";
  auto r = decode_json(text, arena, {}, p);
  BOOST_REQUIRE(r);
  BOOST_TEST(to_json(*r) == R"({"id_ab":1,"id_bk":{"x":[2]}})");
}

BOOST_AUTO_TEST_CASE(describe_names_the_kept_paths) {
  projection p;
  p.member("order").member("items").each().member("price");
  p.member("id");
  p.finish();
  BOOST_TEST(p.describe() == "{order: {items: {[]: {price}}}, id}");
}

BOOST_AUTO_TEST_SUITE_END()

// The reader remembers each projection's member keys in order and, when the next
// object with that projection repeats them, recognises a key by comparing its text
// instead of scanning and looking it up. Every way the next object can differ must
// still read right.
BOOST_AUTO_TEST_SUITE(remembered_member_keys)

namespace {

std::string read_kept(const projection& keep, std::string text) {
  std::pmr::monotonic_buffer_resource arena;
  auto r = decode_json(text, arena, {}, keep);
  return r ? to_json(*r) : "error: " + r.error().message;
}

std::string read_all(std::string text) {
  std::pmr::monotonic_buffer_resource arena;
  auto r = decode_json(text, arena, {});
  return r ? to_json(*r) : "error: " + r.error().message;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keys_that_differ_from_the_last_object_are_read_as_they_are) {
  projection p;
  projection& each = p.each();
  each.member("id");
  each.member("x").member("deep");
  p.finish();
  const std::string text = R"([{"id":1,"name":"a","x":{"deep":1,"no":0}},)"  // learnt
                           R"({"id":2,"name":"b","x":{"deep":2,"no":0}},)"   // the same order
                           R"({"name":"c","id":3},)"                         // swapped
                           R"({"idx":4,"id":5},{"i":6,"id":7},)"     // longer, shorter than "id"
                           R"({"id" :8},{"id"  :  9},)"              // whitespace before the colon
                           R"({"\u0069d":10},{"i\"d":11,"id":12},)"  // escapes
                           R"({"id":13,"id2":1},{"x":{"no":1,"deep":14}},{},)"
                           R"({"id":15,"name":"а","x":{"deep":16}}])";
  BOOST_TEST(read_kept(p, text) ==
             R"([{"id":1,"x":{"deep":1}},{"id":2,"x":{"deep":2}},{"id":3},{"id":5},{"id":7},)"
             R"({"id":8},{"id":9},{"id":10},{"id":12},{"id":13},{"x":{"deep":14}},{},)"
             R"({"id":15,"x":{"deep":16}}])");
}

BOOST_AUTO_TEST_CASE(a_key_in_another_place_keeps_what_its_own_name_says) {
  projection p;
  p.each().member("a");
  p.finish();
  BOOST_TEST(read_kept(p, R"([{"a":1,"b":2},{"b":3,"a":4},{"b":5,"b":6},{"a":7,"a":8}])") ==
             R"([{"a":1},{"a":4},{},{"a":7,"a":8}])");
}

BOOST_AUTO_TEST_CASE(objects_longer_than_what_is_remembered_are_read_whole) {
  projection p;
  p.each().member("k55");
  p.each().member("k2");
  p.finish();
  std::string object = "{";
  for (int i = 0; i < 60; ++i)
    object += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  object += "}";
  BOOST_TEST(read_kept(p, "[" + object + "," + object + "," + object + "]") ==
             R"([{"k2":2,"k55":55},{"k2":2,"k55":55},{"k2":2,"k55":55}])");
}

BOOST_AUTO_TEST_CASE(a_text_that_ends_or_breaks_after_a_remembered_key_is_an_error_as_before) {
  projection p;
  p.each().member("abc");
  p.finish();
  for (const std::string text :
       {R"([{"abc":1},{"abc")", R"([{"abc":1},{"abc":)", R"([{"abc":1},{"abc"})",
        R"([{"abc":1},{"abc":1)", R"([{"abc":1},{"abc":1,"abc")", "[{\"abc\":1},{\"ab\x01\":1}]",
        "[{\"abc\":1},{\"abc\":\"\xff\"}]"}) {
    const std::string kept = read_kept(p, text);
    BOOST_TEST(kept.starts_with("error: "), text);
    BOOST_TEST(kept == read_all(text), text);
  }
}

// What a document teaches is not used for the next: its keys point into its own text
// (the sanitizer builds catch a read of the freed text), and another tree numbers its
// projections the same way.
BOOST_AUTO_TEST_CASE(nothing_remembered_carries_over_to_the_next_document) {
  projection a;
  a.each().member("a");
  a.finish();
  projection b;
  b.each().member("b");
  b.finish();
  auto text = std::make_unique<std::string>(R"([{"a":1,"b":2},{"a":3,"b":4}])");
  BOOST_TEST(read_kept(a, *text) == R"([{"a":1},{"a":3}])");
  text.reset();
  BOOST_TEST(read_kept(b, R"([{"a":1,"b":2},{"a":3,"b":4}])") == R"([{"b":2},{"b":4}])");
  BOOST_TEST(read_kept(a, R"([{"b":1,"a":2},{"a":3}])") == R"([{"a":2},{"a":3}])");
}

BOOST_AUTO_TEST_SUITE_END()
