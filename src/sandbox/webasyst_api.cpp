#include "sandbox/webasyst_api.hpp"

#include "ordergate/codec/format.hpp"
#include "ordergate/codec/json.hpp"
#include "sandbox/reply.hpp"

#include <openssl/evp.h>

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <array>
#include <cstdio>

namespace ordergate::sandbox {
namespace {

constexpr std::string_view content_type = "application/json; charset=utf-8";
constexpr std::string_view type_header = "Content-type";  // as Webasyst spells it

/// Tokens of the recorded install other than the valid one (see the fixtures' README).
constexpr std::string_view expired_token = "expiredtoken00000000000000000001";
constexpr std::string_view no_shop_scope_token = "noshopscopetoken0000000000000001";

/// The values the recorded templates carry, replaced by the request's own.
constexpr std::string_view recorded_sha256 =
    "1d6d0e03ad2fbe8fd328450486e146f90ce9159562ab4700ae6b0d5b31cae802";
constexpr std::string_view recorded_verb = "POST";
constexpr std::string_view recorded_method = "shop.order.nosuchmethod";
constexpr std::string_view recorded_app = "nosuchapp";
constexpr std::string_view recorded_url = "api.php/shop/order/search/extra";

std::string sha256_hex(std::string_view s) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(s.data(), s.size(), digest.data(), &size, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < size; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

/// The recorded body with every `recorded` value replaced by `actual`, both written as
/// they appear inside a PHP JSON string.
std::string substitute(const std::string& body, std::string_view recorded,
                       std::string_view actual) {
  auto inner = [](std::string_view s) {
    std::string quoted = php_style(json_string(s));
    return quoted.substr(1, quoted.size() - 2);
  };
  const std::string from = inner(recorded);
  const std::string to = inner(actual);
  std::string out;
  std::size_t pos = 0;
  for (std::size_t hit; (hit = body.find(from, pos)) != std::string::npos;
       pos = hit + from.size()) {
    out.append(body, pos, hit - pos);
    out += to;
  }
  out.append(body, pos);
  return out;
}

/// PHP's intval: optional sign and leading digits; anything else reads as 0.
std::int64_t php_intval(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    v = std::min<std::int64_t>(v * 10 + (c - '0'), 1'000'000'000'000);
  }
  return negative ? -v : v;
}

bool valid_method_name(std::string_view m) {
  return !m.empty() && std::all_of(m.begin(), m.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_';
  });
}

/// `shop.order.search` from `shop.order.search` or `shop/order.search`; empty when the
/// URL is not one of those forms.
std::string method_from_path(std::string_view rest) {
  std::string name(rest);
  if (const auto slash = name.find('/'); slash != std::string::npos) {
    if (name.find('/', slash + 1) != std::string::npos) return {};
    name[slash] = '.';
  }
  if (!valid_method_name(name) || name.find('.') == std::string::npos) return {};
  return name;
}

struct method_info {
  std::string_view name;
  http::verb verb;
  std::string_view route;
};

constexpr std::array<method_info, 6> known_methods = {{
    {"shop.order.search", http::verb::get, "webasyst shop.order.search"},
    {"shop.customer.search", http::verb::get, "webasyst shop.customer.search"},
    {"shop.order.getInfo", http::verb::get, "webasyst shop.order.getInfo"},
    {"shop.order.action", http::verb::post, "webasyst shop.order.action"},
    {"shop.order.delete", http::verb::post, "webasyst shop.order.delete"},
    {"shop.settings.get", http::verb::get, "webasyst shop.settings.get"},
}};

/// "update": {"update_datetime": ...}, as both delete answers carry it.
void write_update(codec::json_writer& w, const shop_orders::delete_result& result) {
  w.key("update");
  w.begin_object();
  w.key("update_datetime");
  w.string(result.update_datetime);
  w.end_object();
}

/// The order log entry of a deletion; order.delete writes the order id as a string.
void write_delete_log(codec::json_writer& w, std::uint64_t id,
                      const shop_orders::delete_result& result, bool id_as_string) {
  w.key("order_id");
  if (id_as_string)
    w.string(std::to_string(id));
  else
    w.number(std::to_string(id));
  w.key("action_id");
  w.string("delete");
  w.key("before_state_id");
  w.string(result.before_state);
  w.key("after_state_id");
  w.string("deleted");
  w.key("id");
  w.number(std::to_string(result.log_id));
}

}  // namespace

/// One request: its parameters decoded, as PHP would see them.
struct webasyst_api::call {
  const http::request& req;
  std::pmr::monotonic_buffer_resource arena;
  codec::node query;  // always an object
  codec::node form;   // the form body's fields (POST with a form body), else empty
};

