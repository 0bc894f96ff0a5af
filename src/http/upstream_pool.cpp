#include "http/upstream_pool.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace ordergate::http {

upstream_pool::upstream_pool(asio::any_io_executor executor, std::size_t max_idle_per_origin,
                             std::chrono::milliseconds idle_timeout)
    : max_idle_(max_idle_per_origin),
      idle_timeout_(idle_timeout),
      sweep_strand_(asio::make_strand(executor)),
      sweep_timer_(sweep_strand_) {}

bool upstream_pool::expired(const upstream_connection& c, clock::time_point now) const noexcept {
  return now - c.parked_at >= idle_timeout_ || now >= c.reusable_until();
}

const asio::execution_context* upstream_pool::context_of(const asio::any_io_executor& executor) {
  return &asio::query(executor, asio::execution::context);
}

std::shared_ptr<upstream_connection> upstream_pool::take(const std::string& origin,
                                                         const asio::execution_context* where) {
  for (;;) {
    std::shared_ptr<upstream_connection> candidate;
    {
      std::lock_guard lock(mutex_);
      const auto it = idle_.find(origin);
      if (it == idle_.end()) return nullptr;
      auto& list = it->second;
      // Newest first: the likeliest to be alive.
      const auto found = std::find_if(list.rbegin(), list.rend(), [where](const auto& c) {
        return context_of(c->executor()) == where;
      });
      if (found == list.rend()) return nullptr;
      candidate = std::move(*found);
      list.erase(std::next(found).base());
    }
    // A request must never go out on a connection the peer already closed: the
    // upstream might have been about to act on it, and we could not tell.
    if (!expired(*candidate, clock::now()) && !candidate->peer_gone()) return candidate;
    discard(std::move(candidate));
  }
}

void upstream_pool::park(const std::string& origin,
                         std::shared_ptr<upstream_connection> connection) {
  connection->parked_at = clock::now();
  if (max_idle_ == 0 || expired(*connection, connection->parked_at)) {
    return discard(std::move(connection));
  }
  std::shared_ptr<upstream_connection> evicted;
  bool schedule = false;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) {
      evicted = std::move(connection);
    } else {
      auto& list = idle_[origin];
      if (list.size() >= max_idle_) {
        evicted = std::move(list.front());
        list.erase(list.begin());
      }
      list.push_back(std::move(connection));
      schedule = !sweep_scheduled_;
      sweep_scheduled_ = true;
    }
  }
  if (evicted) discard(std::move(evicted));
  if (schedule) schedule_sweep();
}

std::size_t upstream_pool::idle_count(const std::string& origin) const {
  std::lock_guard lock(mutex_);
  const auto it = idle_.find(origin);
  return it == idle_.end() ? 0 : it->second.size();
}

void upstream_pool::schedule_sweep() {
  // Every half idle_timeout: a connection lives at most 1.5 x idle_timeout unused.
  const auto period = std::max(idle_timeout_ / 2, std::chrono::milliseconds(10));
  asio::post(sweep_strand_, [self = shared_from_this(), period] {
    self->sweep_timer_.expires_after(period);
    self->sweep_timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->sweep();
    });
  });
}

void upstream_pool::sweep() {
  std::vector<std::shared_ptr<upstream_connection>> dropped;
  bool again = false;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock::now();
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& list = it->second;
      const auto stale = std::stable_partition(list.begin(), list.end(),
                                               [&](const auto& c) { return !expired(*c, now); });
      std::move(stale, list.end(), std::back_inserter(dropped));
      list.erase(stale, list.end());
      it = list.empty() ? idle_.erase(it) : std::next(it);
    }
    again = !idle_.empty() && !shut_down_;
    sweep_scheduled_ = again;
  }
  for (auto& c : dropped)
    discard(std::move(c));
  if (again) schedule_sweep();
}

void upstream_pool::shut_down() {
  std::unordered_map<std::string, std::vector<std::shared_ptr<upstream_connection>>> idle;
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    idle.swap(idle_);
  }
  for (auto& [origin, list] : idle) {
    for (auto& c : list)
      discard(std::move(c));
  }
  asio::post(sweep_strand_, [self = shared_from_this()] { self->sweep_timer_.cancel(); });
}

void upstream_pool::discard(std::shared_ptr<upstream_connection> connection) {
  // Closed on its own strand: a cancelled deadline handler of its stream may still be queued.
  auto executor = connection->executor();
  asio::post(executor, [c = std::move(connection)] { c->close(); });
}

}  // namespace ordergate::http
