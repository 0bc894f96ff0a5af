#pragma once
// A scripted Webasyst shop whose orders change between runs, and an Imshop that
// records the statuses it receives, behind an upstream_caller: for the bundled
// webasyst-imshop status watcher (docs/flows.md, flow 6).

#include "job_fixture.hpp"

#include <algorithm>
#include <optional>

namespace ordergate::jobs::testing {

/// One order of the scripted shop.
struct shop_order {
  int id = 0;
  std::string state = "new";
  std::optional<std::string> updated;  ///< update_datetime; nullopt: never changed
  std::string uuid;                    ///< the imshop_uuid param ("" = none)
  std::string phone = "79161234567";
};

inline shop_order order_of(int id, std::string state, std::optional<std::string> updated) {
  shop_order o;
  o.id = id;
  o.state = std::move(state);
  o.updated = std::move(updated);
  return o;
}

/// What Imshop received: one status per call.
struct received_status {
  std::string id;
  std::string code;
  std::string user_id;
};

class fake_shop final : public pipeline::upstream_caller {
 public:
  std::vector<shop_order> orders;
  /// Orders of the same second come in no guaranteed order: searches list them by id,
  /// descending when this is set (and ascending otherwise).
  bool same_second_newest_id_first = false;
  /// getInfo answers this state instead of the order's (it changed between the two reads).
  std::map<int, std::string> info_state_override;
  /// Imshop's answers by call number (1-based, over the fixture's life): an HTTP status,
  /// or 0 for {"success": false}. Calls not listed succeed.
  std::map<int, unsigned> imshop_answers;
  /// Imshop fails (503) every call for these order ids.
  std::set<std::string> imshop_refuses;
  /// getInfo fails (503) for these order ids.
  std::set<int> info_fails;
  /// Called once the first run's start search has been answered (to change the shop
  /// between that search and the next).
  std::function<void(fake_shop&)> after_start;
  std::vector<received_status> received;
  std::vector<std::string> search_hashes;  ///< the hash of every search, in order
  int imshop_calls = 0;
  int info_calls = 0;

  shop_order& order(int id) {
    const auto it = std::find_if(orders.begin(), orders.end(), [&](auto& o) { return o.id == id; });
    BOOST_REQUIRE(it != orders.end());
    return *it;
  }

  asio::awaitable<http::upstream_result> call(std::string_view step,
                                              http::upstream_request request) override {
    if (step == "start") {
      auto answer = search(request);
      if (after_start) after_start(*this);
      co_return answer;
    }
    if (step == "source") co_return search(request);
    if (step == "info") co_return info(request);
    co_return imshop(request);
  }

 private:
  static http::upstream_answer json(unsigned status, std::string body) {
    http::upstream_answer a;
    a.status = status;
    a.headers.set(boost::beast::http::field::content_type, "application/json");
    a.body = std::move(body);
    return a;
  }

  static std::string quoted(std::string_view s) {
    std::string out;
    codec::json_writer w(out);
    w.string(s);
    return out;
  }

  std::string order_json(const shop_order& o, std::string_view state) const {
    std::string out =
        R"({"id":")" + std::to_string(o.id) + R"(","contact_id":"2","state_id":)" + quoted(state) +
        R"(,"create_datetime":"2026-11-01 10:00:00","update_datetime":)" +
        (o.updated ? quoted(*o.updated) : "null") + R"(,"total":"100.0000","params":)";
    out += o.uuid.empty() ? "[]" : R"({"imshop_uuid":)" + quoted(o.uuid) + "}";
    return out;
  }

  http::upstream_result search(const http::upstream_request& request) {
    std::string from, sort;
    std::size_t offset = 0, limit = 100;
    for (auto p : boost::urls::url_view(request.url).params()) {
      if (p.key == "hash") {
        search_hashes.emplace_back(p.value);
        constexpr std::string_view prefix = "search/update_datetime>=";
        BOOST_REQUIRE(std::string_view(p.value).starts_with(prefix));
        from = std::string(p.value).substr(prefix.size());
      }
      if (p.key == "sort") sort = p.value;
      if (p.key == "offset") offset = std::stoul(std::string(p.value));
      if (p.key == "limit") limit = std::stoul(std::string(p.value));
    }
    std::vector<const shop_order*> matched;
    for (const shop_order& o : orders) {
      if (o.updated && *o.updated >= from) matched.push_back(&o);
    }
    const bool descending = sort == "update_datetime DESC";
    BOOST_REQUIRE(descending || sort == "update_datetime");
    std::sort(matched.begin(), matched.end(), [&](const shop_order* a, const shop_order* b) {
      if (*a->updated != *b->updated)
        return descending ? *a->updated > *b->updated : *a->updated < *b->updated;
      return same_second_newest_id_first ? a->id > b->id : a->id < b->id;
    });
    std::string body = R"({"offset":)" + std::to_string(offset) + R"(,"limit":)" +
                       std::to_string(limit) + R"(,"count":)" + std::to_string(matched.size()) +
                       R"(,"orders":[)";
    for (std::size_t i = offset; i < matched.size() && i < offset + limit; ++i) {
      if (i > offset) body += ',';
      body += order_json(*matched[i], matched[i]->state) + R"(,"items":[]})";
    }
    return json(200, body + "]}");
  }

  http::upstream_result info(const http::upstream_request& request) {
    ++info_calls;
    int id = 0;
    for (auto p : boost::urls::url_view(request.url).params()) {
      if (p.key == "id") id = std::stoi(std::string(p.value));
    }
    if (info_fails.count(id)) return json(503, R"({"error":"busy"})");
    const shop_order& o = order(id);
    const auto state = info_state_override.count(id) ? info_state_override[id] : o.state;
    return json(200, order_json(o, state) + R"(,"contact":{"id":"2","name":"Buyer","phone":)" +
                         quoted(o.phone) + R"(},"items":[]})");
  }

  http::upstream_result imshop(const http::upstream_request& request) {
    const int call = ++imshop_calls;
    std::pmr::monotonic_buffer_resource arena;
    auto doc = codec::decode_json_copy(request.body, arena);
    BOOST_REQUIRE(doc);
    received_status r;
    r.id = std::string(doc->find("id")->text());
    r.code = std::string(doc->find("code")->text());
    if (const codec::node* user = doc->find("userId")) r.user_id = std::string(user->text());
    if (imshop_refuses.count(r.id)) return json(503, R"({"message":"maintenance"})");
    const auto scripted = imshop_answers.find(call);
    if (scripted != imshop_answers.end() && scripted->second >= 400)
      return json(scripted->second, R"({"message":"refused"})");
    received.push_back(r);
    if (scripted != imshop_answers.end())
      return json(200, R"({"success":false,"message":"unknown order"})");
    return json(200, R"({"success":true,"newStatus":)" + quoted(r.code) + "}");
  }
};

/// The bundled status watcher with test configuration.
inline std::shared_ptr<const mapping::compiled_job> watcher_job(
    const std::map<std::string, std::string>& extra = {}) {
  return bundled_job("webasyst-imshop", extra);
}

/// The codes Imshop received, in order, as "id:code".
inline std::vector<std::string> statuses(const fake_shop& shop) {
  std::vector<std::string> out;
  for (const received_status& r : shop.received)
    out.push_back(r.id + ":" + r.code);
  return out;
}

}  // namespace ordergate::jobs::testing
