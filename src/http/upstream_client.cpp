#include "ordergate/http/upstream_client.hpp"

#include "http/upstream_target.hpp"
#include "http/upstream_transport.hpp"
#include "ordergate/core/backoff.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <new>

namespace ordergate::http {
namespace {

using clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds backoff_cap{3000};

upstream_result stamped(upstream_result result, unsigned attempts, clock::time_point started) {
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
  if (result.has_value()) {
    result->attempts = attempts;
    result->elapsed = elapsed;
    return result;
  }
  auto failure = result.error();
  failure.attempts = attempts;
  failure.elapsed = elapsed;
  return upstream_result{boost::system::in_place_error, std::move(failure)};
}

asio::awaitable<upstream_result> call_with_retries(std::shared_ptr<upstream_transport> transport,
                                                   upstream_request call) {
  const auto started = clock::now();
  auto target = make_target(call.url, call.service);
  if (!target)
    co_return stamped(upstream_result{boost::system::in_place_error, target.error()}, 1, started);
  auto req = make_wire_request(call, *target);
  const unsigned max_attempts = std::max(1u, call.max_attempts);
  unsigned attempts = 0;
  for (;;) {
    ++attempts;
    auto result = co_await transport->attempt(req, call, *target);
    if (attempts >= max_attempts || !is_retryable(call.method, result)) {
      co_return stamped(std::move(result), attempts, started);
    }
    asio::steady_timer pause{co_await asio::this_coro::executor,
                             core::backoff_delay(call.backoff_base, attempts, backoff_cap)};
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

// The public object only owns a reference: in-flight calls keep the transport alive.
struct upstream_client::impl {
  std::shared_ptr<upstream_transport> transport;
};

upstream_client::upstream_client(asio::any_io_executor executor, upstream_client_settings settings)
    : impl_(std::make_shared<impl>(
          impl{std::make_shared<upstream_transport>(std::move(executor), settings)})) {}

upstream_client::~upstream_client() {
  impl_->transport->shut_down();
}

asio::awaitable<upstream_result> upstream_client::call(upstream_request request) {
  return call_with_retries(impl_->transport, std::move(request));
}

bool is_retryable(verb method, const upstream_result& result) noexcept {
  const bool idempotent = method == verb::get || method == verb::head;
  if (result.has_value()) {
    const unsigned status = result->status;
    return idempotent && (status == 502 || status == 503 || status == 504);
  }
  try {
    const auto failure = result.error();  // a copy: result<> gives no reference to it
    const bool nothing_sent = !failure.request_sent;
    switch (failure.code) {
      case upstream_errc::resolve_failed:
      case upstream_errc::connect_failed:
        return idempotent || nothing_sent;
      case upstream_errc::timeout:
        // A GET that timed out after it was sent is not repeated: a slow upstream only
        // gets slower when asked twice, and the caller's time budget would multiply.
        return nothing_sent;
      case upstream_errc::tls_failed:  // certificates do not fix themselves
      case upstream_errc::bad_answer:
      case upstream_errc::too_large:
      case upstream_errc::saturated:  // it already waited its bounded time
        return false;
    }
  } catch (const std::bad_alloc&) {
    return false;  // out of memory: certainly not the moment to try again
  }
  return false;
}

}  // namespace ordergate::http
