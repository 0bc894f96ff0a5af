#include "support/gateway_process.hpp"

#include "support/json_text.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <stdexcept>

extern char** environ;

namespace ordergate::testing {
namespace {

/// Variables the gateway reads: a test's gateway sees only those the test gives it.
bool read_by_gateway(std::string_view entry) {
  for (std::string_view prefix :
       {"ORDERGATE_", "WEBASYST_", "IMSHOP_", "SHOP_", "GIFTCARD_", "MARKET_", "TRACKING_"}) {
    if (entry.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

std::vector<std::string> child_environment(const environment& env) {
  std::vector<std::string> all;
  for (char** e = environ; *e; ++e) {
    if (!read_by_gateway(*e)) all.emplace_back(*e);
  }
  for (const auto& [name, value] : env)
    all.push_back(name + "=" + value);
  return all;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (auto& s : strings)
    p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

/// The port of the address in a "listening" line ("127.0.0.1:41234").
unsigned short listening_port(std::string_view line) {
  const auto address = json_string(line, "address");
  if (!address) return 0;
  const auto colon = address->rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<unsigned short>(std::stoul(address->substr(colon + 1)));
}

}  // namespace

gateway_process::gateway_process(const std::filesystem::path& binary, const environment& env,
                                 std::vector<std::string> args) {
  std::vector<std::string> argv_strings{binary.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment(env);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2 failed");
  const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
    if (::getppid() != parent) ::_exit(126);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(null_in, 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(null_in);
  ::close(out[1]);
  ::close(err[1]);
  reader_ = std::thread([this, o = out[0], e = err[0]] { read_output(o, e); });
}

gateway_process::~gateway_process() {
  if (!exit_status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  reader_.join();  // the pipes reach EOF once the process is gone
}

void gateway_process::read_output(int out_fd, int err_fd) {
  std::array<pollfd, 2> fds{pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
  std::array<std::string, 2> partial;
  int open = 2;
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[8192];
      const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mutex_);
      auto& lines = i == 0 ? out_lines_ : err_lines_;
      if (n <= 0) {
        if (!partial[i].empty()) lines.push_back(std::move(partial[i]));
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        partial[i].append(chunk, static_cast<std::size_t>(n));
        for (auto nl = partial[i].find('\n'); nl != std::string::npos; nl = partial[i].find('\n')) {
          lines.push_back(partial[i].substr(0, nl));
          partial[i].erase(0, nl + 1);
        }
      }
      changed_.notify_all();
    }
  }
  std::lock_guard lock(mutex_);
  drained_ = true;
  changed_.notify_all();
}

unsigned short gateway_process::wait_listening(std::chrono::milliseconds limit) {
  const auto line = wait_for_event("listening", limit);
  if (!line || (port_ = listening_port(*line)) == 0) {
    throw std::runtime_error("ordergate serve did not report listening; its output:\n" + output());
  }
  return port_;
}

void gateway_process::send_signal(int signal) {
  if (!exit_status_) ::kill(pid_, signal);
}

std::optional<int> gateway_process::wait_exit(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!exit_status_) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);  // waitpid has no timeout; poll it
  }
  // What the process wrote last may still be in the pipes: the caller reads it next.
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, std::max(deadline, std::chrono::steady_clock::now() + 5s),
                      [this] { return drained_; });
  return exit_status_;
}

std::vector<std::string> gateway_process::stdout_lines() const {
  std::lock_guard lock(mutex_);
  return out_lines_;
}

std::vector<std::string> gateway_process::stderr_lines() const {
  std::lock_guard lock(mutex_);
  return err_lines_;
}

std::string gateway_process::output() const {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& l : out_lines_)
    all += "[stdout] " + l + "\n";
  for (const auto& l : err_lines_)
    all += "[stderr] " + l + "\n";
  return all;
}

std::optional<std::string> gateway_process::wait_for_line(
    const std::function<bool(std::string_view)>& match, std::chrono::milliseconds limit,
    std::size_t from) const {
  std::unique_lock lock(mutex_);
  std::optional<std::string> found;
  std::size_t next = from;
  changed_.wait_for(lock, limit, [&] {
    for (; next < out_lines_.size(); ++next) {
      if (match(out_lines_[next])) {
        found = out_lines_[next];
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<std::string> gateway_process::wait_for_event(std::string_view event,
                                                           std::chrono::milliseconds limit,
                                                           std::size_t from) const {
  return wait_for_line([event](std::string_view line) { return is_event(line, event); }, limit,
                       from);
}

std::unique_ptr<gateway_process> start_gateway(const std::filesystem::path& binary,
                                               const environment& env) {
  auto process = std::make_unique<gateway_process>(binary, env);
  process->wait_listening();
  return process;
}

}  // namespace ordergate::testing
