#include "ordergate/http/exchange_log.hpp"

#include <string>

namespace ordergate::http {

void log_exchange(ops::access_log& log, const request& req, const response& res, const exchange& ex,
                  std::chrono::microseconds duration, std::size_t bytes_in, std::size_t bytes_out) {
  const std::string_view target = req.target();
  const std::string remote =
      ex.remote.address().to_string() + ":" + std::to_string(ex.remote.port());
  ops::access_entry e;
  e.time = std::chrono::system_clock::now() - duration;
  e.request_id = ex.request_id;
  e.method = req.method_string();
  e.path = target.substr(0, target.find('?'));
  e.route = ex.route_label();
  e.status = res.result_int();
  e.duration = duration;
  e.upstream = ex.upstream_time;
  e.bytes_in = bytes_in;
  e.bytes_out = bytes_out;
  e.remote = remote;
  log.write(e);
}

}  // namespace ordergate::http
