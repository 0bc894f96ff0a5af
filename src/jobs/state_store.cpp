#include "ordergate/jobs/state_store.hpp"

#include "ordergate/core/file.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace ordergate::jobs {
namespace {

namespace fs = std::filesystem;

constexpr int format_version = 1;

std::string os_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

/// Writes all of `data` to `fd`.
bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

state_error io_error(std::string message) {
  return {state_error::code::io, std::move(message)};
}

std::string holder_of(const std::string& lock_path) {
  std::ifstream in(lock_path);
  std::string pid;
  std::getline(in, pid);
  return pid.empty() ? std::string() : " (pid " + pid + ")";
}

/// Reads "state", "seen" and "cursor" of a parsed state file; a problem as a sentence, or "".
std::string read_entries(const rapidjson::Document& doc, state_store::entry_map& entries,
                         std::optional<std::string>& cursor) {
  auto text = [](const rapidjson::Value& v) {
    return std::string(v.GetString(), v.GetStringLength());
  };
  for (const auto& m : doc["state"].GetObject()) {
    if (!m.value.IsString()) return "the state of \"" + text(m.name) + "\" is not a string";
    entries[text(m.name)].state = text(m.value);
  }
  if (const auto seen = doc.FindMember("seen"); seen != doc.MemberEnd()) {
    if (!seen->value.IsObject()) return "\"seen\" is not an object";
    for (const auto& m : seen->value.GetObject()) {
      const auto it = entries.find(text(m.name));
      if (!m.value.IsString() || it == entries.end())
        return "\"seen\" of \"" + text(m.name) + "\" is not a string of a known key";
      it->second.seen = text(m.value);
    }
  }
  if (const auto member = doc.FindMember("cursor"); member != doc.MemberEnd()) {
    if (!member->value.IsString()) return "\"cursor\" is not a string";
    cursor = text(member->value);
  }
  return {};
}

}  // namespace

boost::system::result<std::unique_ptr<state_store>, state_error> state_store::open(
    const std::string& dir, const std::string& job, bool reset) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("cannot create the state folder " + dir + ": " + ec.message());
  const std::string lock_path = dir + "/" + job + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(os_error("cannot open " + lock_path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return state_error{state_error::code::locked,
                         "another run of job " + job + " holds " + lock_path +
                             holder_of(lock_path) +
                             "; this run does nothing (runs of one job never overlap)"};
    }
    errno = err;
    return io_error(os_error("cannot lock " + lock_path));
  }
  // Record who holds the lock, for the message another run prints.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  std::unique_ptr<state_store> store(new state_store(dir, job, fd));
  if (auto loaded = store->load(reset); !loaded) return loaded.error();
  return store;
}

state_store::state_store(std::string dir, std::string job, int lock_fd)
    : dir_(std::move(dir)),
      job_(std::move(job)),
      path_(dir_ + "/" + job_ + ".state.json"),
      lock_fd_(lock_fd) {}

state_store::~state_store() {
  ::flock(lock_fd_, LOCK_UN);
  ::close(lock_fd_);
}

boost::system::result<void, state_error> state_store::load(bool reset) {
  const auto text = core::read_file(path_);
  if (!text) {
    if (!fs::exists(path_)) return {};  // first run: every item counts as changed
    return io_error("cannot read " + path_);
  }
  rapidjson::Document doc;
  doc.Parse(text->c_str());
  std::string problem;
  if (doc.HasParseError()) {
    problem = std::string("not JSON (") + rapidjson::GetParseError_En(doc.GetParseError()) +
              " at byte " + std::to_string(doc.GetErrorOffset()) + ")";
  } else if (!doc.IsObject() || !doc.HasMember("version") || !doc["version"].IsInt() ||
             doc["version"].GetInt() != format_version || !doc.HasMember("state") ||
             !doc["state"].IsObject()) {
    problem = "not a state file of version " + std::to_string(format_version);
  } else {
    problem = read_entries(doc, entries_, cursor_);
  }
  if (problem.empty()) return {};
  entries_.clear();
  cursor_.reset();
  if (!reset) {
    return state_error{
        state_error::code::corrupted,
        "the state file " + path_ + " is corrupted: " + problem +
            ". Nothing was sent. Run with --reset-state to set it aside and send every item "
            "again (safe when the sink accepts an item twice)"};
  }
  const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::error_code ec;
  fs::rename(path_, path_ + ".corrupt-" + std::to_string(stamp), ec);
  if (ec) return io_error("cannot move the corrupted state file aside: " + ec.message());
  return {};
}

const state_store::entry* state_store::get(std::string_view key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void state_store::set(std::string_view key, std::string_view state, std::string_view seen) {
  entries_.insert_or_assign(std::string(key), entry{std::string(state), std::string(seen)});
}

bool state_store::forget(std::string_view key) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::size_t state_store::forget_before(std::string_view position) {
  return std::erase_if(entries_, [&](const auto& kv) {
    return !kv.second.seen.empty() && kv.second.seen < position;
  });
}

boost::system::result<void, state_error> state_store::save() {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("version");
  w.Int(format_version);
  w.Key("job");
  w.String(job_.c_str(), static_cast<rapidjson::SizeType>(job_.size()));
  auto text = [&w](const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  };
  if (cursor_) {
    w.Key("cursor");
    text(*cursor_);
  }
  w.Key("state");
  w.StartObject();
  bool any_seen = false;
  for (const auto& [key, e] : entries_) {
    w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
    text(e.state);
    any_seen = any_seen || !e.seen.empty();
  }
  w.EndObject();
  if (any_seen) {
    w.Key("seen");
    w.StartObject();
    for (const auto& [key, e] : entries_) {
      if (e.seen.empty()) continue;
      w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
      text(e.seen);
    }
    w.EndObject();
  }
  w.EndObject();
  const std::string data = std::string(out.GetString(), out.GetSize()) + "\n";
  // A crash at any point leaves either the old file or the new one, never a mix.
  const std::string temp = path_ + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(os_error("cannot write " + temp));
  const bool written = write_all(fd, data) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written) {
    errno = err;
    return io_error(os_error("cannot write " + temp));
  }
  if (::rename(temp.c_str(), path_.c_str()) != 0)
    return io_error(os_error("cannot replace " + path_));
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);  // make the rename itself durable
    ::close(dir_fd);
  }
  return {};
}

}  // namespace ordergate::jobs
