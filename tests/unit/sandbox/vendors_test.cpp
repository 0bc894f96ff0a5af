#include "vendor_calls.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace sandbox_test;

BOOST_FIXTURE_TEST_SUITE(vendors, vendors_fixture)

BOOST_AUTO_TEST_CASE(unknown_path_is_404_json) {
  for (const char* path :
       {"/", "/nope", "/shopping/api.php/shop.order.search", "/shop/index.php", "/imshop/nope",
        "/giftcard/v2/orders", "/market/api/v1/market/orders/import"}) {
    const auto res = get(path);
    BOOST_TEST(res.result_int() == 404u, path);
    BOOST_TEST(res.body().starts_with(R"({"error":"not_found","message":)"), path);
    BOOST_TEST(res[boost::beast::http::field::content_type] == "application/json", path);
  }
}

BOOST_AUTO_TEST_CASE(answers_keep_the_request_version_and_keep_alive) {
  http::request req{http::verb::get, "/nope", 10};
  const auto res = call(std::move(req));
  BOOST_TEST(res.version() == 10u);
  BOOST_TEST(!res.keep_alive());
  BOOST_TEST(res[boost::beast::http::field::content_length] == std::to_string(res.body().size()));
}

BOOST_AUTO_TEST_CASE(missing_data_directory_throws_naming_the_file) {
  ordergate::sandbox::settings s;
  s.data_dir = "/nonexistent";
  try {
    ordergate::sandbox::make_vendors(s);
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("/nonexistent/webasyst/") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
