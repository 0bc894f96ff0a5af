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

asio::awaitable<void> listener::accept_loop(std::shared_ptr<listener> self) {
  asio::steady_timer pause{self->strand_};
  while (self->acceptor_.is_open()) {
    // Each connection's handlers never run concurrently.
    auto [ec, socket] = co_await self->acceptor_.async_accept(self->next_executor(), use_tuple);
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) break;
    if (ec) {
      if (resource_exhausted(ec)) {
        pause.expires_after(std::chrono::milliseconds(50));
        co_await pause.async_wait(use_tuple);
      }
      continue;
    }
    self->dispatch(tcp::socket(std::move(socket)));
  }
}

asio::any_io_executor listener::next_executor() {
  const auto& contexts = state_->connection_contexts();
  if (contexts.empty()) return serial_executor(ioc_.get_executor(), state_->single_thread());
  const std::size_t turn = turn_;
  turn_ = turn + 1 == contexts.size() ? 0 : turn + 1;
  return contexts[turn]->get_executor();  // its one thread: no strand needed
}

void listener::dispatch(tcp::socket socket) {
  if (!state_->try_admit()) {
    refuse_connection(state_, std::move(socket));
    return;
  }
  auto s = std::make_shared<session>(state_, std::move(socket));
  session::start(std::move(s));
}

}  // namespace ordergate::http
