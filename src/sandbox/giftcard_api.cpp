#include "sandbox/giftcard_api.hpp"

#include "ordergate/codec/json.hpp"
#include "sandbox/reply.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <memory_resource>
#include <stdexcept>

namespace ordergate::sandbox {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view orders_path = "/v1/orders";
constexpr std::string_view control_path = "/_sandbox/orders";
constexpr std::string_view status_suffix = "/status";

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// A string member that must be present and non-empty.
std::optional<std::string_view> non_empty_string(const codec::node& n, std::string_view key) {
  const codec::node* v = n.find(key);
  if (v == nullptr || !v->is_string() || v->text().empty()) return std::nullopt;
  return v->text();
}

/// "{id}" from "/{id}/status" below a prefix; empty when the path has another shape.
std::string_view id_before_status(std::string_view rest) {
  if (!rest.starts_with('/') || !rest.ends_with(status_suffix)) return {};
  rest = rest.substr(1, rest.size() - 1 - status_suffix.size());
  return rest.find('/') == std::string_view::npos ? rest : std::string_view();
}

http::response bad_request(const http::request& req, std::string_view message) {
  return make_reply(req, 400, error_body("bad_request", message));
}

}  // namespace

giftcard_api::giftcard_api(const fs::path& dir, std::string token) : token_(std::move(token)) {
  for (int n = 1;; ++n) {
    const fs::path file = dir / ("orders_page_" + std::to_string(n) + ".json");
    if (!fs::exists(file)) break;
    load_page(file);
  }
  if (orders_.empty())
    throw std::runtime_error("no gift-card orders in " + (dir / "orders_page_1.json").string());
}

void giftcard_api::load_page(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::pmr::monotonic_buffer_resource arena;
  const auto doc = codec::decode_json_copy(text, arena, {.max_bytes = 64u << 20, .max_depth = 16});
  if (!doc) throw std::runtime_error(file.string() + ": " + doc.error().message);
  const codec::node* data = doc->find("data");
  if (data == nullptr || !data->is_array())
    throw std::runtime_error(file.string() + ": no \"data\" array");
  for (const codec::node& o : data->items()) {
    const codec::node* number = o.find("number");
    const codec::node* total = o.find("total");
    const auto id = non_empty_string(o, "id");
    const auto created = non_empty_string(o, "createdDate");
    const auto status = non_empty_string(o, "status");
    const auto login = non_empty_string(o, "participantLogin");
    if (!id || !created || !status || !login || number == nullptr || !number->is_number() ||
        !parse_int(number->text()) || total == nullptr || !total->is_number())
      throw std::runtime_error(file.string() +
                               ": an order lacks a field of the gift-card orders page");
    orders_.push_back({std::string(*id), *parse_int(number->text()), std::string(*created),
                       std::string(*status), std::string(*login), std::string(total->text())});
  }
}

http::response giftcard_api::handle(const http::request& req, std::string_view path,
                                    std::string_view& route) {
  if (path.starts_with(control_path)) {
    const std::string_view rest = path.substr(control_path.size());
    if (req.method() != http::verb::post)
      return make_reply(req, 405, error_body("method_not_allowed", "use POST"));
    if (rest.empty()) {
      route = "giftcard _sandbox/orders";
      return append(req);
    }
    if (const auto id = id_before_status(rest); !id.empty()) {
      route = "giftcard _sandbox/orders/status";
      return set_status(req, id);
    }
  } else if (path.starts_with(orders_path)) {
    if (bearer_token(req) != std::optional<std::string_view>(token_))
      return make_reply(req, 401, error_body("unauthorized", "missing or wrong Bearer token"));
    if (req.method() != http::verb::get)
      return make_reply(req, 405, error_body("method_not_allowed", "use GET"));
    const std::string_view rest = path.substr(orders_path.size());
    if (rest.empty()) {
      route = "giftcard v1/orders";
      return list(req);
    }
    if (const auto id = id_before_status(rest); !id.empty()) {
      route = "giftcard v1/orders/status";
      return status_of(req, id);
    }
  }
  return make_reply(req, 404, error_body("not_found", "no such gift-card endpoint"));
}

void giftcard_api::write_order(codec::writer& w, const order& o) {
  w.begin_object();
  w.key("id");
  w.string(o.id);
  w.key("number");
  w.number(std::to_string(o.number));
  w.key("createdDate");
  w.string(o.created_date);
  w.key("status");
  w.string(o.status);
  w.key("participantLogin");
  w.string(o.participant_login);
  w.key("total");
  w.number(o.total);
  w.end_object();
}

