// Operators, member access and run-time errors of compiled expressions.

#include "mapping_harness.hpp"

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

constexpr std::string_view order = R"~({
  "id": "5", "total": "3490.0000", "count": 3,
  "params": {"shipping_address.city": "Москва", "tracking_number": "CDEK-1098765432", "": "empty key"},
  "items": [{"price": "1290.50", "quantity": "2.000"}, {"price": "199.99", "quantity": "1.500"}],
  "contact": null
})~";

}  // namespace

BOOST_AUTO_TEST_SUITE(evaluator)

BOOST_AUTO_TEST_CASE(arithmetic_on_decimals_is_exact) {
  BOOST_TEST(eval("0.1 + 0.2 == 0.3") == "true");
  BOOST_TEST(eval("0.1 + 0.2") == "0.3");
  BOOST_TEST(eval("number(input.items[0].price) * number(input.items[0].quantity)", order) ==
             "2581");
  BOOST_TEST(eval("number(input.items[1].price) * number(input.items[1].quantity)", order) ==
             "299.985");
  BOOST_TEST(eval("10 / 4") == "2.5");
  BOOST_TEST(eval("7 % 3") == "1");
  BOOST_TEST(eval("-input.count", order) == "-3");
}

BOOST_AUTO_TEST_CASE(number_nodes_take_part_in_arithmetic_without_conversion) {
  BOOST_TEST(eval("input.count + 1", order) == "4");
  BOOST_TEST(eval("input.count * 1.5", order) == "4.5");
}

BOOST_AUTO_TEST_CASE(numbers_are_written_in_shortest_form) {
  BOOST_TEST(eval("number(input.total)", order) == "3490");
  BOOST_TEST(eval("29336.0 * 1") == "29336");
  BOOST_TEST(eval("1003.330") == "1003.33");
}

BOOST_AUTO_TEST_CASE(arithmetic_on_a_string_input_fails_with_its_path) {
  const auto doc = expression("input.total * 2");
  const eval_failure f = doc.failure(order);
  BOOST_TEST(f.message ==
             "total: '*' needs numbers, got \"3490.0000\" (convert it with number()) (" +
                 doc.at("* 2") + ")");
  BOOST_TEST(f.path == "total");
  BOOST_TEST(f.code == ordergate::core::errc::unmappable);
}

BOOST_AUTO_TEST_CASE(arithmetic_overflow_is_an_error) {
  const auto doc = expression("input.big * input.big");
  const eval_failure f = doc.failure(R"({"big": 99999999999999999999999999999999999999})");
  BOOST_TEST(f.message == "arithmetic overflow (" + doc.at("* input") + ")");
}

BOOST_AUTO_TEST_CASE(division_by_zero_at_run_time_is_an_error) {
  const auto doc = expression("10 / input.n");
  BOOST_TEST(doc.failure(R"({"n": 0})").message == "division by zero (" + doc.at("/ input") + ")");
}

BOOST_AUTO_TEST_CASE(concatenation_joins_strings_and_numbers) {
  BOOST_TEST(eval("'HTTP ' ++ input.count", order) == R"("HTTP 3")");
  BOOST_TEST(eval("'a' ++ 1.50") == R"("a1.5")");
  BOOST_TEST(eval("'' ++ ''") == R"("")");
  BOOST_TEST(eval("'' ++ 7 ++ ''") == R"("7")");
  BOOST_TEST(eval("input.id ++ '-' ++ input.count", order) == R"("5-3")");
  // The failing side is named: here the right one.
  const auto right = expression("'a' ++ input.flag");
  BOOST_TEST(right.failure(R"({"flag": true})").message ==
             "flag: '++' joins strings and numbers, got true (" + right.at("++") + ")");
  const auto doc = expression("'x' ++ input.contact");
  BOOST_TEST(doc.failure(order).message ==
             "contact: '++' joins strings and numbers, got null (" + doc.at("++") + ")");
}

