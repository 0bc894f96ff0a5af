#pragma once
// Calls the sandbox handler in process, as the server would, and reads fixtures.

#include "ordergate/codec/json.hpp"
#include "ordergate/sandbox/sandbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <fstream>
#include <iterator>
#include <memory_resource>
#include <optional>
#include <string>

namespace sandbox_test {

namespace http = ordergate::http;
namespace codec = ordergate::codec;

inline const std::string data_dir = ORDERGATE_TEST_DATA;

inline std::string read_data(const std::string& relative) {
  std::ifstream in(data_dir + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + relative);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The recorded Webasyst body `name`.json.
inline std::string recorded(const std::string& name) {
  return read_data("webasyst/" + name + ".json");
}

/// A fresh set of vendors with the default credentials and the repository's data.
struct vendors_fixture {
  std::shared_ptr<http::handler> vendors = [] {
    ordergate::sandbox::settings s;
    s.data_dir = data_dir;
    return ordergate::sandbox::make_vendors(s);
  }();
  std::string last_route;

  http::response call(http::request req) {
    boost::asio::io_context ioc;
    http::exchange ex;
    std::optional<http::response> out;
    std::exception_ptr failure;
    boost::asio::co_spawn(ioc, vendors->handle(req, ex),
                          [&](std::exception_ptr e, http::response r) {
                            failure = e;
                            if (!e) out = std::move(r);
                          });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    last_route = std::string(ex.route_label());
    return std::move(*out);
  }

  http::response get(std::string target, std::string bearer = {}) {
    http::request req{http::verb::get, target, 11};
    if (!bearer.empty()) req.set(boost::beast::http::field::authorization, "Bearer " + bearer);
    return call(std::move(req));
  }

  http::response post(std::string target, std::string body, std::string content_type,
                      std::string bearer = {}) {
    http::request req{http::verb::post, target, 11};
    if (!content_type.empty()) req.set(boost::beast::http::field::content_type, content_type);
    if (!bearer.empty()) req.set(boost::beast::http::field::authorization, "Bearer " + bearer);
    req.body() = std::move(body);
    req.prepare_payload();
    return call(std::move(req));
  }
};

/// A decoded JSON body; the arena and text live as long as this object.
struct json_doc {
  explicit json_doc(const std::string& text) : text_(text) {
    auto r = codec::decode_json(text_, arena_);
    if (!r) throw std::runtime_error("not JSON: " + r.error().message + ": " + text);
    root = *r;
  }
  json_doc(const json_doc&) = delete;
  const codec::node* operator->() const { return &root; }
  /// The text of a string or number member of an object node.
  static std::string text(const codec::node& n, std::string_view key) {
    const codec::node* v = n.find(key);
    return v ? std::string(v->text()) : std::string("<absent>");
  }

  std::string text_;
  std::pmr::monotonic_buffer_resource arena_;
  codec::node root;
};

inline constexpr const char* webasyst_token = "fixturetoken0123456789abcdef0001";
inline const std::string token_query = std::string("access_token=") + webasyst_token;
inline constexpr const char* form_type = "application/x-www-form-urlencoded";

}  // namespace sandbox_test
