#pragma once
// Where a route's upstream calls go: the real client in the server, recorded
// answers in golden tests and `ordergate translate`.

#include "ordergate/http/upstream_client.hpp"

#include <string_view>

namespace ordergate::pipeline {

namespace asio = boost::asio;

class upstream_caller {
 public:
  virtual ~upstream_caller() = default;
  /// Performs the call of step `step`; never throws.
  virtual asio::awaitable<http::upstream_result> call(std::string_view step,
                                                      http::upstream_request request) = 0;
};

/// Sends calls through an http::upstream_client.
class client_caller final : public upstream_caller {
 public:
  explicit client_caller(http::upstream_client& client) : client_(client) {}
  asio::awaitable<http::upstream_result> call(std::string_view,
                                              http::upstream_request request) override {
    co_return co_await client_.call(std::move(request));
  }

 private:
  http::upstream_client& client_;
};

}  // namespace ordergate::pipeline
