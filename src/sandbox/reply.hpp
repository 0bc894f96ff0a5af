#pragma once
// Small pieces every fake vendor shares: building answers, reading tokens and
// query strings, writing JSON text.

#include "ordergate/codec/document.hpp"
#include "ordergate/http/message.hpp"

#include <chrono>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::sandbox {

/// A response to `req` with `status` and `body`, its media type written under the
/// header name `type_header` (Webasyst spells it "Content-type").
http::response make_reply(const http::request& req, unsigned status, std::string body,
                          std::string_view content_type = "application/json",
                          std::string_view type_header = "Content-Type");

/// `{"error": code, "message": message}`: the sandbox's own errors, in ordergate's style.
std::string error_body(std::string_view code, std::string_view message);

/// The token of `Authorization: Bearer <token>`, or nullopt when there is none.
std::optional<std::string_view> bearer_token(const http::request& req);

/// The target's path (before '?') and query (after it, without it).
struct target_parts {
  std::string_view path;
  std::string_view query;
};
target_parts split_target(std::string_view target) noexcept;

/// `s` as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

/// `n` as compact JSON text.
std::string json_text(const codec::node& n);

/// The text of member `key` of object `n` when it is a string (the last one when the
/// key was repeated, as PHP reads `a=1&a=2`), else nullopt.
std::optional<std::string_view> string_member(const codec::node& n, std::string_view key);

/// Decodes a query string or form body into an object; nullopt when it is malformed.
std::optional<codec::node> decode_params(std::string_view text, std::pmr::memory_resource& arena);

/// A deterministic RFC 4122 version 5 UUID for `name` (SHA-1 in the URL namespace).
std::string name_uuid(std::string_view name);

/// Digits only, non-empty, and small enough for 64 bits.
std::optional<std::uint64_t> parse_id(std::string_view s) noexcept;

/// `t` as Moscow local time, `YYYY-MM-DD<separator>HH:MM:SS` plus `fraction_digits`
/// (0..6) decimals: the zone of the recorded shop and of the gift-card platform.
std::string moscow_time(std::chrono::system_clock::time_point t, char separator,
                        unsigned fraction_digits);

}  // namespace ordergate::sandbox
