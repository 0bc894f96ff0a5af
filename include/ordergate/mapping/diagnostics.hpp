#pragma once
// Where something is in a mapping file, and the errors found while loading one.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ordergate::mapping {

/// A position in a mapping file; `file` is shared by every location of that file.
struct location {
  std::shared_ptr<const std::string> file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  /// "file:line:col" (just the file name, not its folder).
  std::string to_string() const;
};

/// A load-time error: `file:line:col: message`.
struct diagnostic {
  location where;
  std::string message;

  std::string to_string() const;
};

/// Collects every error of a load, not just the first.
class diagnostics {
 public:
  void add(location where, std::string message) {
    items_.push_back({std::move(where), std::move(message)});
  }
  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }
  const std::vector<diagnostic>& items() const noexcept { return items_; }
  void append(const diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }

 private:
  std::vector<diagnostic> items_;
};

}  // namespace ordergate::mapping
