#include "http/listener.hpp"

#include "http/closing.hpp"
#include "http/escape_report.hpp"
#include "http/serial_executor.hpp"
#include "http/server_state.hpp"
#include "http/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ordergate::http {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Connections taken per wake-up at most.
constexpr int accept_burst = 64;

// Out of file descriptors or buffers: accepting again at once would spin.
bool resource_exhausted(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory;
}

}  // namespace

listener::listener(asio::io_context& ioc, std::shared_ptr<server_state> state)
    : ioc_(ioc), state_(std::move(state)), strand_(asio::make_strand(ioc)), acceptor_(strand_) {}

boost::system::result<tcp::endpoint> listener::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) acceptor_.non_blocking(true, ec);  // accept_loop takes ready connections
  const auto bound = ec ? tcp::endpoint{} : acceptor_.local_endpoint(ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return ec;
  }
  return bound;
}

void listener::start() {
  asio::co_spawn(strand_, accept_loop(shared_from_this()), escape_reporter{"accept loop"});
}

void listener::close() {
  asio::post(strand_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

// Waits until connections are ready, then takes them without waiting (the acceptor is
// non-blocking). An asynchronous accept would hold, while pending, a socket made on the
// io_context the connection goes to: destroying the listener's io_context would then
// touch that one, which may already be gone.
asio::awaitable<void> listener::accept_loop(std::shared_ptr<listener> self) {
  asio::steady_timer pause{self->strand_};
  while (self->acceptor_.is_open()) {
    auto [wait_ec] = co_await self->acceptor_.async_wait(tcp::acceptor::wait_read, use_tuple);
    if (wait_ec == asio::error::operation_aborted || !self->acceptor_.is_open()) break;
    // A failed wait, or out of descriptors: pause before trying again, else it spins.
    bool back_off = static_cast<bool>(wait_ec);
    // At most a burst at a time, so that a flood of connections does not starve what
    // else runs on this thread.
    for (int taken = 0; taken < accept_burst && !back_off; ++taken) {
      boost::system::error_code ec;
      // Each connection's handlers never run concurrently.
      tcp::socket socket = self->acceptor_.accept(self->next_executor(), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) break;
      back_off = resource_exhausted(ec);
      if (!ec) self->dispatch(std::move(socket));  // else only this connection failed
    }
    if (back_off) {
      pause.expires_after(std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
    }
  }
}

asio::any_io_executor listener::next_executor() const {
  const auto& contexts = state_->connection_contexts();
  if (contexts.empty()) return serial_executor(ioc_.get_executor(), state_->single_thread());
  return contexts[turn_]->get_executor();  // its one thread: no strand needed
}

void listener::dispatch(tcp::socket socket) {
  const std::size_t contexts = state_->connection_contexts().size();
  if (contexts > 0) turn_ = turn_ + 1 == contexts ? 0 : turn_ + 1;
  if (!state_->try_admit()) {
    refuse_connection(state_, std::move(socket));
    return;
  }
  auto s = std::make_shared<session>(state_, std::move(socket));
  session::start(std::move(s));
}

}  // namespace ordergate::http
