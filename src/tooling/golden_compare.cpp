#include "tooling/golden_compare.hpp"

#include "ordergate/codec/json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace ordergate::tooling::golden {
namespace {

std::string shorten(std::string s) {
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string number_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return out.GetString();
}

bool is_matcher(const rapidjson::Value& v, const char* name) {
  return v.IsObject() && v.MemberCount() == 1 && v.HasMember(name);
}

void differ(differences& out, const std::string& path, const std::string& expected,
            const std::string& actual) {
  out.push_back((path.empty() ? std::string("(document)") : path) + ":\n    - expected " +
                expected + "\n    + actual   " + actual);
}

}  // namespace

std::string show(const rapidjson::Value& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return shorten(out.GetString());
}

std::string show(const codec::node& n) {
  return shorten(codec::to_json(n));
}

void compare_json(const rapidjson::Value& expected, const codec::node& actual,
                  const std::string& path, differences& out) {
  if (is_matcher(expected, "$any")) return;
  if (is_matcher(expected, "$contains")) {
    const rapidjson::Value& needle = expected["$contains"];
    const std::string text = needle.IsString() ? needle.GetString() : "";
    if (!actual.is_string() || actual.text().find(text) == std::string_view::npos) {
      differ(out, path, "a string containing \"" + text + "\"", show(actual));
    }
    return;
  }
  switch (expected.GetType()) {
    case rapidjson::kNullType:
      if (!actual.is_null()) differ(out, path, "null", show(actual));
      return;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      if (actual.type() != codec::kind::boolean || actual.as_boolean() != expected.GetBool()) {
        differ(out, path, show(expected), show(actual));
      }
      return;
    case rapidjson::kNumberType:
      // Exact text: 29336 and 29336.0 differ on the wire, so they differ here.
      if (!actual.is_number() || actual.text() != number_text(expected))
        differ(out, path, show(expected), show(actual));
      return;
    case rapidjson::kStringType:
      if (!actual.is_string() ||
          actual.text() != std::string_view(expected.GetString(), expected.GetStringLength())) {
        differ(out, path, show(expected), show(actual));
      }
      return;
    case rapidjson::kArrayType: {
      if (!actual.is_array()) {
        differ(out, path, "an array", show(actual));
        return;
      }
      const auto items = actual.items();
      const rapidjson::SizeType n = expected.Size();
      for (rapidjson::SizeType i = 0;
           i < std::max<rapidjson::SizeType>(n, static_cast<rapidjson::SizeType>(items.size()));
           ++i) {
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (i >= n) {
          differ(out, at, "nothing (no such element)", show(items[i]));
        } else if (i >= items.size()) {
          differ(out, at, show(expected[i]), "nothing (the array is shorter)");
        } else {
          compare_json(expected[i], items[i], at, out);
        }
      }
      return;
    }
    case rapidjson::kObjectType: {
      if (!actual.is_object()) {
        differ(out, path, "an object", show(actual));
        return;
      }
      for (const auto& m : expected.GetObject()) {
        const std::string key(m.name.GetString(), m.name.GetStringLength());
        const codec::node* a = actual.find(key);
        if (!a) {
          differ(out, child(path, key), show(m.value), "nothing (the member is missing)");
        } else {
          compare_json(m.value, *a, child(path, key), out);
        }
      }
      for (const codec::member& m : actual.members()) {
        if (!expected.HasMember(std::string(m.key).c_str())) {
          differ(out, child(path, m.key), "nothing (no such member)", show(m.value));
        }
      }
      return;
    }
  }
}

void compare_text(const std::string& expected, const std::string& actual, const std::string& what,
                  differences& out) {
  if (expected == actual) return;
  std::size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at])
    ++at;
  const std::size_t from = at > 40 ? at - 40 : 0;
  out.push_back(what + ": the texts differ at byte " + std::to_string(at) +
                ":\n    - expected ..." + shorten(expected.substr(from, 120)) +
                "\n    + actual   ..." + shorten(actual.substr(from, 120)));
}

}  // namespace ordergate::tooling::golden
