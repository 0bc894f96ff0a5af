#include "sandbox/imshop_api.hpp"

#include "ordergate/codec/json.hpp"
#include "sandbox/reply.hpp"

#include <memory_resource>
#include <optional>

namespace ordergate::sandbox {
namespace {

/// Received calls kept for GET /imshop/_sandbox/received; older ones are dropped.
constexpr std::size_t max_received = 1000;

http::response bad_request(const http::request& req, std::string_view message) {
  return make_reply(req, 400, error_body("bad_request", message));
}

/// The optional string member `key`: absent or null gives nullopt; another type fails.
bool optional_string(const codec::node& body, std::string_view key,
                     std::optional<std::string_view>& out) {
  const codec::node* v = body.find(key);
  if (v == nullptr || v->is_null()) return true;
  if (!v->is_string()) return false;
  out = v->text();
  return true;
}

}  // namespace

std::string_view imshop_status_for(std::string_view code) noexcept {
  if (code == "new") return "placed";
  if (code == "processing" || code == "auth" || code == "paid") return "processing";
  if (code == "fulfilling") return "ready_to_dispatch";
  if (code == "shipped") return "dispatched";
  if (code == "pickup") return "ready_for_pickup";
  if (code == "completed") return "done";
  if (code == "refunded" || code == "deleted") return "canceled";
  return "processing";
}

http::response imshop_api::handle(const http::request& req, std::string_view path,
                                  std::string_view& route) {
  if (path == "/status") {
    route = "imshop status";
    return status(req);
  }
  if (path == "/_sandbox/received") {
    route = "imshop _sandbox/received";
    return received(req);
  }
  return make_reply(req, 404, error_body("not_found", "no such Imshop endpoint"));
}

http::response imshop_api::status(const http::request& req) {
  if (req.method() != http::verb::post)
    return make_reply(req, 405, error_body("method_not_allowed", "use POST"));
  if (bearer_token(req) != std::optional<std::string_view>(key_))
    return make_reply(req, 401, error_body("unauthorized", "missing or wrong Bearer key"));

  std::pmr::monotonic_buffer_resource arena;
  const auto body = codec::decode_json_copy(req.body(), arena);
  if (!body) return bad_request(req, "malformed JSON: " + body.error().message);
  if (!body->is_object()) return bad_request(req, "the body must be a JSON object");
  const codec::node* id = body->find("id");
  if (id == nullptr || !(id->is_string() || id->is_number()) || id->text().empty())
    return bad_request(req, "\"id\" must be a non-empty string");
  const codec::node* code = body->find("code");
  if (code == nullptr || !code->is_string() || code->text().empty())
    return bad_request(req, "\"code\" must be a non-empty string");
  std::optional<std::string_view> message, tracking_url, user_id;
  if (!optional_string(*body, "message", message))
    return bad_request(req, "\"message\" must be a string");
  if (!optional_string(*body, "trackingUrl", tracking_url))
    return bad_request(req, "\"trackingUrl\" must be a string");
  if (!optional_string(*body, "userId", user_id))
    return bad_request(req, "\"userId\" must be a string");

  {
    std::lock_guard lock(mutex_);
    received_.push_back(json_text(*body));
    if (received_.size() > max_received) received_.pop_front();
  }

  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("success");
  w.boolean(true);
  w.key("internalId");
  w.string(id->text());
  w.key("uuid");
  w.string(name_uuid("imshop-order:" + std::string(id->text())));
  w.key("newStatus");
  w.string(code->text());
  w.key("imshopStatus");
  w.string(imshop_status_for(code->text()));
  if (message) {
    w.key("message");
    w.string(*message);
  }
  w.end_object();
  return make_reply(req, 200, std::move(out));
}

http::response imshop_api::received(const http::request& req) {
  std::lock_guard lock(mutex_);
  if (req.method() == http::verb::delete_) {
    received_.clear();
    return make_reply(req, 200, "[]");
  }
  if (req.method() != http::verb::get)
    return make_reply(req, 405, error_body("method_not_allowed", "use GET or DELETE"));
  std::string out = "[";
  for (const std::string& body : received_) {
    if (out.size() > 1) out += ',';
    out += body;
  }
  out += ']';
  return make_reply(req, 200, std::move(out));
}

}  // namespace ordergate::sandbox
