// Rendering output templates. Members whose value is a constant known at load are
// prepared as text and written in one piece by the compact JSON writer and (when the
// value is not an array or an object) by the XML writer; every other encoder receives
// them as events. Both must give the same document, and the same errors.

#include "mapping_harness.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/codec/xml.hpp"

using namespace ordergate;
using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

namespace {

// Constants of every kind (a string that needs escaping, non-ASCII, numbers, literals,
// an array, an object, a constant from configuration), between and inside computed
// members, at the start and at the end of objects. Computed members of every kind too:
// strings and numbers, read or computed, go to the compact JSON and XML writers as one
// event with their key, the rest as two.
const std::string output = R"~({
  "first": "a \"quoted\" back\\slash, a tab\t, «ёлка»",
  "id": "= input.id",
  "count": 1, "price": 12.50, "yes": true, "nothing": null,
  "tags": ["giftcard", 2], "nested": {"k": "v", "n": [1, {"x": "y"}]},
  "currency": "= config.currency",
  "lines": [{"sku": "= input.id", "kind": "giftcard", "count": 1}],
  "amount": "= number(input.price)", "raw": "= input.n", "quote": "= input.quote",
  "label": "= input.id ++ ' «x»\"'", "flag": "= input.id == '7'", "gone": "= input.missing",
  "last": "end"
})~";

constexpr std::string_view expected =
    R"({"first":"a \"quoted\" back\\slash, a tab\t, «ёлка»","id":"7","count":1,)"
    R"("price":12.5,"yes":true,"nothing":null,"tags":["giftcard",2],)"
    R"("nested":{"k":"v","n":[1,{"x":"y"}]},"currency":"RUB",)"
    R"("lines":[{"sku":"7","kind":"giftcard","count":1}],"amount":12.5,"raw":3.10,)"
    R"("quote":"say \"hi\"\n","label":"7 «x»\"","flag":true,"gone":null,"last":"end"})";

struct template_fixture {
  document_fixture doc{
      document_file(output, R"("config": {"currency": {"env": "CUR", "default": "RUB"}},)")};
  std::pmr::monotonic_buffer_resource arena;
  frame f{arena, doc.doc().slot_count};

  template_fixture() {
    auto input = codec::decode_json_copy(
        R"({"id": "7", "price": "12.50", "n": 3.10, "quote": "say \"hi\"\n"})", arena);
    BOOST_REQUIRE(input);
    const auto* root =
        new (arena.allocate(sizeof(codec::node), alignof(codec::node))) codec::node(*input);
    f.slot(doc.doc().input_slot) = value::of(root);
  }
  /// Renders the document into `w`; the writer must not fail.
  void render_into(codec::writer& w) {
    BOOST_REQUIRE(bind_all(doc.doc().lets, f));
    BOOST_REQUIRE(render(doc.doc().output, f, w));
    BOOST_REQUIRE_MESSAGE(!w.failed(), *w.error());
  }
  /// The compact JSON text of `n`.
  static std::string compact(const codec::node& n) { return codec::to_json(n); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(output_template, template_fixture)

BOOST_AUTO_TEST_CASE(constant_members_are_written_as_the_events_would_write_them) {
  std::string text;
  {
    codec::json_writer w(text);
    render_into(w);
  }
  BOOST_TEST(text == expected);
  // The pretty writer and a document tree receive the constants as events.
  std::string pretty;
  {
    codec::json_writer w(pretty, codec::json_style::pretty);
    render_into(w);
  }
  auto reread = codec::decode_json_copy(pretty, arena);
  BOOST_REQUIRE(reread);
  BOOST_TEST(compact(*reread) == expected);
  codec::tree_writer tree(arena);
  render_into(tree);
  BOOST_TEST(compact(tree.result()) == expected);
}

BOOST_AUTO_TEST_CASE(xml_writes_constant_members_as_the_events_would) {
  codec::xml_encode_options options;
  options.declaration = false;
  std::string rendered;
  {
    codec::xml_writer w(rendered, options);
    render_into(w);
  }
  auto same = codec::decode_json_copy(expected, arena);
  BOOST_REQUIRE(same);
  std::string from_events;
  {
    codec::xml_writer w(from_events, options);
    codec::write(w, *same);
  }
  BOOST_TEST(rendered == from_events);
  BOOST_TEST(contains(rendered, "<kind>giftcard</kind>"));
}

BOOST_AUTO_TEST_CASE(xml_constants_are_escaped_and_refused_as_events_are) {
  codec::xml_encode_options options;
  options.declaration = false;
  // Each document once rendered from its template and once from the same members sent
  // as events: the same text, or the same error.
  const auto both = [&](std::string_view members) {
    const document_fixture d(document_file("{\"x\": \"= input\", " + std::string(members) + "}"));
    frame g(arena, d.doc().slot_count);
    g.slot(d.doc().input_slot) = value::string("1");
    std::pair<std::string, std::optional<std::string>> rendered;
    {
      codec::xml_writer w(rendered.first, options);
      BOOST_REQUIRE(render(d.doc().output, g, w));
      rendered.second = w.error();
    }
    auto same = codec::decode_json_copy("{\"x\": 1, " + std::string(members) + "}", arena);
    BOOST_REQUIRE(same);
    std::pair<std::string, std::optional<std::string>> from_events;
    {
      codec::xml_writer w(from_events.first, options);
      codec::write(w, *same);
      from_events.second = w.error();
    }
    BOOST_TEST(rendered.second.value_or("(none)") == from_events.second.value_or("(none)"),
               members);
    if (!rendered.second) BOOST_TEST(rendered.first == from_events.first, members);
    return rendered;
  };
  const auto text = both(R"("a": "x < y & z > w\r", "empty": "", "none": null, "n": 12.5, )"
                         R"("yes": false, "ru": "ёлка")");
  BOOST_TEST(text.first ==
             "<xml><x>1</x><a>x &lt; y &amp; z &gt; w&#13;</a><empty/><none/>"
             "<n>12.5</n><yes>false</yes><ru>ёлка</ru></xml>");
  // A constant XML cannot carry, under a name or as a value, fails as its events do.
  BOOST_TEST(both(R"("1st": "x")").second.has_value());
  BOOST_TEST(both(R"("bell": "\u0007")").second.has_value());
  // Arrays and objects follow the writer's options, so they are sent as events.
  options.arrays = codec::xml_array_style::wrap;
  options.element_names = {{"tags", "tag"}};
  BOOST_TEST(both(R"("tags": ["a", "b"], "o": {"k": 1})").first ==
             "<xml><x>1</x><tags><tag>a</tag><tag>b</tag></tags><o><k>1</k></o></xml>");
}

BOOST_AUTO_TEST_CASE(a_constant_member_counts_toward_the_output_limit) {
  // The last member is a constant, and the limit falls inside it (the object is a
  // template because of its first member; a wholly constant one is one constant value).
  const document_fixture only(
      document_file(R"({"x": "= input", "last": "twenty-one characters"})"));
  frame g(arena, only.doc().slot_count);
  for (const std::size_t limit : {std::size_t{20}, std::size_t{41}}) {
    std::string text;
    codec::json_writer w(text, codec::json_style::compact, limit);
    BOOST_REQUIRE(render(only.doc().output, g, w));
    BOOST_TEST(w.failed() == (limit == 20), limit);
  }
}

BOOST_AUTO_TEST_SUITE_END()