BOOST_AUTO_TEST_CASE(equality_compares_values_not_representations) {
  BOOST_TEST(eval("input.count == 3.0", order) == "true");
  BOOST_TEST(eval("input.id == '5'", order) == "true");
  BOOST_TEST(eval("input.id == 5", order) == "false");  // a string is never a number
  BOOST_TEST(eval("input.contact == null", order) == "true");
  BOOST_TEST(eval("input.missing == null", order) == "true");
  BOOST_TEST(eval("[1, 'a'] == [1.0, 'a']") == "true");
  BOOST_TEST(eval("{a: 1, b: 2} == {b: 2, a: 1}") == "true");
  BOOST_TEST(eval("input.items[0] == {quantity: '2.000', price: '1290.50'}", order) == "true");
  BOOST_TEST(eval("input.items[0] != input.items[1]", order) == "true");
}

BOOST_AUTO_TEST_CASE(ordering_compares_numbers_and_strings) {
  BOOST_TEST(eval("input.count < 10", order) == "true");
  BOOST_TEST(eval("'abc' < 'abd'") == "true");
  BOOST_TEST(eval("2 >= 2.0") == "true");
  BOOST_TEST(eval("parse_time('2020-01-01', 'UTC') < parse_time('2020-01-02', 'UTC')") == "true");
}

BOOST_AUTO_TEST_CASE(ordering_different_types_is_an_error) {
  const auto doc = expression("input.total < 10");
  BOOST_TEST(doc.failure(order).message ==
             "total: cannot compare \"3490.0000\" with 10 (both sides must be numbers, strings or "
             "times) (" +
                 doc.at("< 10") + ")");
}

BOOST_AUTO_TEST_CASE(logical_operators_short_circuit) {
  // The right side would fail: it is not evaluated.
  BOOST_TEST(eval("false and number('x' ++ input.id) > 0", order) == "false");
  BOOST_TEST(eval("true or number('x' ++ input.id) > 0", order) == "true");
  BOOST_TEST(eval("input.missing ?? 'fallback'", order) == R"("fallback")");
  BOOST_TEST(eval("input.id ?? number('x' ++ input.id)", order) == R"("5")");
  BOOST_TEST(eval("input.count > 1 ? 'many' : number('x' ++ input.id)", order) == R"("many")");
}

BOOST_AUTO_TEST_CASE(truthiness) {
  BOOST_TEST(eval("[not null, not '', not 0, not [], not {}, not input.params.missing]", order) ==
             "[true,true,true,true,true,true]");
  BOOST_TEST(eval("[not 'x', not 0.5, not [0], not input.params]", order) ==
             "[false,false,false,false]");
}

BOOST_AUTO_TEST_CASE(coalesce_treats_omit_like_null) {
  BOOST_TEST(eval("omit ?? 1") == "1");
  BOOST_TEST(eval("false ?? 1") == "false");
  BOOST_TEST(eval("0 ?? 1") == "0");
}

BOOST_AUTO_TEST_CASE(keys_with_dots_by_index_and_by_quoted_member) {
  BOOST_TEST(eval("input.params[\"shipping_address.city\"]", order) == R"("Москва")");
  BOOST_TEST(eval("input.params.'shipping_address.city'", order) == R"("Москва")");
  BOOST_TEST(eval("input.params['']", order) == R"("empty key")");
  // A dotted member name is not a path.
  BOOST_TEST(eval("input.params.shipping_address", order) == "null");
}

BOOST_AUTO_TEST_CASE(error_paths_quote_keys_with_dots) {
  const auto doc = expression("number(input.params['shipping_address.city'])");
  const eval_failure f = doc.failure(order);
  BOOST_TEST(f.path == "params[\"shipping_address.city\"]");
  BOOST_TEST(f.message ==
             "params[\"shipping_address.city\"]: number(): \"Москва\" is not a number (" +
                 doc.at("number") + ")");
}

BOOST_AUTO_TEST_CASE(missing_members_and_indexes_give_null) {
  BOOST_TEST(eval("input.nothing.deeper.still", order) == "null");
  BOOST_TEST(eval("input.contact.phone", order) == "null");
  BOOST_TEST(eval("input.items[5].price", order) == "null");
  BOOST_TEST(eval("input.items[-1].price", order) == R"("199.99")");
  BOOST_TEST(eval("input.id.x", order) == "null");
  BOOST_TEST(eval("input.missing[0]['k']", order) == "null");
  BOOST_TEST(eval("[][0]") == "null");
}

