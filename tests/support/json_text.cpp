#include "support/json_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>

namespace ordergate::testing {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_sorted(const rapidjson::Value& v, json_writer& w) {
  if (v.IsObject()) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& m : v.GetObject())
      members.push_back(&m);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    w.StartObject();
    for (const auto* m : members) {
      w.Key(m->name.GetString(), m->name.GetStringLength());
      write_sorted(m->value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray())
      write_sorted(e, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

}  // namespace

rapidjson::Document parse_json(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  return d;
}

std::string canonical_json(std::string_view text) {
  rapidjson::Document d = parse_json(text);
  if (d.HasParseError()) return "<not JSON: " + std::string(text) + ">";
  rapidjson::StringBuffer out;
  json_writer w(out);
  write_sorted(d, w);
  return {out.GetString(), out.GetSize()};
}

std::optional<std::string> json_string(std::string_view text, const char* key) {
  const rapidjson::Document d = parse_json(text);
  if (d.HasParseError() || !d.IsObject()) return std::nullopt;
  const auto it = d.FindMember(key);
  if (it == d.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string json_field(std::string_view text, const char* key) {
  return json_string(text, key).value_or("");
}

bool is_event(std::string_view line, std::string_view event) {
  const auto e = json_string(line, "event");
  return e && *e == event;
}

bool is_access_line(std::string_view line) {
  return json_string(line, "request_id").has_value() && !json_string(line, "event").has_value();
}

}  // namespace ordergate::testing
