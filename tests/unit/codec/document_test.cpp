#include "ordergate/codec/document.hpp"
#include "ordergate/codec/json.hpp"

#include <boost/test/unit_test.hpp>

#include <memory_resource>

using namespace ordergate::codec;

namespace {

struct document_fixture {
  std::pmr::monotonic_buffer_resource arena;

  node decode(std::string_view text) {
    auto r = decode_json_copy(text, arena);
    BOOST_REQUIRE(r);
    return *r;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(document, document_fixture)

BOOST_AUTO_TEST_CASE(find_returns_the_first_member_with_the_key) {
  const node n = decode(R"({"a":1,"b":2,"a":3})");
  BOOST_TEST(n.find("a")->text() == "1");
  BOOST_TEST(n.find("b")->text() == "2");
  BOOST_TEST(!n.find("c"));
  BOOST_TEST(!n.find("ab"));
  BOOST_TEST(!decode("[1]").find("a"));
}

BOOST_AUTO_TEST_CASE(find_with_a_hint_learns_the_position_and_survives_other_orders) {
  const node first = decode(R"({"id":"1","total":"10","state":"new"})");
  const node reordered = decode(R"({"state":"paid","id":"2"})");
  const node without = decode(R"({"id":"3"})");
  const position_hint hint;

  BOOST_TEST(first.find("state", hint)->text() == "new");
  BOOST_TEST(hint.load() == 2u);
  BOOST_TEST(first.find("state", hint)->text() == "new");  // found at the guess

  // Another member order: the guess misses (or is out of range), the scan finds it.
  BOOST_TEST(reordered.find("state", hint)->text() == "paid");
  BOOST_TEST(hint.load() == 0u);
  BOOST_TEST(!without.find("state", hint));
  BOOST_TEST(hint.load() == 0u);  // a miss leaves the guess alone

  // A guess pointing at a member with another key never returns that member.
  const position_hint id_hint;
  id_hint.store(2);
  BOOST_TEST(first.find("id", id_hint)->text() == "1");
  BOOST_TEST(!decode("7").find("id", id_hint));
}

BOOST_AUTO_TEST_SUITE_END()
