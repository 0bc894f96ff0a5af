#pragma once
// The fields of a process log line (ops::log_event), JSON-escaped.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::ops {

/// Builds `"key":value,...` for log_event. Values are escaped; never put a secret here.
class event_fields {
 public:
  event_fields& add(std::string_view key, std::string_view value);
  event_fields& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  event_fields& add(std::string_view key, std::int64_t value);
  event_fields& add(std::string_view key, double value);
  event_fields& add(std::string_view key, bool value);
  event_fields& add(std::string_view key, const std::vector<std::string>& values);

  const std::string& str() const noexcept { return text_; }

 private:
  void key(std::string_view k);
  std::string text_;
};

}  // namespace ordergate::ops
