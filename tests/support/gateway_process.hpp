#pragma once
// The real `ordergate serve` as a child process: started with a chosen environment,
// its stdout and stderr captured line by line, waited on for log events, signalled,
// and reaped. A test that forgets to stop it does not leak it: the destructor kills it.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ordergate::testing {

using namespace std::chrono_literals;

/// Environment variables given to the gateway: name -> value.
using environment = std::map<std::string, std::string>;

class gateway_process {
 public:
  /// Starts `binary` with `args` and `env` on top of this process's environment,
  /// from which every variable the gateway reads (ORDERGATE_*, vendor URLs and keys) is
  /// removed first. Does not wait for anything. Throws when the process cannot start.
  gateway_process(const std::filesystem::path& binary, const environment& env,
                  std::vector<std::string> args = {"serve"});
  ~gateway_process();
  gateway_process(const gateway_process&) = delete;
  gateway_process& operator=(const gateway_process&) = delete;

  /// Waits for the "listening" log line and returns the bound port; throws
  /// std::runtime_error with everything the process printed when it does not come.
  unsigned short wait_listening(std::chrono::milliseconds limit = 30s);
  unsigned short port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }

  void send_signal(int signal);
  /// The exit status (128 + signal number when killed by one), or nullopt when the
  /// process still runs after `limit`.
  std::optional<int> wait_exit(std::chrono::milliseconds limit = 30s);

  std::vector<std::string> stdout_lines() const;
  std::vector<std::string> stderr_lines() const;
  /// Both streams, labelled, for failure messages.
  std::string output() const;

  /// Waits until stdout line number `from` or a later one satisfies `match`; returns it.
  std::optional<std::string> wait_for_line(const std::function<bool(std::string_view)>& match,
                                           std::chrono::milliseconds limit = 20s,
                                           std::size_t from = 0) const;
  /// wait_for_line for a JSON log line whose "event" is `event`.
  std::optional<std::string> wait_for_event(std::string_view event,
                                            std::chrono::milliseconds limit = 20s,
                                            std::size_t from = 0) const;

 private:
  void read_output(int out_fd, int err_fd);

  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool drained_ = false;  ///< the reader saw the end of both pipes (guarded by mutex_)
  std::vector<std::string> out_lines_;
  std::vector<std::string> err_lines_;
  std::thread reader_;
};

/// Starts `binary serve` with `env` and waits until it listens.
std::unique_ptr<gateway_process> start_gateway(const std::filesystem::path& binary,
                                               const environment& env);

}  // namespace ordergate::testing
