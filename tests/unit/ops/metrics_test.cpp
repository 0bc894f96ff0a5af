#include "ordergate/ops/metrics.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace ordergate::ops;

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(counter_renders_help_type_and_value) {
  registry r;
  r.get_counter("og_requests_total", "Requests served.", {{"route", "a"}}).inc(3);
  BOOST_TEST(r.render() ==
             "# HELP og_requests_total Requests served.\n"
             "# TYPE og_requests_total counter\n"
             "og_requests_total{route=\"a\"} 3\n");
}

BOOST_AUTO_TEST_CASE(series_without_labels_render_without_braces) {
  registry r;
  r.get_counter("og_up_total", "Starts.").inc();
  BOOST_TEST(r.render() ==
             "# HELP og_up_total Starts.\n"
             "# TYPE og_up_total counter\n"
             "og_up_total 1\n");
}

BOOST_AUTO_TEST_CASE(gauge_renders_shortest_double) {
  registry r;
  auto& g = r.get_gauge("og_open_connections", "Open connections.");
  g.set(2);
  g.add(0.5);
  g.add(-1);
  BOOST_TEST(r.render() ==
             "# HELP og_open_connections Open connections.\n"
             "# TYPE og_open_connections gauge\n"
             "og_open_connections 1.5\n");
}

