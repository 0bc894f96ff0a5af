#include "ordergate/http/server.hpp"

#include "http/server_state.hpp"

namespace ordergate::http {

// The public object only owns a reference: sessions keep the shared state alive
// until the last connection ends, even after the server object is gone.
struct server::impl {
  std::shared_ptr<server_state> state;
};

server::server(asio::io_context& ioc, server_settings settings, std::shared_ptr<handler> handler,
               std::shared_ptr<server_observer> observer)
    : impl_(std::make_shared<impl>(impl{std::make_shared<server_state>(
          ioc, std::move(settings), std::move(handler), std::move(observer))})) {}

server::~server() {
  impl_->state->shut_down();
}

boost::system::result<tcp::endpoint> server::start() {
  return impl_->state->start();
}

void server::drain(std::chrono::milliseconds grace, std::chrono::milliseconds deadline,
                   std::function<void()> done) {
  impl_->state->drain(grace, deadline, std::move(done));
}

void server::set_handler(std::shared_ptr<handler> handler) {
  impl_->state->set_handler(std::move(handler));
}

std::size_t server::open_connections() const noexcept {
  return impl_->state->open_connections();
}

}  // namespace ordergate::http
