#include "mapping/expression_ast.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ordergate::mapping;

namespace {

/// A fully parenthesised rendering of the tree, to check precedence and shape.
std::string show(const ast& a) {
  auto child = [&](std::size_t i) { return show(*a.children[i]); };
  switch (a.op) {
    case ast_op::null_literal:
      return "null";
    case ast_op::true_literal:
      return "true";
    case ast_op::false_literal:
      return "false";
    case ast_op::omit_literal:
      return "omit";
    case ast_op::number_literal:
      return a.text;
    case ast_op::string_literal:
      return "'" + a.text + "'";
    case ast_op::name:
      return a.text;
    case ast_op::member:
      return child(0) + ".<" + a.text + ">";
    case ast_op::index:
      return child(0) + "[" + child(1) + "]";
    case ast_op::call: {
      std::string out = a.text + "(";
      for (std::size_t i = 0; i < a.children.size(); ++i)
        out += (i ? ", " : "") + child(i);
      return out + ")";
    }
    case ast_op::lambda:
      return "(" + a.text + " => " + child(0) + ")";
    case ast_op::negate:
      return "-(" + child(0) + ")";
    case ast_op::logical_not:
      return "not(" + child(0) + ")";
    case ast_op::binary:
      return "(" + child(0) + " " + std::string(binary_op_text(a.bin)) + " " + child(1) + ")";
    case ast_op::conditional:
      return "(" + child(0) + " ? " + child(1) + " : " + child(2) + ")";
    case ast_op::array_literal: {
      std::string out = "[";
      for (std::size_t i = 0; i < a.children.size(); ++i)
        out += (i ? ", " : "") + child(i);
      return out + "]";
    }
    case ast_op::object_literal: {
      std::string out = "{";
      for (std::size_t i = 0; i < a.children.size(); ++i) {
        out += (i ? ", " : "") + a.keys[i] + ": " + child(i);
      }
      return out + "}";
    }
  }
  return "?";
}

std::string parsed(std::string_view text) {
  parse_failure error{0, {}};
  const auto tree = parse_expression(text, error);
  BOOST_REQUIRE_MESSAGE(tree, "parse failed at " << error.offset << ": " << error.message);
  return show(*tree);
}

parse_failure failure(std::string_view text) {
  parse_failure error{0, {}};
  const auto tree = parse_expression(text, error);
  BOOST_CHECK_MESSAGE(!tree, "parsed unexpectedly: " << (tree ? show(*tree) : ""));
  return error;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expression_parser)

BOOST_AUTO_TEST_CASE(multiplication_binds_tighter_than_addition) {
  BOOST_TEST(parsed("a + b * c") == "(a + (b * c))");
  BOOST_TEST(parsed("a * b - c / d % e") == "((a * b) - ((c / d) % e))");
  BOOST_TEST(parsed("(a + b) * c") == "((a + b) * c)");
}

BOOST_AUTO_TEST_CASE(arithmetic_is_left_associative) {
  BOOST_TEST(parsed("a - b - c") == "((a - b) - c)");
  BOOST_TEST(parsed("a ++ b ++ c") == "((a ++ b) ++ c)");
}

BOOST_AUTO_TEST_CASE(concatenation_binds_looser_than_arithmetic) {
  BOOST_TEST(parsed("'HTTP ' ++ status + 1") == "('HTTP ' ++ (status + 1))");
}

BOOST_AUTO_TEST_CASE(comparison_binds_looser_than_concatenation) {
  BOOST_TEST(parsed("a ++ b == c") == "((a ++ b) == c)");
  BOOST_TEST(parsed("offset + limit < count") == "((offset + limit) < count)");
}

BOOST_AUTO_TEST_CASE(logical_operators_and_their_precedence) {
  BOOST_TEST(parsed("a or b and c") == "(a or (b and c))");
  BOOST_TEST(parsed("not a and b") == "(not(a) and b)");
  BOOST_TEST(parsed("a && b || !c") == "((a and b) or not(c))");
  BOOST_TEST(parsed("a == 1 or b != 2") == "((a == 1) or (b != 2))");
}

BOOST_AUTO_TEST_CASE(coalesce_binds_looser_than_or) {
  BOOST_TEST(parsed("a ?? b or c") == "(a ?? (b or c))");
  BOOST_TEST(parsed("a ?? b ?? c") == "((a ?? b) ?? c)");
}

BOOST_AUTO_TEST_CASE(conditional_is_right_associative_and_loosest) {
  BOOST_TEST(parsed("a ? b : c ? d : e") == "(a ? b : (c ? d : e))");
  BOOST_TEST(parsed("x == null ? omit : x ?? 0") == "((x == null) ? omit : (x ?? 0))");
}

BOOST_AUTO_TEST_CASE(member_access_by_name_keyword_or_quoted_key) {
  BOOST_TEST(parsed("order.params.tracking_number") == "order.<params>.<tracking_number>");
  BOOST_TEST(parsed("x.null.omit") == "x.<null>.<omit>");
  BOOST_TEST(parsed("params.'shipping_address.city'") == "params.<shipping_address.city>");
  BOOST_TEST(parsed("params[\"shipping_address.city\"]") == "params['shipping_address.city']");
}

BOOST_AUTO_TEST_CASE(index_and_calls_chain) {
  BOOST_TEST(parsed("data[3].status") == "data[3].<status>");
  BOOST_TEST(parsed("first(items).name") == "first(items).<name>");
  BOOST_TEST(parsed("f()") == "f()");
}

BOOST_AUTO_TEST_CASE(lambdas_only_parse_as_arguments) {
  BOOST_TEST(parsed("sum(items, i => i.price * i.quantity)") ==
             "sum(items, (i => (i.<price> * i.<quantity>)))");
  BOOST_TEST(failure("x => x").message == "unexpected symbol after the expression");
}

BOOST_AUTO_TEST_CASE(negative_number_literals_fold_into_the_literal) {
  BOOST_TEST(parsed("-2.5") == "-2.5");
  BOOST_TEST(parsed("-x") == "-(x)");
  BOOST_TEST(parsed("- -1") == "-(-1)");
  BOOST_TEST(parsed("a - -1") == "(a - -1)");
}

BOOST_AUTO_TEST_CASE(string_literals_and_escapes) {
  BOOST_TEST(parsed(R"('it\'s')") == "'it's'");
  BOOST_TEST(parsed(R"("say \"hi\"")") == "'say \"hi\"'");
  BOOST_TEST(parsed("'Удален'") == "'Удален'");
}

BOOST_AUTO_TEST_CASE(array_and_object_literals) {
  BOOST_TEST(parsed("[1, 'a', [true]]") == "[1, 'a', [true]]");
  BOOST_TEST(parsed("{tracking_number: x, 'a b': 1}") == "{tracking_number: x, a b: 1}");
  BOOST_TEST(parsed("[]") == "[]");
  BOOST_TEST(parsed("{}") == "{}");
}

BOOST_AUTO_TEST_CASE(number_literal_forms) {
  BOOST_TEST(parsed("1e3") == "1e3");
  BOOST_TEST(parsed("0.25") == "0.25");
  // "1." is the number 1 followed by a member dot.
  BOOST_TEST(failure("1.").message == "expected a member name after '.', found end of expression");
}

BOOST_AUTO_TEST_CASE(node_offsets_point_at_their_token) {
  parse_failure error{0, {}};
  const auto tree = parse_expression("a  + f(b)", error);
  BOOST_REQUIRE(tree);
  BOOST_TEST(tree->offset == 3u);               // the '+'
  BOOST_TEST(tree->children[1]->offset == 5u);  // the call's name
  BOOST_TEST(tree->children[1]->children[0]->offset == 7u);
}

BOOST_AUTO_TEST_CASE(errors_say_what_was_expected_and_where) {
  auto e = failure("a +");
  BOOST_TEST(e.offset == 3u);
  BOOST_TEST(e.message == "expected a value, found end of expression");

  e = failure("round(x, 2");
  BOOST_TEST(e.offset == 10u);
  BOOST_TEST(e.message == "expected ',' or ')' in the argument list, found end of expression");

  e = failure("a ? b");
  BOOST_TEST(e.message == "expected ':' of the conditional, found end of expression");

  e = failure("a b");
  BOOST_TEST(e.offset == 2u);
  BOOST_TEST(e.message == "unexpected name 'b' after the expression");

  e = failure("{1: 2}");
  BOOST_TEST(e.offset == 1u);
  BOOST_TEST(e.message == "expected a key in the object, found number 1");
}

BOOST_AUTO_TEST_CASE(lexer_errors_point_at_the_character) {
  auto e = failure("a # b");
  BOOST_TEST(e.offset == 2u);
  BOOST_TEST(e.message == "unexpected character '#'");

  e = failure("'open");
  BOOST_TEST(e.offset == 0u);
  BOOST_TEST(e.message == "unterminated string");

  e = failure(R"('a\qb')");
  BOOST_TEST(e.offset == 2u);
  BOOST_TEST(e.message == "unknown escape '\\q' in a string");

  e = failure("a = b");
  BOOST_TEST(e.offset == 2u);
  BOOST_TEST(e.message == "unexpected character '='");
}

BOOST_AUTO_TEST_CASE(empty_expression_is_an_error) {
  const auto e = failure("   ");
  BOOST_TEST(e.message == "expected a value, found end of expression");
}

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += piece;
  return out;
}

constexpr std::string_view too_deep =
    "the expression is nested deeper than 256 levels (split "
    "it with let)";

BOOST_AUTO_TEST_CASE(nesting_is_bounded_whatever_nests) {
  // Found by fuzzing: 1,720 nested '[' overflowed the stack of the recursive parser.
  for (const auto& text :
       {repeat("[", 100'000), repeat("(", 100'000), repeat("-", 100'000) + "1",
        repeat("not ", 100'000) + "true", repeat("f(", 100'000), repeat("a ? ", 100'000),
        repeat("{a: ", 100'000), repeat("map(x, y => ", 100'000)}) {
    const auto e = failure(text);
    BOOST_TEST(e.message == too_deep, text.substr(0, 12));
  }
}

BOOST_AUTO_TEST_CASE(chains_are_bounded_as_they_make_the_tree_deep) {
  // A chain nests no brackets but builds a tree as deep as it is long, which evaluating
  // and freeing then recurse through.
  for (const auto& text : {"1" + repeat(" + 1", 100'000), "a" + repeat(".b", 100'000),
                           "a" + repeat("[0]", 100'000), "a" + repeat(" ?? b", 100'000)}) {
    const auto e = failure(text);
    BOOST_TEST(e.message == too_deep, text.substr(0, 12));
  }
}

BOOST_AUTO_TEST_CASE(nesting_up_to_the_limit_parses) {
  BOOST_TEST(parsed(repeat("[", 255) + "1" + repeat("]", 255)) ==
             repeat("[", 255) + "1" + repeat("]", 255));
  BOOST_TEST(failure(repeat("[", 256) + "1" + repeat("]", 256)).message == too_deep);
  BOOST_TEST(parsed("1" + repeat(" + 1", 255)).size() > 0u);
  BOOST_TEST(failure("1" + repeat(" + 1", 256)).message == too_deep);
}

BOOST_AUTO_TEST_SUITE_END()
