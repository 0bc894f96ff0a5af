#include "ordergate/ops/access_log.hpp"

#include "ordergate/core/utf8.hpp"

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

void put_string(json_writer& w, std::string_view s) {
  // Hostile bytes (a raw path, a forged request id) still make a valid JSON line.
  const std::string clean = core::valid_utf8(s);
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