BOOST_AUTO_TEST_CASE(gauge_renders_special_values) {
  registry r;
  r.get_gauge("a", "x").set(std::numeric_limits<double>::infinity());
  r.get_gauge("b", "x").set(-std::numeric_limits<double>::infinity());
  r.get_gauge("c", "x").set(std::numeric_limits<double>::quiet_NaN());
  const auto text = r.render();
  BOOST_TEST(text.find("\na +Inf\n") != std::string::npos);
  BOOST_TEST(text.find("\nb -Inf\n") != std::string::npos);
  BOOST_TEST(text.find("\nc NaN\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(histogram_renders_cumulative_buckets_sum_and_count) {
  registry r;
  const std::array<double, 3> bounds{0.1, 0.5, 1};
  auto& h = r.get_histogram("og_latency_seconds", "Latency.", {{"route", "x"}}, bounds);
  h.observe(0.05);
  h.observe(0.3);
  h.observe(0.3);
  h.observe(7);
  BOOST_TEST(r.render() ==
             "# HELP og_latency_seconds Latency.\n"
             "# TYPE og_latency_seconds histogram\n"
             "og_latency_seconds_bucket{route=\"x\",le=\"0.1\"} 1\n"
             "og_latency_seconds_bucket{route=\"x\",le=\"0.5\"} 3\n"
             "og_latency_seconds_bucket{route=\"x\",le=\"1\"} 3\n"
             "og_latency_seconds_bucket{route=\"x\",le=\"+Inf\"} 4\n"
             "og_latency_seconds_sum{route=\"x\"} 7.65\n"
             "og_latency_seconds_count{route=\"x\"} 4\n");
}

BOOST_AUTO_TEST_CASE(histogram_boundary_value_goes_into_bucket_with_equal_le) {
  const std::array<double, 3> bounds{1, 2, 3};
  histogram h(bounds);
  h.observe(1);
  h.observe(2);
  h.observe(3);
  h.observe(3.0000001);
  h.observe(0);
  const std::vector<std::uint64_t> expected{2, 1, 1, 1};
  BOOST_TEST(h.bucket_counts() == expected, boost::test_tools::per_element());
  BOOST_TEST(h.count() == 5u);
}

BOOST_AUTO_TEST_CASE(histogram_nan_goes_into_inf_bucket) {
  const std::array<double, 1> bounds{1};
  histogram h(bounds);
  h.observe(std::numeric_limits<double>::quiet_NaN());
  const std::vector<std::uint64_t> expected{0, 1};
  BOOST_TEST(h.bucket_counts() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(histogram_without_labels_has_only_le) {
  registry r;
  const std::array<double, 1> bounds{0.25};
  r.get_histogram("h", "H.", {}, bounds).observe(0.25);
  BOOST_TEST(r.render() ==
             "# HELP h H.\n# TYPE h histogram\n"
             "h_bucket{le=\"0.25\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.25\nh_count 1\n");
}

BOOST_AUTO_TEST_CASE(default_latency_buckets_span_1ms_to_10s) {
  const auto b = latency_buckets();
  BOOST_REQUIRE(!b.empty());
  BOOST_TEST(b.front() == 0.001);
  BOOST_TEST(b.back() == 10.0);
  for (std::size_t i = 1; i < b.size(); ++i)
    BOOST_TEST(b[i - 1] < b[i]);
  registry r;
  r.get_histogram("lat", "L.");
  BOOST_TEST(r.render().find("lat_bucket{le=\"0.001\"} 0\n") != std::string::npos);
  BOOST_TEST(r.render().find("lat_bucket{le=\"10\"} 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(histogram_rejects_unsorted_or_infinite_bounds) {
  const std::array<double, 2> unsorted{2, 1};
  const std::array<double, 2> equal{1, 1};
  const std::array<double, 1> inf{std::numeric_limits<double>::infinity()};
  BOOST_CHECK_THROW(histogram{unsorted}, std::invalid_argument);
  BOOST_CHECK_THROW(histogram{equal}, std::invalid_argument);
  BOOST_CHECK_THROW(histogram{inf}, std::invalid_argument);
  registry r;
  BOOST_CHECK_THROW(r.get_histogram("h", "H.", {}, unsorted), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(histogram_reregistered_with_other_bounds_throws) {
  registry r;
  const std::array<double, 1> one{1};
  const std::array<double, 1> two{2};
  r.get_histogram("h", "H.", {}, one);
  BOOST_CHECK_THROW(r.get_histogram("h", "H.", {{"a", "b"}}, two), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(label_values_escape_backslash_quote_and_newline) {
  registry r;
  r.get_counter("c", "C.", {{"path", "a\\b\"c\nd"}}).inc();
  BOOST_TEST(r.render().find("c{path=\"a\\\\b\\\"c\\nd\"} 1\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_escapes_backslash_and_newline) {
  registry r;
  r.get_counter("c", "one\\two\nthree \"q\"");
  BOOST_TEST(r.render().starts_with("# HELP c one\\\\two\\nthree \"q\"\n"));
}

BOOST_AUTO_TEST_CASE(same_name_and_labels_return_the_same_object) {
  registry r;
  auto& a = r.get_counter("c", "C.", {{"route", "x"}, {"status", "200"}});
  auto& b = r.get_counter("c", "C.", {{"route", "x"}, {"status", "200"}});
  auto& swapped = r.get_counter("c", "C.", {{"status", "200"}, {"route", "x"}});
  auto& other = r.get_counter("c", "C.", {{"route", "y"}, {"status", "200"}});
  BOOST_TEST(&a == &b);
  BOOST_TEST(&a == &swapped);
  BOOST_TEST(&a != &other);
  auto& g1 = r.get_gauge("g", "G.");
  BOOST_TEST(&g1 == &r.get_gauge("g", "G."));
  auto& h1 = r.get_histogram("h", "H.");
  BOOST_TEST(&h1 == &r.get_histogram("h", "H."));
}

BOOST_AUTO_TEST_CASE(family_header_is_written_once_for_several_series) {
  registry r;
  r.get_counter("c", "C.", {{"s", "1"}}).inc();
  r.get_counter("c", "C.", {{"s", "2"}}).inc(2);
  BOOST_TEST(r.render() ==
             "# HELP c C.\n# TYPE c counter\n"
             "c{s=\"1\"} 1\n"
             "c{s=\"2\"} 2\n");
}

BOOST_AUTO_TEST_CASE(output_follows_registration_order) {
  registry r;
  r.get_gauge("zeta", "Z.");
  r.get_counter("alpha", "A.", {{"k", "2"}});
  r.get_counter("alpha", "A.", {{"k", "1"}});
  r.get_counter("mid", "M.");
  const auto text = r.render();
  const auto z = text.find("# HELP zeta");
  const auto a = text.find("# HELP alpha");
  const auto m = text.find("# HELP mid");
  BOOST_TEST(z < a);
  BOOST_TEST(a < m);
  BOOST_TEST(text.find("alpha{k=\"2\"}") < text.find("alpha{k=\"1\"}"));
}

BOOST_AUTO_TEST_CASE(name_reused_with_another_type_throws) {
  registry r;
  r.get_counter("x", "X.");
  BOOST_CHECK_THROW(r.get_gauge("x", "X."), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_histogram("x", "X."), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(invalid_metric_names_throw) {
  registry r;
  BOOST_CHECK_THROW(r.get_counter("", "E."), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("1abc", "E."), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("a-b", "E."), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("a b", "E."), std::invalid_argument);
  BOOST_CHECK_NO_THROW(r.get_counter("ns:sub_name_1", "OK."));
  BOOST_CHECK_NO_THROW(r.get_counter("_x", "OK."));
}

BOOST_AUTO_TEST_CASE(invalid_label_names_throw) {
  registry r;
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"", "v"}}), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"a:b", "v"}}), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"9a", "v"}}), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"__reserved", "v"}}), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  BOOST_CHECK_THROW(r.get_histogram("h", "H.", {{"le", "1"}}), std::invalid_argument);
  BOOST_CHECK_NO_THROW(r.get_counter("c", "C.", {{"le", "1"}}));
}

BOOST_AUTO_TEST_CASE(failed_registration_leaves_no_family_behind) {
  registry r;
  BOOST_CHECK_THROW(r.get_counter("c", "C.", {{"bad-name", "v"}}), std::invalid_argument);
  BOOST_TEST(r.render().empty());
}

BOOST_AUTO_TEST_CASE(concurrent_increments_sum_exactly) {
  registry r;
  auto& c = r.get_counter("c", "C.");
  auto& g = r.get_gauge("g", "G.");
  const std::array<double, 2> bounds{1, 2};
  auto& h = r.get_histogram("h", "H.", {}, bounds);
  constexpr int threads = 4;
  constexpr int per_thread = 20000;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        c.inc();
        g.add(1);
        h.observe(1.5);
      }
    });
  }
  // Rendering concurrently with updates must be safe too.
  for (int i = 0; i < 20; ++i)
    BOOST_TEST(!r.render().empty());
  for (auto& th : pool)
    th.join();
  BOOST_TEST(c.value() == std::uint64_t{threads * per_thread});
  BOOST_TEST(g.value() == double{threads * per_thread});
  BOOST_TEST(h.count() == std::uint64_t{threads * per_thread});
  BOOST_TEST(h.sum() == 1.5 * threads * per_thread);
  BOOST_TEST(h.bucket_counts()[1] == std::uint64_t{threads * per_thread});
}

BOOST_AUTO_TEST_SUITE_END()
