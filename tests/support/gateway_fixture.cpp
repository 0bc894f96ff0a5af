#include "support/gateway_fixture.hpp"

#include "support/test_threads.hpp"

#include <algorithm>
#include <stdexcept>

namespace ordergate::testing {
namespace {

vendor_script not_scripted(const gateway_options& o) {
  if (o.vendor_fallback) return {};
  return [](const recorded_request&, std::size_t) {
    return std::optional<vendor_reply>(
        vendor_reply::json(418, R"({"error":"the test did not script this call"})"));
  };
}

vendor_options vendor_options_of(const gateway_options& o) {
  vendor_options v;
  v.fallback = o.vendor_fallback;
  v.certificate = o.vendor_certificate;
  v.private_key = o.vendor_private_key;
  return v;
}

}  // namespace

header_list bearer(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

header_list with_request_id(header_list headers, std::string id) {
  headers.emplace_back("X-Request-Id", std::move(id));
  return headers;
}

gateway_options with_env(environment env) {
  gateway_options o;
  o.env = std::move(env);
  return o;
}

gateway_options without(std::vector<std::string> names) {
  gateway_options o;
  o.unset = std::move(names);
  return o;
}

gateway_options deferred(environment env) {
  gateway_options o = with_env(std::move(env));
  o.start = false;
  return o;
}

gateway_fixture::gateway_fixture(build_paths p, gateway_options o)
    : paths(std::move(p)),
      options(std::move(o)),
      webasyst(not_scripted(options), vendor_options_of(options)),
      imshop(not_scripted(options), vendor_options_of(options)),
      giftcard(not_scripted(options), vendor_options_of(options)),
      market(not_scripted(options), vendor_options_of(options)) {
  if (options.start) start();
}

environment gateway_fixture::environment_for_gateway() const {
  environment env{
      {"ORDERGATE_LISTEN", "127.0.0.1:0"},
      {"ORDERGATE_MAPPINGS",
       (options.mappings.empty() ? paths.mappings() : options.mappings).string()},
      {"ORDERGATE_STATE_DIR", (scratch.path() / "state").string()},
      {"ORDERGATE_THREADS", std::to_string(test_threads())},
      {"ORDERGATE_DRAIN_GRACE_SECONDS", "0"},
      {"WEBASYST_URL", webasyst.url("/shop")},
      {"WEBASYST_TOKEN", std::string(secret::webasyst_token)},
      {"IMSHOP_KEY", std::string(secret::imshop_key)},
      {"IMSHOP_STATUS_URL", imshop.url("/imshop/status")},
      {"SHOP_WEBHOOK_KEY", std::string(secret::shop_webhook_key)},
      {"GIFTCARD_URL", giftcard.url("/giftcard")},
      {"GIFTCARD_TOKEN", std::string(secret::giftcard_token)},
      {"MARKET_URL", market.url("/market")},
      {"MARKET_TOKEN", std::string(secret::market_token)},
  };
  for (const auto& [name, value] : options.env)
    env[name] = value;
  for (const auto& name : options.unset)
    env.erase(name);
  return env;
}

void gateway_fixture::start() {
  if (gateway) throw std::logic_error("the gateway is already started");
  gateway = start_gateway(paths.binary, environment_for_gateway());
}

std::optional<http_answer> gateway_fixture::post(std::string_view target, std::string_view body,
                                                 header_list headers) {
  return round_trip(port(), post_json(target, body, std::move(headers)));
}

std::optional<http_answer> gateway_fixture::get(std::string_view target, header_list headers) {
  return round_trip(port(), make_request("GET", target, {}, headers));
}

}  // namespace ordergate::testing
