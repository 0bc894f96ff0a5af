// "secret": true config entries: their values are collected for redaction, per route
// and per job, and nothing else is.
#include "ordergate/mapping/mapping.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>

using namespace ordergate;

namespace {

/// The bundled mappings, loaded with every variable they read set.
std::shared_ptr<const mapping::mapping_set> bundled() {
  const std::map<std::string, std::string, std::less<>> env = {
      {"WEBASYST_URL", "https://shop.example"},    {"WEBASYST_TOKEN", "wa-secret-token"},
      {"IMSHOP_KEY", "imshop-secret-key"},         {"IMSHOP_STATUS_URL", "https://imshop.example"},
      {"SHOP_WEBHOOK_KEY", "webhook-secret-key"},  {"GIFTCARD_URL", "https://gift.example"},
      {"GIFTCARD_TOKEN", "giftcard-secret-token"}, {"MARKET_URL", "https://market.example"},
      {"MARKET_TOKEN", "market-secret-token"},
  };
  auto loaded = mapping::load_folder(
      std::string(ORDERGATE_SOURCE_DIR) + "/mappings",
      [&](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  for (const auto& d : loaded.errors.items())
    BOOST_TEST_MESSAGE(d.to_string());
  BOOST_REQUIRE(loaded.mappings);
  return loaded.mappings;
}

bool has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secret_config)

BOOST_AUTO_TEST_CASE(a_route_knows_the_values_of_its_secret_entries_and_no_others) {
  const auto set = bundled();
  const auto route = std::find_if(set->routes.begin(), set->routes.end(),
                                  [](const auto& r) { return r->path == "/imshop/order-history"; });
  BOOST_REQUIRE(route != set->routes.end());
  const auto& secrets = (*route)->secrets;
  BOOST_TEST(has(secrets, "wa-secret-token"));
  BOOST_TEST(has(secrets, "imshop-secret-key"));
  BOOST_TEST(!has(secrets, "https://shop.example"));  // a URL is not marked secret
  BOOST_TEST(!has(secrets, "market-secret-token"));   // another file's secret
}

BOOST_AUTO_TEST_CASE(a_job_knows_the_values_of_its_secret_entries) {
  const auto set = bundled();
  const auto job = std::find_if(set->jobs.begin(), set->jobs.end(),
                                [](const auto& j) { return j->name == "giftcard-market"; });
  BOOST_REQUIRE(job != set->jobs.end());
  BOOST_TEST(has((*job)->secrets, "giftcard-secret-token"));
  BOOST_TEST(has((*job)->secrets, "market-secret-token"));
}

BOOST_AUTO_TEST_SUITE_END()
