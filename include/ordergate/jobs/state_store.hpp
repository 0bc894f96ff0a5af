#pragma once
// A job's memory between runs: the last state sent per key (for the gift-card
// sync, order id -> status), where each key was last seen (the item's position, for
// jobs with a cursor) and the job's watermark. One file per job in the state
// directory, replaced atomically (temporary file, fsync, rename, fsync of the
// folder), and an exclusive lock so that two runs never share it.

#include <boost/system/result.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::jobs {

/// Why the state could not be opened or saved, and a sentence for people.
struct state_error {
  enum class code : std::uint8_t {
    locked,     ///< another run holds the job's lock: nothing was done
    corrupted,  ///< the state file is not a state file (--reset-state sets it aside)
    io,         ///< the folder or a file could not be created, read or written
  };
  code what = code::io;
  std::string message;
};

class state_store {
 public:
  /// Creates the folder if needed, takes the lock `<dir>/<job>.lock` (without waiting)
  /// and reads `<dir>/<job>.state.json`. A missing file is an empty state (everything
  /// counts as changed); an unreadable or corrupted one is an error unless `reset`,
  /// which moves it aside and starts empty.
  static boost::system::result<std::unique_ptr<state_store>, state_error> open(
      const std::string& dir, const std::string& job, bool reset = false);
  ~state_store();
  state_store(const state_store&) = delete;
  state_store& operator=(const state_store&) = delete;

  struct entry {
    std::string state;  ///< the state last sent (or recorded) for the key
    std::string seen;   ///< the item's position when last handled ("" without a cursor)
  };

  using entry_map = std::map<std::string, entry, std::less<>>;

  /// What is known of `key`, or nullptr.
  const entry* get(std::string_view key) const;
  void set(std::string_view key, std::string_view state, std::string_view seen = {});
  /// Drops what is known of `key`, so that its next run counts it as changed; returns
  /// whether there was anything to drop.
  bool forget(std::string_view key);
  std::size_t size() const noexcept { return entries_.size(); }

  /// The watermark of a job with a cursor: where its next run starts reading.
  const std::optional<std::string>& cursor() const noexcept { return cursor_; }
  void set_cursor(std::string position) { cursor_ = std::move(position); }
  /// Drops the keys last seen at a position that sorts before `position` (keys without
  /// a position are kept); returns how many were dropped.
  std::size_t forget_before(std::string_view position);

  /// Writes every entry atomically; the previous file stays whole if this fails.
  boost::system::result<void, state_error> save();

  const std::string& path() const noexcept { return path_; }

 private:
  state_store(std::string dir, std::string job, int lock_fd);
  boost::system::result<void, state_error> load(bool reset);

  std::string dir_;
  std::string job_;
  std::string path_;
  int lock_fd_;
  entry_map entries_;
  std::optional<std::string> cursor_;
};

}  // namespace ordergate::jobs
