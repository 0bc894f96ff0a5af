#pragma once
// Date-time parsing and formatting for the mapping functions, with explicit IANA
// zones from the system tz database (Howard Hinnant's date/tz).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace date {
class time_zone;
}

namespace ordergate::mapping {

/// The zone named `name`, or nullptr when the tz database does not know it.
const date::time_zone* find_zone(std::string_view name) noexcept;

/// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM:SS[.ffffff]" with an
/// optional "Z" or "+HH:MM" offset. Without an offset the text is read in `zone` as PHP
/// reads it: a time that occurs twice is the later instant, a time in a gap is moved
/// forward by the gap. Fraction digits beyond
/// microseconds are truncated. Returns microseconds since the epoch.
std::optional<std::int64_t> parse_time(std::string_view text, const date::time_zone& zone) noexcept;

enum class time_style {
  rfc3339,     ///< 2020-01-11T16:13:56+03:00
  rfc3339_ms,  ///< 2020-01-11T16:13:56.814+03:00 (milliseconds truncated)
  rfc3339_us,  ///< 2020-01-11T16:13:56.814239+03:00
  datetime,    ///< 2020-01-11 16:13:56 (local time of the zone, no offset)
  date,        ///< 2020-01-11
};

std::optional<time_style> time_style_from_name(std::string_view name) noexcept;

/// Formats `micros` in `zone` with `style` into `buf` (>= 48 bytes); returns the length.
std::size_t format_time(std::int64_t micros, const date::time_zone& zone, time_style style,
                        char* buf);

/// RFC 3339 in UTC with milliseconds ("...T13:13:56.814Z") into `buf` (>= 32 bytes).
std::size_t format_rfc3339_utc_ms(std::int64_t micros, char* buf) noexcept;

}  // namespace ordergate::mapping
