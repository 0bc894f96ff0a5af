#include "sandbox/reply.hpp"

#include "ordergate/codec/form.hpp"
#include "ordergate/codec/json.hpp"

#include <openssl/evp.h>

#include <boost/beast/http/field.hpp>

#include <array>
#include <cctype>
#include <cstdio>

namespace ordergate::sandbox {
namespace {

/// The RFC 4122 URL namespace, so the UUIDs are reproducible by any v5 implementation.
constexpr std::array<unsigned char, 16> uuid_namespace = {
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

}  // namespace

http::response make_reply(const http::request& req, unsigned status, std::string body,
                          std::string_view content_type, std::string_view type_header) {
  http::response res{static_cast<boost::beast::http::status>(status), req.version()};
  res.set(type_header, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

std::string error_body(std::string_view code, std::string_view message) {
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("error");
  w.string(code);
  w.key("message");
  w.string(message);
  w.end_object();
  return out;
}

std::optional<std::string_view> bearer_token(const http::request& req) {
  const auto it = req.find(boost::beast::http::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view value = it->value();
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() < scheme.size()) return std::nullopt;
  // The scheme is case-insensitive (RFC 7235); the token is not.
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return std::nullopt;
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  return value;
}

target_parts split_target(std::string_view target) noexcept {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string json_string(std::string_view s) {
  std::string out;
  codec::json_writer w(out);
  w.string(s);
  return out;
}

std::string json_text(const codec::node& n) {
  return codec::to_json(n);
}

std::optional<std::string_view> string_member(const codec::node& n, std::string_view key) {
  std::optional<std::string_view> found;
  for (const codec::member& m : n.members()) {
    if (m.key != key) continue;
    if (m.value.is_string()) {
      found = m.value.text();
    } else if (m.value.is_array() && m.value.size() > 0 && m.value.items().back().is_string()) {
      found = m.value.items().back().text();
    } else {
      found.reset();
    }
  }
  return found;
}

std::optional<codec::node> decode_params(std::string_view text, std::pmr::memory_resource& arena) {
  auto decoded = codec::decode_form(text, arena);
  if (!decoded || !decoded->is_object()) return std::nullopt;
  return *decoded;
}

std::string name_uuid(std::string_view name) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, uuid_namespace.data(), uuid_namespace.size());
  EVP_DigestUpdate(ctx, name.data(), name.size());
  EVP_DigestFinal_ex(ctx, digest.data(), &size);
  EVP_MD_CTX_free(ctx);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  char buf[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(buf, sizeof buf, "%02x", digest[static_cast<std::size_t>(i)]);
    out += buf;
  }
  return out;
}

std::optional<std::uint64_t> parse_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

std::string moscow_time(std::chrono::system_clock::time_point t, char separator,
                        unsigned fraction_digits) {
  using namespace std::chrono;
  // Moscow has been UTC+3 all year since 2014; a fixed offset keeps the sandbox free
  // of the tz database.
  const auto local = floor<microseconds>(t) + hours{3};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[48];
  int n =
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02d", int(ymd.year()),
                    unsigned(ymd.month()), unsigned(ymd.day()), separator, int(hms.hours().count()),
                    int(hms.minutes().count()), int(hms.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (fraction_digits > 0) {
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(hms.subseconds().count()));
    out += '.';
    out.append(buf, fraction_digits > 6 ? 6 : fraction_digits);
  }
  return out;
}

}  // namespace ordergate::sandbox
