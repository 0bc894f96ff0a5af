#pragma once
// An upstream_client on an io_context run by two threads (one with
// ORDERGATE_TEST_THREADS=1), with a blocking call() for tests (bounded wait, so a hung call fails
// the test instead of hanging it).

#include "ordergate/http/upstream_client.hpp"
#include "support/test_threads.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <future>
#include <optional>
#include <thread>
#include <vector>

namespace ordergate::http::testing {

class client_harness {
 public:
  explicit client_harness(upstream_client_settings settings = {}) {
    std::signal(SIGPIPE, SIG_IGN);
    const unsigned threads = ordergate::testing::test_threads();
    settings.single_thread = threads == 1;
    client_.emplace(ioc_.get_executor(), std::move(settings));
    for (unsigned i = 0; i < threads; ++i)
      threads_.emplace_back([this] { ioc_.run(); });
  }
  ~client_harness() {
    client_.reset();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_)
      t.join();
  }
  client_harness(const client_harness&) = delete;
  client_harness& operator=(const client_harness&) = delete;

  upstream_result call(upstream_request request) {
    auto future = asio::co_spawn(ioc_, client_->call(std::move(request)), asio::use_future);
    BOOST_REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    return future.get();
  }

 private:
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      ioc_.get_executor()};
  std::optional<upstream_client> client_;
  std::vector<std::thread> threads_;
};

/// A GET (or `method`) of http://127.0.0.1:<port><path_and_query> with short timeouts.
inline upstream_request local_request(unsigned short port, std::string path_and_query = "/",
                                      verb method = verb::get, bool tls = false,
                                      std::string host = "127.0.0.1") {
  upstream_request req;
  req.service = "fake";
  req.method = method;
  req.url = boost::urls::url(std::string(tls ? "https://" : "http://") + host + ":" +
                             std::to_string(port) + path_and_query);
  req.connect_timeout = std::chrono::milliseconds(2000);
  req.timeout = std::chrono::milliseconds(2000);
  req.backoff_base = std::chrono::milliseconds(5);
  return req;
}

}  // namespace ordergate::http::testing
