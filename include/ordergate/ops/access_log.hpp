#pragma once
// One JSON line per request on stdout (or any FILE*), never a secret.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace ordergate::ops {

struct access_entry {
  std::chrono::system_clock::time_point time;  ///< when the request started
  std::string_view request_id;
  std::string_view method;
  std::string_view path;  ///< without the query string (it may carry tokens)
  std::string_view route;
  unsigned status = 0;
  std::chrono::microseconds duration{0};
  std::chrono::microseconds upstream{0};
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::string_view remote;
};

class access_log {
 public:
  explicit access_log(std::FILE* out = stdout) : out_(out) {}
  /// Formats `e` as one JSON line and writes it whole (lines never interleave).
  void write(const access_entry& e);

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

/// The JSON line for `e`, without the newline (exposed for tests).
std::string format_access_line(const access_entry& e);

/// A JSON line for an event of the process itself (startup, reload, job runs):
/// {"time": ..., "level": ..., "event": ..., <fields>}; `fields_json` is either empty
/// or the inside of a JSON object (`"a":1,"b":"x"`).
void log_event(std::string_view level, std::string_view event, std::string_view fields_json = {},
               std::FILE* out = stdout);

}  // namespace ordergate::ops
