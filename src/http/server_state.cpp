#include "http/server_state.hpp"

#include "http/listener.hpp"
#include "http/session.hpp"

#include <boost/asio/post.hpp>

namespace ordergate::http {

server_state::server_state(asio::io_context& ioc, server_settings settings,
                           std::shared_ptr<handler> h, std::shared_ptr<server_observer> observer)
    : ioc_(ioc),
      settings_(std::move(settings)),
      observer_(std::move(observer)),
      control_(asio::make_strand(ioc)),
      grace_timer_(control_),
      deadline_timer_(control_),
      handler_(std::move(h)) {}

boost::system::result<tcp::endpoint> server_state::start() {
  std::lock_guard lock(mutex_);
  if (listener_ || draining_) return boost::system::error_code(asio::error::already_started);
  auto l = std::make_shared<listener>(ioc_, shared_from_this());
  auto bound = l->open(settings_.listen);
  if (!bound) return bound;
  l->start();
  listener_ = std::move(l);
  return bound;
}

std::shared_ptr<handler> server_state::current_handler() const {
  std::lock_guard lock(mutex_);
  return handler_;
}

void server_state::set_handler(std::shared_ptr<handler> h) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(h);
}

bool server_state::try_admit() noexcept {
  std::size_t open = open_.load();
  do {
    if (open >= settings_.limits.max_connections) return false;
  } while (!open_.compare_exchange_weak(open, open + 1));
  return true;
}

void server_state::add_session(std::uint64_t id, const std::shared_ptr<session>& s) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(id, s);
}

void server_state::session_ended(std::uint64_t id) noexcept {
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
  }
  if (observer_) observer_->connection_closed();
  if (open_.fetch_sub(1) == 1 && stopping_) finish_drain();
}

std::vector<std::shared_ptr<session>> server_state::live_sessions() {
  std::vector<std::shared_ptr<session>> live;
  std::lock_guard lock(mutex_);
  live.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_) {
    if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  return live;
}

void server_state::drain(std::chrono::milliseconds grace, std::chrono::milliseconds deadline,
                         std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    if (!finished_) {
      if (done) done_.push_back(std::move(done));
      if (draining_.exchange(true)) return;  // already draining: `done` joins the first call
    }
  }
  if (finished_) {
    if (done) done();  // drained before: nothing left to wait for
    return;
  }
  asio::post(control_, [self = shared_from_this(), grace, deadline] {
    self->grace_timer_.expires_after(grace);
    self->grace_timer_.async_wait([self, deadline](const boost::system::error_code& ec) {
      if (!ec) self->end_grace(deadline);
    });
  });
}

// Runs on control_.
void server_state::end_grace(std::chrono::milliseconds deadline) {
  stopping_ = true;  // before closing idle sessions: a session that turns idle later sees it
  std::shared_ptr<listener> l;
  {
    std::lock_guard lock(mutex_);
    l = std::move(listener_);
  }
  if (l) l->close();
  for (const auto& s : live_sessions())
    s->close_if_idle();
  if (open_.load() == 0) {
    finish_drain();
    return;
  }
  deadline_timer_.expires_after(deadline);
  deadline_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    self->cut_all();
    self->finish_drain();  // the cut sessions end on their own strands, soon
  });
}

void server_state::cut_all() {
  for (const auto& s : live_sessions())
    s->cut();
}

void server_state::finish_drain() {
  if (finished_.exchange(true)) return;
  std::vector<std::function<void()>> done;
  {
    std::lock_guard lock(mutex_);
    done.swap(done_);
  }
  // Let the deadline timer go so the io_context can run out of work.
  asio::post(control_, [self = shared_from_this()] { self->deadline_timer_.cancel(); });
  for (auto& callback : done)
    callback();
}

void server_state::shut_down() {
  std::shared_ptr<listener> l;
  {
    std::lock_guard lock(mutex_);
    l = std::move(listener_);
  }
  if (l) l->close();
  stopping_ = true;
  draining_ = true;
  asio::post(control_, [self = shared_from_this()] {
    self->grace_timer_.cancel();
    self->deadline_timer_.cancel();
  });
  cut_all();
}

}  // namespace ordergate::http