std::string giftcard_api::page(std::size_t n) const {
  const std::size_t total_pages = (orders_.size() + page_size - 1) / page_size;
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("data");
  w.begin_array();
  for (std::size_t i = (n - 1) * page_size; i < orders_.size() && i < n * page_size; ++i) {
    write_order(w, orders_[i]);
  }
  w.end_array();
  w.key("totalPages");
  w.number(std::to_string(total_pages));
  w.key("currentPage");
  w.number(std::to_string(n));
  w.key("pageSize");
  w.number(std::to_string(page_size));
  w.end_object();
  return out;
}

http::response giftcard_api::list(const http::request& req) {
  std::pmr::monotonic_buffer_resource arena;
  const auto query = decode_params(split_target(req.target()).query, arena);
  if (!query) return bad_request(req, "malformed query string");
  std::size_t n = 1;
  if (const auto text = string_member(*query, "page")) {
    const auto v = parse_id(*text);
    if (!v || *v < 1 || *v > 1'000'000) return bad_request(req, "page must be an integer >= 1");
    n = static_cast<std::size_t>(*v);
  }
  std::lock_guard lock(mutex_);
  return make_reply(req, 200, page(n));
}

giftcard_api::order* giftcard_api::find(std::string_view id) {
  auto it =
      std::find_if(orders_.begin(), orders_.end(), [&](const order& o) { return o.id == id; });
  return it == orders_.end() ? nullptr : &*it;
}

http::response giftcard_api::status_of(const http::request& req, std::string_view id) {
  std::lock_guard lock(mutex_);
  const order* o = find(id);
  if (o == nullptr) return make_reply(req, 404, error_body("not_found", "no such order"));
  return make_reply(req, 200, "{\"status\":" + json_string(o->status) + "}");
}

http::response giftcard_api::set_status(const http::request& req, std::string_view id) {
  std::pmr::monotonic_buffer_resource arena;
  const auto body = codec::decode_json_copy(req.body(), arena);
  if (!body || !body->is_object()) return bad_request(req, "the body must be a JSON object");
  // Any string is taken, so that an unknown status can be tried against the sync job.
  const auto status = non_empty_string(*body, "status");
  if (!status) return bad_request(req, "\"status\" must be a non-empty string");
  std::lock_guard lock(mutex_);
  order* o = find(id);
  if (o == nullptr) return make_reply(req, 404, error_body("not_found", "no such order"));
  const std::string previous = std::exchange(o->status, std::string(*status));
  return make_reply(req, 200,
                    "{\"id\":" + json_string(o->id) + ",\"status\":" + json_string(o->status) +
                        ",\"previousStatus\":" + json_string(previous) + "}");
}

http::response giftcard_api::append(const http::request& req) {
  std::pmr::monotonic_buffer_resource arena;
  const auto body = codec::decode_json_copy(req.body(), arena);
  if (!body || !body->is_object()) return bad_request(req, "the body must be a JSON object");
  const auto login = non_empty_string(*body, "participantLogin");
  if (!login) return bad_request(req, "\"participantLogin\" must be a non-empty string");
  const codec::node* total = body->find("total");
  if (total == nullptr || !total->is_number())
    return bad_request(req, "\"total\" must be a number");
  const codec::node* number = body->find("number");
  if (number != nullptr && !(number->is_number() && parse_int(number->text())))
    return bad_request(req, "\"number\" must be an integer");
  for (std::string_view key : {"id", "createdDate", "status"}) {
    const codec::node* v = body->find(key);
    if (v != nullptr && !(v->is_string() && !v->text().empty()))
      return bad_request(req, "\"" + std::string(key) + "\" must be a non-empty string");
  }

  std::lock_guard lock(mutex_);
  order o;
  o.number = 1;
  for (const order& x : orders_)
    o.number = std::max(o.number, x.number + 1);
  if (number != nullptr) o.number = *parse_int(number->text());
  const auto given_id = non_empty_string(*body, "id");
  o.id = given_id ? std::string(*given_id) : name_uuid("giftcard:" + std::to_string(o.number));
  if (find(o.id) != nullptr)
    return make_reply(req, 409, error_body("conflict", "an order with this id exists"));
  const auto given_date = non_empty_string(*body, "createdDate");
  o.created_date =
      given_date ? std::string(*given_date) : moscow_time(std::chrono::system_clock::now(), 'T', 6);
  o.status = non_empty_string(*body, "status").value_or("Created");
  o.participant_login = *login;
  o.total = total->text();
  orders_.push_back(o);
  std::string out;
  codec::json_writer w(out);
  write_order(w, o);
  return make_reply(req, 201, std::move(out));
}

}  // namespace ordergate::sandbox
