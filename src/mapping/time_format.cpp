#include "mapping/time_format.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace ordergate::mapping {
namespace {

using micros_t = std::chrono::microseconds;

// Inline, so that each call's `n` (2 or 4) unrolls the loop.
[[gnu::always_inline]] inline bool digits(std::string_view s, std::size_t at, std::size_t n,
                                          int& out) noexcept {
  if (at + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - unsigned{'0'};
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  out = v;
  return true;
}

/// Floor division that works for negative times too.
std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// "00" to "99", two characters each.
constexpr std::array<char, 200> digit_pairs = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

/// Writes `v` (0 to 99) as two digits.
std::size_t put2(char* p, int v) noexcept {
  std::memcpy(p, digit_pairs.data() + 2 * v, 2);
  return 2;
}

/// "YYYY-MM-DDTHH:MM:SS" (sep between date and time) for a local time in microseconds.
std::size_t format_local(std::int64_t local_us, char sep, bool with_time, char* buf) noexcept {
  const std::int64_t days = floor_div(local_us, 86'400'000'000LL);
  const std::int64_t in_day = local_us - days * 86'400'000'000LL;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  const int year = static_cast<int>(ymd.year());
  std::size_t n = 0;
  if (year >= 0 && year <= 9999) {
    n += put2(buf, year / 100);
    n += put2(buf + n, year % 100);
  } else {  // far from any order's date: the general (slower) way
    n = static_cast<std::size_t>(std::snprintf(buf, 8, "%04d", year));
  }
  buf[n++] = '-';
  n += put2(buf + n, static_cast<int>(static_cast<unsigned>(ymd.month())));
  buf[n++] = '-';
  n += put2(buf + n, static_cast<int>(static_cast<unsigned>(ymd.day())));
  if (!with_time) return n;
  const auto seconds = static_cast<int>(in_day / 1'000'000);
  buf[n++] = sep;
  n += put2(buf + n, seconds / 3600);
  buf[n++] = ':';
  n += put2(buf + n, seconds / 60 % 60);
  buf[n++] = ':';
  n += put2(buf + n, seconds % 60);
  return n;
}

/// ".fff" (places 3, milliseconds) or ".ffffff" (6), truncated, never rounded.
std::size_t format_fraction(std::int64_t micros, int places, char* buf) noexcept {
  const auto in_second = static_cast<int>(micros - floor_div(micros, 1'000'000) * 1'000'000);
  buf[0] = '.';
  const int high = in_second / 10'000;  // the first two digits
  const int rest = in_second % 10'000;
  put2(buf + 1, high);
  if (places == 3) {
    buf[3] = static_cast<char>('0' + rest / 1'000);
    return 4;
  }
  put2(buf + 3, rest / 100);
  put2(buf + 5, rest % 100);
  return 7;
}

std::size_t format_offset(std::int64_t offset_seconds, char* buf) noexcept {
  if (offset_seconds == 0) {
    buf[0] = 'Z';
    return 1;
  }
  buf[0] = offset_seconds < 0 ? '-' : '+';
  const auto a = static_cast<int>(offset_seconds < 0 ? -offset_seconds : offset_seconds);
  put2(buf + 1, a / 3600);
  buf[3] = ':';
  put2(buf + 4, a / 60 % 60);
  return 6;
}

/// A period of one zone with one UTC offset, as a thread keeps its last one.
struct zone_period {
  const date::time_zone* zone = nullptr;
  std::int64_t from = 0;  ///< seconds, inclusive
  std::int64_t to = 0;    ///< seconds, exclusive
  std::int64_t offset = 0;
  bool holds(const date::time_zone& z, std::int64_t at) const noexcept {
    return zone == &z && at >= from && at < to;
  }
};

/// The UTC offset, in seconds, of the local time `local` in `zone`, read as PHP reads
/// shop datetimes (see parse_time). Asking the time zone database costs a search of the
/// zone's transitions; the answer holds over a whole period between two transitions, so
/// each thread keeps the last period it found and its zone (a route reads its shop's
/// datetimes, which come in runs from the same months), and asks again only outside it.
std::int64_t local_offset(const date::time_zone& zone, date::local_seconds local) {
  thread_local zone_period last;  // bounds in local seconds
  const std::int64_t at = local.time_since_epoch().count();
  if (last.holds(zone, at)) return last.offset;
  const date::local_info info = zone.get_info(local);
  const std::int64_t offset =
      (info.result == date::local_info::ambiguous ? info.second.offset : info.first.offset).count();
  if (info.result == date::local_info::unique) {
    // The period's local times lie between its UTC bounds moved by its offset. Near
    // either end a local time may also belong to the next or previous period (ambiguous)
    // or to none (a gap); offsets differ by far less than two days, so two days in from
    // each end every local time is this period's alone.
    constexpr std::int64_t margin = 2 * 86'400;
    const std::int64_t from = info.first.begin.time_since_epoch().count() + offset + margin;
    const std::int64_t to = info.first.end.time_since_epoch().count() + offset - margin;
    if (from <= at && at < to) last = {&zone, from, to, offset};
  }
  return offset;
}

/// The UTC offset, in seconds, of the instant `at` (seconds since the epoch) in `zone`.
/// Like local_offset, each thread keeps the last period between two transitions that it
/// found; an instant belongs to exactly one period, so the period is kept whole.
std::int64_t utc_offset(const date::time_zone& zone, std::int64_t at) {
  thread_local zone_period last;  // bounds in seconds since the epoch
  if (last.holds(zone, at)) return last.offset;
  const date::sys_info info = zone.get_info(date::sys_seconds{std::chrono::seconds{at}});
  last = {&zone, info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
          info.offset.count()};
  return last.offset;
}

}  // namespace

const date::time_zone* find_zone(std::string_view name) noexcept {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<std::int64_t> parse_time(std::string_view s, const date::time_zone& zone) noexcept {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  std::size_t p = 10;
  std::int64_t fraction_us = 0;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    if (!digits(s, p + 1, 2, h) || p + 3 >= s.size() || s[p + 3] != ':' ||
        !digits(s, p + 4, 2, mi)) {
      return std::nullopt;
    }
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, sec)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        int places = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          if (places < 6) {
            fraction_us = fraction_us * 10 + (s[p] - '0');
            ++places;
          }
          ++p;
        }
        if (places == 0) return std::nullopt;
        for (; places < 6; ++places)
          fraction_us *= 10;
      }
    }
  }
  std::optional<std::int64_t> offset_seconds;
  if (p < s.size()) {
    if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == s.size()) {
      offset_seconds = 0;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om;
      const bool colon = p + 3 < s.size() && s[p + 3] == ':';
      if (!digits(s, p + 1, 2, oh) || !digits(s, p + (colon ? 4 : 3), 2, om) ||
          p + (colon ? 6 : 5) != s.size()) {
        return std::nullopt;
      }
      offset_seconds = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const auto local = date::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                     std::chrono::seconds{sec} + micros_t{fraction_us};
  if (offset_seconds) {
    return local.time_since_epoch().count() - *offset_seconds * 1'000'000;
  }
  // Webasyst is PHP, and shop datetimes are read as PHP reads them: a local time that
  // occurs twice (clocks going back) is the later instant, one that does not exist
  // (clocks going forward) is read with the offset before the change, i.e. moved forward
  // by the gap (2010-03-28 02:30 in Moscow is 03:30+04:00).
  const std::int64_t offset = local_offset(zone, date::floor<std::chrono::seconds>(local));
  return local.time_since_epoch().count() - offset * 1'000'000;
}

