#pragma once
// ordergate-sandbox: fake Webasyst, Imshop, gift-card and market APIs behind one
// http::handler, served from recorded fixtures, so that ordergate can be tried and
// tested without the real vendors. All state is in memory and thread-safe.

#include "ordergate/http/message.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace ordergate::sandbox {

/// Where the fixtures are and which credentials each fake vendor accepts.
struct settings {
  std::filesystem::path data_dir = "tests/data";  ///< holds webasyst/ and giftcard/
  std::string webasyst_token = "fixturetoken0123456789abcdef0001";
  std::string imshop_key = "sandbox-imshop-key";
  std::string giftcard_token = "sandbox-giftcard-token";
  std::string market_token = "sandbox-market-token";
};

/// Path prefixes of the four vendors on the one listener (e.g. WEBASYST_URL is
/// http://HOST:PORT/shop).
inline constexpr std::string_view webasyst_prefix = "/shop";
inline constexpr std::string_view imshop_prefix = "/imshop";
inline constexpr std::string_view giftcard_prefix = "/giftcard";
inline constexpr std::string_view market_prefix = "/market";

/// The handler serving all four vendors under their prefixes; unknown paths get a
/// 404 JSON answer. Loads the fixtures now: throws std::runtime_error naming the file
/// when one is missing or malformed.
std::shared_ptr<http::handler> make_vendors(const settings& s);

}  // namespace ordergate::sandbox