webasyst_api::webasyst_api(const std::filesystem::path& dir, std::string token)
    : token_(std::move(token)),
      orders_(dir),
      missing_token_(load_recorded(dir, "error_missing_token")),
      invalid_token_(load_recorded(dir, "error_invalid_token")),
      expired_token_(load_recorded(dir, "error_expired_token")),
      no_shop_scope_(load_recorded(dir, "error_token_without_shop_scope")),
      wrong_method_(load_recorded(dir, "error_post_to_search_405")),
      unknown_method_(load_recorded(dir, "error_unknown_method")),
      unknown_app_(load_recorded(dir, "error_unknown_app")),
      malformed_url_(load_recorded(dir, "error_malformed_url")),
      limit_too_big_(load_recorded(dir, "error_limit_5000")),
      offset_negative_(load_recorded(dir, "error_offset_negative")),
      settings_(load_recorded(dir, "settings_get")),
      order_not_found_(load_recorded(dir, "order_getinfo_999_not_found")),
      action_not_found_(load_recorded(dir, "order_action_999_not_found")),
      delete_not_found_(load_recorded(dir, "order_delete_999_not_found")),
      missing_id_(load_recorded(dir, "order_getinfo_no_id")),
      missing_action_(load_recorded(dir, "order_action_missing_action")),
      action_not_allowed_(load_recorded(dir, "order_action_12_process_disallowed")) {}

http::response webasyst_api::answer(const call& c, unsigned status, std::string body) {
  return make_reply(c.req, status, std::move(body), content_type, type_header);
}

http::response webasyst_api::recorded(const call& c, const recorded_answer& a) {
  return answer(c, a.status, a.body);
}

http::response webasyst_api::handle(const http::request& req, std::string_view path,
                                    std::string_view& route) {
  route = "webasyst";
  const auto [target_path, query] = split_target(req.target());
  call c{req, {}, {}, {}};
  const auto q = decode_params(query, c.arena);
  c.query = q ? *q : codec::node::make_object(nullptr, 0);
  c.form = codec::node::make_object(nullptr, 0);
  const auto type = req.find(boost::beast::http::field::content_type);
  if (req.method() == http::verb::post && type != req.end() &&
      codec::format_from_content_type(type->value()) == codec::format::form) {
    if (const auto f = decode_params(req.body(), c.arena)) c.form = *f;
  }

  // Control (no token): POST /_sandbox/orders/<id>/state {"state": "shipped"} runs a
  // workflow action as the shop's staff would (any state, update_datetime = now).
  constexpr std::string_view control = "/_sandbox/orders/";
  if (path.starts_with(control)) {
    route = "webasyst _sandbox/orders/state";
    return set_state(c, path.substr(control.size()));
  }
  constexpr std::string_view script = "/api.php";
  if (!path.starts_with(script))
    return make_reply(req, 404, error_body("not_found", "the sandbox shop serves only api.php"));
  const std::string_view rest = path.substr(script.size());
  const std::string method = rest.starts_with('/') ? method_from_path(rest.substr(1)) : "";
  if (method.empty())
    return answer(c, malformed_url_.status,
                  substitute(malformed_url_.body, recorded_url, "api.php" + std::string(rest)));
  const std::string app = method.substr(0, method.find('.'));
  if (app != "shop" && app != "webasyst")
    return answer(c, unknown_app_.status, substitute(unknown_app_.body, recorded_app, app));
  if (auto refused = check_token(c)) return std::move(*refused);

  const auto known = std::find_if(known_methods.begin(), known_methods.end(),
                                  [&](const method_info& m) { return m.name == method; });
  if (known == known_methods.end())
    return answer(c, unknown_method_.status,
                  substitute(unknown_method_.body, recorded_method, method));
  route = known->route;
  if (req.method() != known->verb)
    return answer(c, wrong_method_.status,
                  substitute(wrong_method_.body, recorded_verb, req.method_string()));
  if (known->name == "shop.order.search") return search(c);
  if (known->name == "shop.customer.search") return customers(c);
  if (known->name == "shop.order.getInfo") return get_info(c);
  if (known->name == "shop.order.action") return action(c);
  if (known->name == "shop.order.delete") return remove(c);
  return recorded(c, settings_);
}

std::optional<http::response> webasyst_api::check_token(const call& c) {
  std::optional<std::string_view> token = string_member(c.query, "access_token");
  if (!token) token = string_member(c.form, "access_token");
  if (!token) token = bearer_token(c.req);
  if (!token || token->empty()) return recorded(c, missing_token_);
  if (*token == token_) return std::nullopt;
  if (*token == expired_token) return recorded(c, expired_token_);
  if (*token == no_shop_scope_token) return recorded(c, no_shop_scope_);
  return answer(c, invalid_token_.status,
                substitute(invalid_token_.body, recorded_sha256, sha256_hex(*token)));
}

