#include "ordergate/codec/projection.hpp"
#include "ordergate/codec/json.hpp"

#include <boost/test/unit_test.hpp>

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
