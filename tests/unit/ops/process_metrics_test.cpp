#include "ordergate/ops/process_metrics.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ordergate::ops;

namespace {

bool shows(const registry& r, const std::string& line) {
  return ("\n" + r.render()).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(process_metrics_series)

BOOST_AUTO_TEST_CASE(every_series_exists_from_registration) {
  registry r;
  process_metrics m(r, "1.2.3");
  BOOST_TEST(shows(r, R"(ordergate_build_info{version="1.2.3"} 1)"));
  BOOST_TEST(shows(r, "ordergate_ready 0"));
  BOOST_TEST(shows(r, R"(ordergate_mapping_reloads_total{outcome="ok"} 0)"));
  BOOST_TEST(shows(r, R"(ordergate_mapping_reloads_total{outcome="failed"} 0)"));
  BOOST_TEST(shows(r, "ordergate_mapping_last_reload_successful 1"));
}

BOOST_AUTO_TEST_CASE(ready_while_serving_and_not_once_draining) {
  registry r;
  process_metrics m(r, "1");
  m.serving();
  BOOST_TEST(shows(r, "ordergate_ready 1"));
  m.draining();
  BOOST_TEST(shows(r, "ordergate_ready 0"));
}

BOOST_AUTO_TEST_CASE(a_refused_reload_is_counted_and_flagged_until_one_succeeds) {
  registry r;
  process_metrics m(r, "1");
  m.reload_failed();
  BOOST_TEST(shows(r, R"(ordergate_mapping_reloads_total{outcome="failed"} 1)"));
  BOOST_TEST(shows(r, "ordergate_mapping_last_reload_successful 0"));
  m.reload_failed();
  m.reload_succeeded();
  BOOST_TEST(shows(r, R"(ordergate_mapping_reloads_total{outcome="failed"} 2)"));
  BOOST_TEST(shows(r, R"(ordergate_mapping_reloads_total{outcome="ok"} 1)"));
  BOOST_TEST(shows(r, "ordergate_mapping_last_reload_successful 1"));
}

BOOST_AUTO_TEST_SUITE_END()
