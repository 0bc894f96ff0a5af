// Arrays and objects: count, sum, first, last, map, filter, any, all, values,
// keys, join, contains. Objects are iterated by their values, in document order.

#include "mapping_harness.hpp"

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

// getInfo's items: an object keyed by item id, in the order Webasyst wrote them.
constexpr std::string_view info = R"~({
  "items": {
    "12": {"name": "b", "price": "350.0000", "quantity": "2.000"},
    "10": {"name": "a", "price": "1290.5000", "quantity": "1.000"},
    "11": {"name": "c", "price": "199.9900", "quantity": "1.500"}
  },
  "empty_items": [],
  "list": [3, 1, 2]
})~";

}  // namespace

BOOST_AUTO_TEST_SUITE(functions_collections)

BOOST_AUTO_TEST_CASE(count_of_arrays_objects_and_nothing) {
  BOOST_TEST(
      eval(
          "[count(input.items), count(input.list), count(input.empty_items), count(input.missing)]",
          info) == "[3,3,0,0]");
  const auto doc = expression("count(input.items.'12'.name)");
  BOOST_TEST(doc.failure(info).message ==
             "items[\"12\"].name: count(): expected an array or an object, got \"b\" (" +
                 doc.at("count") + ")");
}

BOOST_AUTO_TEST_CASE(object_values_are_iterated_in_document_order) {
  BOOST_TEST(eval("map(input.items, i => i.name)", info) == R"(["b","a","c"])");
  BOOST_TEST(eval("values(input.items)[0].name", info) == R"("b")");
  BOOST_TEST(eval("keys(input.items)", info) == R"(["12","10","11"])");
  BOOST_TEST(eval("first(input.items).name ++ last(input.items).name", info) == R"("bc")");
}

BOOST_AUTO_TEST_CASE(sum_adds_exactly) {
  BOOST_TEST(eval("sum(input.items, i => number(i.price) * number(i.quantity))", info) ==
             "2290.485");
  BOOST_TEST(eval("sum(input.list)", info) == "6");
  BOOST_TEST(eval("sum(input.empty_items)", info) == "0");
  BOOST_TEST(eval("sum([0.1, 0.2]) == 0.3") == "true");
}

BOOST_AUTO_TEST_CASE(sum_of_strings_fails_with_the_path) {
  const auto doc = expression("sum(input.items, i => i.price)");
  BOOST_TEST(doc.failure(info).message ==
             "items[\"12\"].price: sum(): expected numbers, got \"350.0000\" (convert it with "
             "number()) (" +
                 doc.at("sum") + ")");
}

BOOST_AUTO_TEST_CASE(filter_first_any_all) {
  BOOST_TEST(eval("map(filter(input.items, i => number(i.quantity) > 1), i => i.name)", info) ==
             R"(["b","c"])");
  BOOST_TEST(eval("first(input.items, i => i.name == 'c').price", info) == R"("199.9900")");
  BOOST_TEST(eval("first(input.items, i => i.name == 'zzz')", info) == "null");
  BOOST_TEST(eval("[any(input.list, x => x > 2), all(input.list, x => x > 2), "
                  "all(input.empty_items, x => false)]",
                  info) == "[true,false,true]");
}

BOOST_AUTO_TEST_CASE(map_drops_omitted_results) {
  BOOST_TEST(eval("map(input.list, x => x > 1 ? x * 10 : omit)", info) == "[30,20]");
}

BOOST_AUTO_TEST_CASE(lambdas_see_outer_names) {
  const document_fixture doc(
      document_file(R"~("= map(input.list, x => x * factor)")~", R"~("let": {"factor": 2},)~"));
  BOOST_TEST(doc.output(info) == "[6,2,4]");
}

BOOST_AUTO_TEST_CASE(nested_lambdas) {
  BOOST_TEST(eval("map([[1, 2], [3]], a => sum(a, x => x * 2))") == "[6,6]");
}

BOOST_AUTO_TEST_CASE(iterating_a_scalar_fails) {
  const auto doc = expression("map(input.list[0], x => x)");
  BOOST_TEST(doc.failure(info).message ==
             "list[0]: map(): expected an array or an object, got 3 (" + doc.at("map") + ")");
}

BOOST_AUTO_TEST_CASE(join_and_contains) {
  BOOST_TEST(eval("join(map(input.items, i => i.name), ', ')", info) == R"("b, a, c")");
  BOOST_TEST(eval("join([1, null, 'x'], '-')") == R"("1-x")");
  BOOST_TEST(eval("[contains(input.list, 2), contains(input.list, 5), contains('abc', 'b'), "
                  "contains(input.items, "
                  "{name: 'a', price: '1290.5000', quantity: '1.000'})]",
                  info) == "[true,false,true,true]");
}

BOOST_AUTO_TEST_CASE(keys_of_nothing_is_empty) {
  BOOST_TEST(eval("keys(input.missing)", info) == "[]");
  BOOST_TEST(eval("keys({a: 1, b: omit})") == R"(["a"])");
}

BOOST_AUTO_TEST_SUITE_END()
