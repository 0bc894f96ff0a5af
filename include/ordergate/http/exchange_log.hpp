#pragma once
// The access-log line of one finished exchange, written by every server of the project
// (the gateway and the sandbox vendors).

#include "ordergate/http/message.hpp"
#include "ordergate/ops/access_log.hpp"

#include <chrono>
#include <cstddef>

namespace ordergate::http {

/// Writes the access-log line of one finished exchange (the path without its query:
/// tokens may travel there).
void log_exchange(ops::access_log& log, const request& req, const response& res, const exchange& ex,
                  std::chrono::microseconds duration, std::size_t bytes_in, std::size_t bytes_out);

}  // namespace ordergate::http
