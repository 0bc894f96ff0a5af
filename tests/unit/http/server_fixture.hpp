#pragma once
// A started http::server on 127.0.0.1 port 0 whose io_context is run by two threads (one
// with ORDERGATE_TEST_THREADS=1), or, as `ordergate serve` runs, by one thread with
// connections on further io_contexts of one thread each; with handlers made from lambdas
// and an observer that counts what it is told.

#include "ordergate/http/server.hpp"
#include "support/test_threads.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ordergate::http::testing {

/// A handler made of a function returning an awaitable (a coroutine lambda).
class lambda_handler final : public handler {
 public:
  using function = std::function<asio::awaitable<response>(request&, exchange&)>;
  explicit lambda_handler(function f) : f_(std::move(f)) {}
  asio::awaitable<response> handle(request& req, exchange& ex) override { return f_(req, ex); }

 private:
  function f_;
};

inline std::shared_ptr<handler> make_handler(lambda_handler::function f) {
  return std::make_shared<lambda_handler>(std::move(f));
}

inline response text_response(std::string body, unsigned status = 200) {
  response res{static_cast<beast::http::status>(status), 11};
  res.set(beast::http::field::content_type, "text/plain");
  res.body() = std::move(body);
  return res;
}

/// Answers "<method> <target> <body>" at once.
inline std::shared_ptr<handler> echo_handler() {
  return make_handler([](request& req, exchange&) -> asio::awaitable<response> {
    co_return text_response(std::string(req.method_string()) + " " + std::string(req.target()) +
                            " " + req.body());
  });
}

/// Waits `delay` on the connection's strand, then answers "slow".
inline std::shared_ptr<handler> slow_handler(std::chrono::milliseconds delay) {
  return make_handler([delay](request&, exchange&) -> asio::awaitable<response> {
    asio::steady_timer timer{co_await asio::this_coro::executor, delay};
    co_await timer.async_wait(asio::use_awaitable);
    co_return text_response("slow");
  });
}

struct counting_observer final : server_observer {
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::mutex mutex;
  struct record {
    unsigned status;
    std::string request_id;
    std::size_t bytes_in;
    std::size_t bytes_out;
  };
  std::vector<record> exchanges;

  void connection_opened() override { ++opened; }
  void connection_closed() override { ++closed; }
  void exchange_done(const request&, const response& res, const exchange& ex,
                     std::chrono::microseconds, std::size_t bytes_in,
                     std::size_t bytes_out) override {
    std::lock_guard lock(mutex);
    exchanges.push_back({res.result_int(), ex.request_id, bytes_in, bytes_out});
  }
  std::vector<record> snapshot() {
    std::lock_guard lock(mutex);
    return exchanges;
  }
};

/// Polls `condition` for up to five seconds; for facts that become true asynchronously.
inline bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

/// `connection_contexts` > 0: that many io_contexts of one thread each run the connections
/// (server_settings::connection_contexts), and one thread runs the server's io_context.
class running_server {
 public:
  explicit running_server(server_limits limits = {}, std::shared_ptr<handler> h = echo_handler(),
                          std::shared_ptr<server_observer> observer = nullptr,
                          unsigned connection_contexts = 0) {
    std::signal(SIGPIPE, SIG_IGN);
    server_settings settings;
    settings.listen = tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0);
    settings.limits = limits;
    const unsigned threads = connection_contexts > 0 ? 1 : ordergate::testing::test_threads();
    settings.single_thread = threads == 1;
    for (unsigned i = 0; i < connection_contexts; ++i) {
      workers_.push_back(std::make_unique<asio::io_context>(1));
      settings.connection_contexts.push_back(workers_.back().get());
    }
    server_ = std::make_unique<server>(ioc_, settings, std::move(h), std::move(observer));
    auto bound = server_->start();
    BOOST_REQUIRE(bound.has_value());
    endpoint_ = *bound;
    for (unsigned i = 0; i < threads; ++i)
      threads_.emplace_back([this] { ioc_.run(); });
    for (const auto& worker : workers_) {
      threads_.emplace_back([&context = *worker] {
        const auto work = asio::make_work_guard(context);
        context.run();
      });
    }
  }
  ~running_server() {
    work_.reset();
    server_.reset();
    ioc_.stop();
    for (const auto& worker : workers_)
      worker->stop();
    for (auto& t : threads_)
      t.join();
  }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  server& srv() { return *server_; }
  const tcp::endpoint& endpoint() const { return endpoint_; }
  asio::io_context& context() { return ioc_; }
  /// The i-th connection context (connection_contexts > i).
  asio::io_context& connection_context(std::size_t i) { return *workers_.at(i); }

 private:
  asio::io_context ioc_;
  // Destroyed before ioc_: their pending handlers end sessions, whose shared state has
  // timers on ioc_.
  std::vector<std::unique_ptr<asio::io_context>> workers_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      ioc_.get_executor()};
  std::unique_ptr<server> server_;
  tcp::endpoint endpoint_;
  std::vector<std::thread> threads_;
};

}  // namespace ordergate::http::testing
