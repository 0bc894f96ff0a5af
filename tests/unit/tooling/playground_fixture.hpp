#pragma once
// The playground's API over a scratch copy of the bundled mappings, and the same site
// served on 127.0.0.1 port 0 by the project's own server, for requests over sockets.

#include "ordergate/http/server.hpp"
#include "ordergate/tooling/playground.hpp"
#include "support/build_paths.hpp"
#include "support/scratch_dir.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace ordergate::tooling::playground::testing {

/// A JSON answer of the API, parsed.
struct parsed_answer {
  unsigned status = 0;
  rapidjson::Document json;

  std::string text(const char* key) const {
    BOOST_REQUIRE(json.IsObject() && json.HasMember(key) && json[key].IsString());
    return json[key].GetString();
  }
};

inline parsed_answer parse(const api_answer& a) {
  parsed_answer p;
  p.status = a.status;
  p.json.Parse(a.body.c_str());
  BOOST_REQUIRE_MESSAGE(!p.json.HasParseError(), "not JSON: " << a.body);
  return p;
}

inline std::string to_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return out.GetString();
}

/// A copy of the bundled mappings and the API over it.
struct scratch_workspace {
  ordergate::testing::scratch_dir scratch;
  std::filesystem::path mappings = ordergate::testing::copy_mappings(
      ordergate::testing::this_build().mappings(), scratch.path());
  workspace api{mappings.string()};

  /// GET /api/case for a case, parsed (status 200 required).
  parsed_answer open(std::string_view mapping, std::string_view name) const {
    auto opened = parse(api.open_case(mapping, name));
    BOOST_REQUIRE_MESSAGE(opened.status == 200u, to_text(opened.json));
    return opened;
  }

  /// The body of POST /api/run for an opened case, its mapping text and parts as given.
  static std::string run_request(const parsed_answer& opened) {
    rapidjson::Document r(rapidjson::kObjectType);
    auto& a = r.GetAllocator();
    for (const char* key : {"mapping", "case", "file", "mapping_text"})
      r.AddMember(rapidjson::StringRef(key), rapidjson::Value(opened.json[key], a), a);
    r.AddMember("parts", rapidjson::Value(opened.json["parts"], a), a);
    return to_text(r);
  }
};

/// The site of a workspace served on 127.0.0.1 (port 0) by one thread.
class running_site {
 public:
  explicit running_site(std::shared_ptr<const workspace> api, http::server_limits limits = {}) {
    std::signal(SIGPIPE, SIG_IGN);
    http::server_settings settings;
    settings.listen = http::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0);
    settings.limits = limits;
    server_ = std::make_unique<http::server>(ioc_, settings, make_site(std::move(api)));
    const auto bound = server_->start();
    BOOST_REQUIRE(bound.has_value());
    port_ = bound->port();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~running_site() {
    ioc_.stop();
    thread_.join();
    server_.reset();
  }
  running_site(const running_site&) = delete;
  running_site& operator=(const running_site&) = delete;

  unsigned short port() const { return port_; }

 private:
  boost::asio::io_context ioc_;
  std::unique_ptr<http::server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

}  // namespace ordergate::tooling::playground::testing
