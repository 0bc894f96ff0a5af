#include "sandbox/market_api.hpp"

#include "ordergate/codec/format.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/xml.hpp"
#include "sandbox/reply.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <array>
#include <memory_resource>

namespace ordergate::sandbox {
namespace {

constexpr std::string_view import_path = "/api/v1.1/market/orders/import";
constexpr std::string_view stored_path = "/_sandbox/orders";

/// The platform's `error` numbers as the sandbox uses them (0 is success).
enum market_error : int { ok = 0, unauthorized = 1, malformed = 2, invalid = 3, media_type = 4 };

constexpr std::array<std::string_view, 5> statuses = {"new", "paid", "delivered", "canceled",
                                                      "part_refunded"};

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

/// "1000", "1000.5": what the platform takes as a money amount.
bool is_decimal(std::string_view s) noexcept {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return all_digits(s);
  return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

/// `2006-01-23T15:04:05.141Z` or with an offset `+03:00` (RFC 3339 date-time).
bool is_rfc3339(std::string_view s) noexcept {
  auto digits_at = [&](std::size_t pos, std::size_t n) {
    return s.size() >= pos + n && all_digits(s.substr(pos, n));
  };
  if (!(digits_at(0, 4) && s[4] == '-' && digits_at(5, 2) && s[7] == '-' && digits_at(8, 2) &&
        s.size() > 10 && (s[10] == 'T' || s[10] == 't') && digits_at(11, 2) && s[13] == ':' &&
        digits_at(14, 2) && s[16] == ':' && digits_at(17, 2)))
    return false;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < s.size() && is_digit(s[pos]))
      ++pos;
    if (pos == start) return false;
  }
  const std::string_view zone = s.substr(std::min(pos, s.size()));
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1, 2)) &&
         zone[3] == ':' && all_digits(zone.substr(4, 2));
}

std::string market_body(int error, std::string_view text) {
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("error");
  w.number(std::to_string(error));
  w.key("error_text");
  w.string(text);
  w.end_object();
  return out;
}

/// Checks the members of `n` that every order and line share; returns the problem.
std::optional<std::string> required_text(const codec::node& n, std::string_view key,
                                         const std::string& where) {
  const codec::node* v = n.find(key);
  const std::string path = where + "." + std::string(key);
  if (v == nullptr) return path + ": required field is missing";
  if (!v->is_string()) return path + ": must be a string";
  if (v->text().empty()) return path + ": must not be empty";
  return std::nullopt;
}

std::optional<std::string> status_problem(const codec::node& n, const std::string& where) {
  if (auto p = required_text(n, "status", where)) return p;
  const std::string_view s = n.find("status")->text();
  if (std::find(statuses.begin(), statuses.end(), s) == statuses.end())
    return where + ".status: unknown status \"" + std::string(s) +
           "\" (new, paid, delivered, canceled or part_refunded)";
  return std::nullopt;
}

std::optional<std::string> price_problem(const codec::node& n, std::string_view key,
                                         const std::string& where, bool required) {
  if (!required && n.find(key) == nullptr) return std::nullopt;
  if (auto p = required_text(n, key, where)) return p;
  if (!is_decimal(n.find(key)->text()))
    return where + "." + std::string(key) + ": not a decimal amount";
  return std::nullopt;
}

/// An optional object member; an empty XML element (an empty string) counts as empty.
std::optional<std::string> object_problem(const codec::node& n, std::string_view key,
                                          const std::string& where, bool xml) {
  const codec::node* v = n.find(key);
  if (v == nullptr || v->is_object() || (xml && v->is_string() && v->text().empty()))
    return std::nullopt;
  return where + "." + std::string(key) + ": must be an object";
}

std::optional<std::string> line_problem(const codec::node& line, const std::string& where,
                                        bool xml) {
  if (!line.is_object()) return where + ": a line must be an object";
  for (std::string_view key : {"external_id", "status", "sku"})
    if (auto p = required_text(line, key, where)) return p;
  for (std::string_view key : {"base_price_per_item", "min_price_per_item", "final_price_per_item"})
    if (auto p = price_problem(line, key, where, true)) return p;
  const codec::node* count = line.find("count");
  if (count == nullptr) return where + ".count: required field is missing";
  const bool integer =
      (count->is_number() || (xml && count->is_string())) && all_digits(count->text());
  if (!integer) return where + ".count: must be a non-negative integer";
  return object_problem(line, "custom_fields", where, xml);
}

std::optional<std::string> optional_problems(const codec::node& order, const std::string& where,
                                             bool xml) {
  if (auto p = price_problem(order, "delivery_cost", where, false)) return p;
  for (std::string_view key : {"create_time", "update_time"}) {
    const codec::node* v = order.find(key);
    if (v != nullptr && !(v->is_string() && is_rfc3339(v->text())))
      return where + "." + std::string(key) + ": not an RFC 3339 date-time";
  }
  if (const codec::node* tags = order.find("tags")) {
    if (!tags->is_array()) return where + ".tags: must be an array";
    for (const codec::node& t : tags->items())
      if (!t.is_string()) return where + ".tags: must hold strings";
  }
  if (const codec::node* region = order.find("region"); region && !region->is_string())
    return where + ".region: must be a string";
  return object_problem(order, "custom_fields", where, xml);
}

}  // namespace