http::response webasyst_api::search(const call& c) {
  shop_orders::search_query q;
  // hash=search/contact_id=2||3&update_datetime>=...; like Webasyst, unknown fields are ignored.
  std::string_view hash = string_member(c.query, "hash").value_or("");
  if (hash.starts_with("search/"))
    q.conditions = parse_search_hash(hash.substr(std::string_view("search/").size()));
  // sort=<column> or sort=<column> DESC; default create_datetime DESC.
  if (const auto sort = string_member(c.query, "sort"); sort && !sort->empty()) {
    std::string_view column = *sort;
    q.descending = column.ends_with(" DESC") || column.ends_with(" desc");
    if (q.descending) column.remove_suffix(5);
    q.sort = std::string(column);
  }
  if (const auto limit = string_member(c.query, "limit")) q.limit = php_intval(*limit);
  if (const auto offset = string_member(c.query, "offset")) q.offset = php_intval(*offset);
  if (q.limit > 1000) return recorded(c, limit_too_big_);
  if (q.offset < 0) return recorded(c, offset_negative_);
  return answer(c, 200, orders_.search(q));
}

http::response webasyst_api::set_state(const call& c, std::string_view rest) {
  constexpr std::string_view suffix = "/state";
  const auto id =
      rest.ends_with(suffix) ? parse_id(rest.substr(0, rest.size() - suffix.size())) : std::nullopt;
  if (c.req.method() != http::verb::post || !id)
    return make_reply(c.req, 404, error_body("not_found", "POST /_sandbox/orders/<id>/state"));
  std::pmr::monotonic_buffer_resource arena;
  const auto body = codec::decode_json_copy(c.req.body(), arena);
  const auto state = body && body->is_object() ? string_member(*body, "state") : std::nullopt;
  if (!state || state->empty())
    return make_reply(c.req, 400,
                      error_body("bad_request", "the body must be {\"state\": \"...\"}"));
  const auto changed = orders_.set_state(*id, *state);
  if (!changed) return recorded(c, order_not_found_);
  return answer(c, 200, php_style(json_string(*changed)));
}

http::response webasyst_api::customers(const call& c) {
  // hash=search/phone=79161234567 (or +7...): customers whose phone is exactly that.
  std::string_view hash = string_member(c.query, "hash").value_or("");
  std::string phone;
  if (hash.starts_with("search/")) {
    for (const hash_condition& cond :
         parse_search_hash(hash.substr(std::string_view("search/").size()))) {
      if (cond.field == "phone" && cond.op == "=" && cond.values.size() == 1)
        phone = cond.values[0];
    }
  }
  return answer(c, 200, orders_.customers_by_phone(phone));
}

http::response webasyst_api::get_info(const call& c) {
  const auto id_text = string_member(c.query, "id");
  if (!id_text || id_text->empty()) return recorded(c, missing_id_);
  const auto id = parse_id(*id_text);
  std::optional<std::string> body = id ? orders_.info(*id) : std::nullopt;
  if (!body) return recorded(c, order_not_found_);
  return answer(c, 200, std::move(*body));
}

http::response webasyst_api::action(const call& c) {
  const auto id_text = string_member(c.form, "id");
  if (!id_text || id_text->empty()) return recorded(c, missing_id_);
  const auto action_id = string_member(c.form, "action");
  if (!action_id || action_id->empty()) return recorded(c, missing_action_);
  const auto id = parse_id(*id_text);
  if (!id || !orders_.state_of(*id)) return recorded(c, action_not_found_);
  // Only "delete" (the cancellation) is modelled; it is offered in every state but deleted.
  if (*action_id != "delete") return recorded(c, action_not_allowed_);
  const auto result = orders_.delete_order(*id, true);
  if (result.outcome == shop_orders::delete_outcome::unknown_order)
    return recorded(c, action_not_found_);
  if (result.outcome == shop_orders::delete_outcome::refused)
    return recorded(c, action_not_allowed_);

  // Shaped like the recorded workflow result of order_action_12_ship_allowed.
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("text");
  w.string(string_member(c.form, "text").value_or(""));
  write_update(w, result);
  write_delete_log(w, *id, result, false);
  w.end_object();
  return answer(c, 200, php_style(std::move(out)));
}

http::response webasyst_api::remove(const call& c) {
  const auto id_text = string_member(c.form, "id");
  if (!id_text || id_text->empty()) return recorded(c, missing_id_);
  const auto id = parse_id(*id_text);
  if (!id) return recorded(c, delete_not_found_);
  const auto result = orders_.delete_order(*id, false);
  if (result.outcome != shop_orders::delete_outcome::deleted) return recorded(c, delete_not_found_);

  // As order_delete_11: order_id is a string here, and "update" comes last.
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  write_delete_log(w, *id, result, true);
  write_update(w, result);
  w.end_object();
  return answer(c, 200, php_style(std::move(out)));
}

}  // namespace ordergate::sandbox
