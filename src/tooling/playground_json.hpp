#pragma once
// JSON written by the playground's API: a small writer whose strings are always valid
// UTF-8 (bodies and files may hold anything), and pretty text of documents.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ordergate::tooling::playground {

class json_out {
 public:
  json_out() : writer_(buffer_) {}

  json_out& begin_object() { return done(writer_.StartObject()); }
  json_out& end_object() { return done(writer_.EndObject()); }
  json_out& begin_array() { return done(writer_.StartArray()); }
  json_out& end_array() { return done(writer_.EndArray()); }
  json_out& key(std::string_view k);
  json_out& string(std::string_view s);
  json_out& number(std::uint64_t n) { return done(writer_.Uint64(n)); }
  json_out& boolean(bool b) { return done(writer_.Bool(b)); }
  json_out& null() { return done(writer_.Null()); }
  /// A value already written as JSON.
  json_out& raw(std::string_view json);

  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  json_out& done(bool) { return *this; }
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

/// `v` as JSON indented by two spaces.
std::string pretty_json(const rapidjson::Value& v);

/// `text` pretty-printed when it is a JSON document, else `text` itself.
std::string pretty_if_json(std::string_view text);

}  // namespace ordergate::tooling::playground
