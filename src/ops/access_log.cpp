#include "ordergate/ops/access_log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ordergate::ops {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// `2026-11-23T09:23:00.123Z`: RFC 3339 in UTC, milliseconds truncated.
std::string rfc3339_utc_ms(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

/// `us` as milliseconds with exactly 3 decimals (`12.345`), without floating point.
std::string millis_text(std::chrono::microseconds us) {
  const long long v = us.count();
  const unsigned long long abs = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%03llu", v < 0 ? "-" : "", abs / 1000, abs % 1000);
  return buf;
}

/// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: no overlongs,
/// no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

/// `s` with every invalid UTF-8 byte replaced by U+FFFD, so that hostile bytes
/// (a raw path, a forged request id) still make a valid JSON line.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const std::size_t n = utf8_sequence_length(s);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      s.remove_prefix(1);
    } else {
      out.append(s.substr(0, n));
      s.remove_prefix(n);
    }
  }
  return out;
}

void put_string(json_writer& w, std::string_view s) {
  const std::string clean = valid_utf8(s);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void put_key(json_writer& w, const char* key) {
  w.Key(key);
}

void put_millis(json_writer& w, std::chrono::microseconds us) {
  const std::string text = millis_text(us);
  w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
}

void write_line(std::FILE* out, std::string line) {
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

}  // namespace

std::string format_access_line(const access_entry& e) {
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  put_key(w, "time");
  put_string(w, rfc3339_utc_ms(e.time));
  put_key(w, "request_id");
  put_string(w, e.request_id);
  put_key(w, "method");
  put_string(w, e.method);
  put_key(w, "path");
  put_string(w, e.path);
  put_key(w, "route");
  put_string(w, e.route);
  put_key(w, "status");
  w.Uint(e.status);
  put_key(w, "duration_ms");
  put_millis(w, e.duration);
  put_key(w, "upstream_ms");
  put_millis(w, e.upstream);
  put_key(w, "bytes_in");
  w.Uint64(e.bytes_in);
  put_key(w, "bytes_out");
  w.Uint64(e.bytes_out);
  put_key(w, "remote");
  put_string(w, e.remote);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

void access_log::write(const access_entry& e) {
  std::string line = format_access_line(e);
  std::lock_guard lock(mutex_);
  write_line(out_, std::move(line));
}

void log_event(std::string_view level, std::string_view event, std::string_view fields_json,
               std::FILE* out) {
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  put_key(w, "time");
  put_string(w, rfc3339_utc_ms(std::chrono::system_clock::now()));
  put_key(w, "level");
  put_string(w, level);
  put_key(w, "event");
  put_string(w, event);
  // The object is closed by hand: the caller's fields are already JSON.
  std::string line(buf.GetString(), buf.GetSize());
  if (!fields_json.empty()) {
    line += ',';
    line += fields_json;
  }
  line += '}';
  // One fwrite per line: stdio locks the stream per call, so lines never interleave.
  write_line(out, std::move(line));
}

}  // namespace ordergate::ops
