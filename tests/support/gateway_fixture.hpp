#pragma once
// The usual integration setup: fake Webasyst, Imshop, gift-card and market vendors on
// their own ports (each under a base-URL path prefix, as real installs often are), and
// the real gateway configured to call them, with test credentials.

#include "support/build_paths.hpp"
#include "support/fake_vendor.hpp"
#include "support/gateway_process.hpp"
#include "support/http_client.hpp"
#include "support/scratch_dir.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::testing {

/// The credentials test gateways are configured with. None may ever appear in a log line.
namespace secret {
inline constexpr std::string_view webasyst_token = "wa-token-0c7b1e5e";
inline constexpr std::string_view imshop_key = "imshop-key-4f2a9d17";
inline constexpr std::string_view shop_webhook_key = "webhook-key-9b3e6c21";
inline constexpr std::string_view giftcard_token = "giftcard-token-7d5a0b44";
inline constexpr std::string_view market_token = "market-token-2e8f1c93";
inline constexpr std::string_view all[] = {webasyst_token, imshop_key, shop_webhook_key,
                                           giftcard_token, market_token};
}  // namespace secret

/// `Authorization: Bearer <token>`.
header_list bearer(std::string_view token);
/// `headers` plus `X-Request-Id: <id>`.
header_list with_request_id(header_list headers, std::string id);

struct gateway_options {
  environment env;                 ///< added to the defaults, replacing same-named ones
  std::vector<std::string> unset;  ///< default variables to leave out
  std::filesystem::path mappings;  ///< empty: the bundled mappings of the source tree
  /// Certificate and key every fake vendor serves HTTPS with; empty: plain HTTP.
  std::filesystem::path vendor_certificate;
  std::filesystem::path vendor_private_key;
  /// Answers every request of every fake vendor that the test does not script (e.g. the
  /// sandbox vendors); null: unscripted requests get a 418.
  std::shared_ptr<http::handler> vendor_fallback;
  bool start = true;  ///< false: the test calls start() itself
};

/// Options with `env` added to the default environment.
gateway_options with_env(environment env);
/// Options with the default variables `names` left out.
gateway_options without(std::vector<std::string> names);
/// Options for a fixture that sets more up (e.g. a mappings copy) before start().
gateway_options deferred(environment env = {});

class gateway_fixture {
 public:
  explicit gateway_fixture(build_paths paths, gateway_options options = {});

  /// Starts the gateway (once) and waits until it listens.
  void start();
  unsigned short port() const { return gateway->port(); }
  /// The environment the gateway is (or will be) started with.
  environment environment_for_gateway() const;

  /// POSTs JSON to the gateway on a new connection.
  std::optional<http_answer> post(std::string_view target, std::string_view body,
                                  header_list headers = {});
  std::optional<http_answer> get(std::string_view target, header_list headers = {});

  build_paths paths;
  gateway_options options;
  scratch_dir scratch;
  fake_vendor webasyst;  ///< WEBASYST_URL = its URL + /shop
  fake_vendor imshop;    ///< IMSHOP_STATUS_URL = its URL + /imshop/status
  fake_vendor giftcard;  ///< GIFTCARD_URL = its URL + /giftcard
  fake_vendor market;    ///< MARKET_URL = its URL + /market
  std::unique_ptr<gateway_process> gateway;
};

}  // namespace ordergate::testing
