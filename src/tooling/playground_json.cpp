#include "tooling/playground_json.hpp"

#include "ordergate/codec/json.hpp"
#include "ordergate/core/utf8.hpp"

#include <rapidjson/prettywriter.h>

#include <memory_resource>

namespace ordergate::tooling::playground {

json_out& json_out::key(std::string_view k) {
  const std::string valid = core::valid_utf8(k);
  writer_.Key(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  return *this;
}

json_out& json_out::string(std::string_view s) {
  const std::string valid = core::valid_utf8(s);
  writer_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  return *this;
}

json_out& json_out::raw(std::string_view json) {
  writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  return *this;
}

std::string pretty_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(out);
  w.SetIndent(' ', 2);
  v.Accept(w);
  return {out.GetString(), out.GetSize()};
}

std::string pretty_if_json(std::string_view text) {
  std::pmr::monotonic_buffer_resource arena;
  auto doc = codec::decode_json_copy(text, arena);
  return doc ? codec::to_json(*doc, codec::json_style::pretty) : std::string(text);
}

}  // namespace ordergate::tooling::playground
