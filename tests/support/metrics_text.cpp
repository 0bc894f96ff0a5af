#include "support/metrics_text.hpp"

#include <charconv>

namespace ordergate::testing {

std::optional<double> metric_value(std::string_view exposition, std::string_view series) {
  while (!exposition.empty()) {
    const auto end = exposition.find('\n');
    const std::string_view line = exposition.substr(0, end);
    exposition = end == std::string_view::npos ? std::string_view() : exposition.substr(end + 1);
    if (line.size() <= series.size() || !line.starts_with(series) || line[series.size()] != ' ')
      continue;
    const std::string_view number = line.substr(series.size() + 1);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc()) return value;
  }
  return std::nullopt;
}

}  // namespace ordergate::testing