std::optional<std::string> market_order_problem(const codec::node& order, const std::string& where,
                                                bool xml) {
  if (!order.is_object()) return where + ": an order must be an object";
  for (std::string_view key : {"external_id", "endpoint", "currency"})
    if (auto p = required_text(order, key, where)) return p;
  if (auto p = status_problem(order, where)) return p;
  if (auto p = price_problem(order, "total_price", where, true)) return p;
  // The matching mode names the field that finds the subscriber (email by default).
  std::string_view matching = "email";
  if (const codec::node* m = order.find("matching")) {
    if (!m->is_string() || m->text().empty()) return where + ".matching: must be a string";
    matching = m->text();
  }
  if (auto p = required_text(order, matching, where)) return p;
  if (auto p = optional_problems(order, where, xml)) return p;
  const codec::node* lines = order.find("lines");
  if (lines == nullptr) return where + ".lines: required field is missing";
  if (!lines->is_array()) return where + ".lines: must be an array";
  if (lines->size() == 0) return where + ".lines: at least one line is required";
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string at = where + ".lines[" + std::to_string(i) + "]";
    if (auto p = line_problem(lines->items()[i], at, xml)) return p;
  }
  return std::nullopt;
}

http::response market_api::handle(const http::request& req, std::string_view path,
                                  std::string_view& route) {
  if (path == import_path) {
    route = "market orders/import";
    return import(req);
  }
  if (path == stored_path) {
    route = "market _sandbox/orders";
    return stored(req);
  }
  return make_reply(req, 404, error_body("not_found", "no such market endpoint"));
}

http::response market_api::import(const http::request& req) {
  if (req.method() != http::verb::post)
    return make_reply(req, 405, market_body(malformed, "Method not allowed: use POST"));
  auto format = codec::format::json;
  if (const auto type = req.find(boost::beast::http::field::content_type); type != req.end()) {
    const auto f = codec::format_from_content_type(type->value());
    if (f != codec::format::json && f != codec::format::xml)
      return make_reply(req, 415, market_body(media_type, "Unsupported Content-Type"));
    format = *f;
  }
  const auto header_token = bearer_token(req);
  if (header_token && *header_token != token_)
    return make_reply(req, 401, market_body(unauthorized, "Invalid token"));
  const bool xml = format == codec::format::xml;
  if (!header_token && xml)
    return make_reply(req, 401, market_body(unauthorized, "Token is missing"));

  std::pmr::monotonic_buffer_resource arena;
  codec::xml_decode_options options;
  options.always_array = {"xml.row", "xml.row.tags", "xml.row.lines"};
  const auto doc = xml ? codec::decode_xml(req.body(), arena, {}, options)
                       : codec::decode_json_copy(req.body(), arena);
  if (!doc)
    return make_reply(req, 200, market_body(malformed, "Malformed body: " + doc.error().message));

  codec::node list;  // null: no orders
  std::string where = "data";
  if (xml) {
    const codec::node* root = doc->find("xml");
    if (root == nullptr)
      return make_reply(req, 200, market_body(malformed, "Root element must be <xml>"));
    if (const codec::node* rows = root->find("row")) list = *rows;
    where = "row";
  } else {
    if (!doc->is_object())
      return make_reply(req, 200, market_body(malformed, "Body must be a JSON object"));
    if (!header_token) {
      const auto token = string_member(*doc, "token");
      if (!token) return make_reply(req, 401, market_body(unauthorized, "Token is missing"));
      if (*token != token_) return make_reply(req, 401, market_body(unauthorized, "Invalid token"));
    }
    const codec::node* data = doc->find("data");
    if (data == nullptr || !data->is_array())
      return make_reply(req, 200, market_body(invalid, "data: required array is missing"));
    list = *data;
  }

  for (std::size_t i = 0; i < list.size(); ++i) {
    if (auto p = market_order_problem(list.items()[i], where + "[" + std::to_string(i) + "]", xml))
      return make_reply(req, 200, market_body(invalid, *p));
  }
  std::lock_guard lock(mutex_);
  for (const codec::node& order : list.items()) {
    stored_order s{std::string(order.find("external_id")->text()), json_text(order)};
    auto it = std::find_if(orders_.begin(), orders_.end(),
                           [&](const stored_order& o) { return o.external_id == s.external_id; });
    if (it != orders_.end())
      *it = std::move(s);
    else
      orders_.push_back(std::move(s));
  }
  return make_reply(req, 200, market_body(ok, "Successful operation"));
}

http::response market_api::stored(const http::request& req) {
  std::lock_guard lock(mutex_);
  if (req.method() == http::verb::delete_) {
    orders_.clear();
    return make_reply(req, 200, "[]");
  }
  if (req.method() != http::verb::get)
    return make_reply(req, 405, error_body("method_not_allowed", "use GET or DELETE"));
  std::string out = "[";
  for (const stored_order& o : orders_) {
    if (out.size() > 1) out += ',';
    out += o.json;
  }
  out += ']';
  return make_reply(req, 200, std::move(out));
}

}  // namespace ordergate::sandbox
