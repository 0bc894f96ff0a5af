#include "ordergate/ops/event_fields.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace ordergate::ops {
namespace {

std::string quoted(std::string_view s) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return {out.GetString(), out.GetSize()};
}

}  // namespace

void event_fields::key(std::string_view k) {
  if (!text_.empty()) text_ += ',';
  text_ += quoted(k);
  text_ += ':';
}

event_fields& event_fields::add(std::string_view k, std::string_view value) {
  key(k);
  text_ += quoted(value);
  return *this;
}

event_fields& event_fields::add(std::string_view k, std::int64_t value) {
  key(k);
  text_ += std::to_string(value);
  return *this;
}

event_fields& event_fields::add(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    text_ += "null";
    return *this;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.3f", value);
  text_.append(buf, static_cast<std::size_t>(n));
  return *this;
}

event_fields& event_fields::add(std::string_view k, bool value) {
  key(k);
  text_ += value ? "true" : "false";
  return *this;
}

event_fields& event_fields::add(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  text_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text_ += ',';
    text_ += quoted(values[i]);
  }
  text_ += ']';
  return *this;
}

}  // namespace ordergate::ops