BOOST_AUTO_TEST_CASE(members_of_an_empty_php_array_are_missing) {
  // Webasyst sends an empty "params" as [] rather than {}.
  BOOST_TEST(eval("input.params.tracking_number ?? 'none'", R"({"params": []})") == R"("none")");
}

BOOST_AUTO_TEST_CASE(indexing_with_the_wrong_key_type_is_an_error) {
  auto doc = expression("input.items['a']");
  BOOST_TEST(doc.failure(order).message ==
             "an array index must be an integer, got \"a\" (" + doc.at("['a']") + ")");
  doc = expression("input.params[1]");
  BOOST_TEST(doc.failure(order).message ==
             "an object key must be a string, got 1 (" + doc.at("[1]") + ")");
}

BOOST_AUTO_TEST_CASE(index_expressions_are_evaluated) {
  BOOST_TEST(eval("input.items[input.count - 2].price", order) == R"("199.99")");
  BOOST_TEST(eval("input.params['tracking' ++ '_number']", order) == R"("CDEK-1098765432")");
}

BOOST_AUTO_TEST_CASE(array_and_object_literals_drop_omitted_parts) {
  BOOST_TEST(eval("[1, omit, input.missing, 2]", order) == "[1,null,2]");
  BOOST_TEST(eval("{a: 1, b: omit, c: input.missing}", order) == R"({"a":1,"c":null})");
}

BOOST_AUTO_TEST_CASE(negating_a_string_is_an_error_with_its_path) {
  const auto doc = expression("-input.id");
  BOOST_TEST(doc.failure(order).message ==
             "id: '-' needs a number, got \"5\" (" + doc.at("-input") + ")");
}

BOOST_AUTO_TEST_CASE(errors_inside_arrays_name_the_element_path) {
  const auto doc = expression("number(input.data[3].status)");
  const eval_failure f =
      doc.failure(R"({"data": [{"status": 1}, {"status": 2}, {"status": 3}, {"status": "Lost"}]})");
  BOOST_TEST(f.path == "data[3].status");
  BOOST_TEST(f.message ==
             "data[3].status: number(): \"Lost\" is not a number (" + doc.at("number") + ")");
}

BOOST_AUTO_TEST_CASE(errors_about_computed_values_have_no_path) {
  const auto doc = expression("number(input.id ++ 'x')");
  const eval_failure f = doc.failure(order);
  BOOST_TEST(f.path.empty());
  BOOST_TEST(f.message == "number(): \"5x\" is not a number (" + doc.at("number") + ")");
}

BOOST_AUTO_TEST_CASE(the_first_error_wins) {
  const document_fixture doc(
      document_file(R"~({"a": "= number(input.x)", "b": "= number(input.y)"})~"));
  const eval_failure f = doc.failure(R"({"x": "first", "y": "second"})");
  BOOST_TEST(f.path == "x");
}

BOOST_AUTO_TEST_CASE(lets_are_evaluated_in_order_and_visible_later) {
  const document_fixture doc(document_file(
      R"~("= total")~",
      R"~("let": {"price": "= number(input.price)", "total": "= round(price * 3, 2)"},)~"));
  BOOST_TEST(doc.output(R"({"price": "0.335"})") == "1.01");
}

BOOST_AUTO_TEST_CASE(constant_parts_are_folded_at_load) {
  const document_fixture doc(document_file(R"~("= round(1.005, 2) ++ '/' ++ upper('ok')")~"));
  BOOST_TEST(doc.doc().output.e.is_constant());
  BOOST_TEST(doc.output() == R"("1.01/OK")");
}

BOOST_AUTO_TEST_CASE(functions_with_side_effects_are_not_folded) {
  const document_fixture doc(document_file(R"~("= unix(now()) > 0")~"));
  BOOST_TEST(!doc.doc().output.e.is_constant());
  BOOST_TEST(doc.output() == "true");
}

BOOST_AUTO_TEST_SUITE_END()