std::optional<time_style> time_style_from_name(std::string_view name) noexcept {
  if (name == "rfc3339") return time_style::rfc3339;
  if (name == "rfc3339_ms") return time_style::rfc3339_ms;
  if (name == "rfc3339_us") return time_style::rfc3339_us;
  if (name == "datetime") return time_style::datetime;
  if (name == "date") return time_style::date;
  return std::nullopt;
}

std::size_t format_time(std::int64_t micros, const date::time_zone& zone, time_style style,
                        char* buf) {
  const std::int64_t offset = utc_offset(zone, floor_div(micros, 1'000'000));
  const std::int64_t local = micros + offset * 1'000'000;
  std::size_t n = 0;
  switch (style) {
    case time_style::date:
      n = format_local(local, 'T', false, buf);
      break;
    case time_style::datetime:
      n = format_local(local, ' ', true, buf);
      break;
    case time_style::rfc3339:
    case time_style::rfc3339_ms:
    case time_style::rfc3339_us:
      n = format_local(local, 'T', true, buf);
      if (style != time_style::rfc3339) {
        n += format_fraction(local, style == time_style::rfc3339_ms ? 3 : 6, buf + n);
      }
      n += format_offset(offset, buf + n);
      break;
  }
  return n;
}

std::size_t format_rfc3339_utc_ms(std::int64_t micros, char* buf) noexcept {
  std::size_t n = format_local(micros, 'T', true, buf);
  n += format_fraction(micros, 3, buf + n);
  n += format_offset(0, buf + n);
  return n;
}

}  // namespace ordergate::mapping
