#include "tooling/playground_parts.hpp"

#include "ordergate/codec/form.hpp"
#include "ordergate/codec/json.hpp"
#include "tooling/case_text.hpp"
#include "tooling/playground_json.hpp"

#include <algorithm>
#include <array>
#include <memory_resource>

namespace ordergate::tooling::playground {
namespace {

namespace beast = boost::beast;
using json = rapidjson::Value;
using golden::case_problems;

constexpr std::array<std::string_view, 4> route_parts{"env", "request", "upstream", "expect"};
constexpr std::array<std::string_view, 3> document_parts{"env", "input", "expect"};

json string_value(std::string_view s, rapidjson::Document::AllocatorType& a) {
  return json(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

/// The members of `v`, for changing them in place. By index: clang 14 in C++20 finds
/// comparisons of RapidJSON's non-const member iterators ambiguous.
template <typename F>
void for_each_member(json& v, F&& f) {
  if (!v.IsObject()) return;
  for (rapidjson::SizeType i = 0; i < v.MemberCount(); ++i)
    f(*(v.MemberBegin() + i));
}

/// The member `key` of `v`, for changing it in place, or null.
json::Member* member_of(json& v, std::string_view key) {
  json::Member* found = nullptr;
  for_each_member(v, [&](json::Member& m) {
    if (!found && std::string_view(m.name.GetString(), m.name.GetStringLength()) == key) found = &m;
  });
  return found;
}

/// `text` parsed (JSONC) and copied into `a`; nullopt when it is not JSON.
std::optional<json> parsed_into(std::string_view text, rapidjson::Document::AllocatorType& a) {
  rapidjson::Document d;
  if (golden::parse_jsonc(text, d) || golden::too_deep(d)) return std::nullopt;
  return json(d, a);
}

bool has_header(const json& spec, std::string_view name) {
  const auto headers = spec.FindMember("headers");
  if (headers == spec.MemberEnd() || !headers->value.IsObject()) return false;
  for (const auto& h : headers->value.GetObject()) {
    const std::string_view n(h.name.GetString(), h.name.GetStringLength());
    if (std::equal(n.begin(), n.end(), name.begin(), name.end(),
                   [](char x, char y) { return std::tolower(x) == std::tolower(y); })) {
      return true;
    }
  }
  return false;
}

/// Replaces "body_file" (or "output_file") of `spec` by the file's content, in place.
void inline_file(json& spec, const char* file_key, const char* json_key, bool expectation,
                 const golden::case_files& files, rapidjson::Document::AllocatorType& a) {
  json::Member* it = member_of(spec, file_key);
  if (!it || !it->value.IsString()) return;
  const std::string name = it->value.GetString();
  const auto text = golden::read_case_file(files, name);
  if (!text) return;  // parse_case has reported it
  const bool is_json = name.ends_with(".json");
  // Expected files are compared as data either way; sent files must keep their bytes.
  if (is_json && (expectation || rewrites_the_same(*text))) {
    if (auto value = parsed_into(*text, a)) {
      it->name.SetString(json_key, a);
      it->value = std::move(*value);
      return;
    }
  }
  it->name.SetString("body_text", a);
  it->value = string_value(*text, a);
  const char* type = is_json                  ? "application/json"
                     : name.ends_with(".xml") ? "text/xml; charset=utf-8"
                                              : nullptr;
  if (expectation || !type || has_header(spec, "content-type")) return;
  if (!spec.HasMember("headers")) spec.AddMember("headers", json(rapidjson::kObjectType), a);
  spec["headers"].AddMember("Content-Type", json(rapidjson::StringRef(type)), a);
}

void inline_each(json& parent, const char* key, bool expectation, const golden::case_files& files,
                 rapidjson::Document::AllocatorType& a) {
  json::Member* it = member_of(parent, key);
  if (!it) return;
  for_each_member(it->value, [&](json::Member& m) {
    inline_file(m.value, "body_file", "body", expectation, files, a);
  });
}

/// True when the last line of `text` has a comment, which a following comma would join.
bool ends_in_comment(std::string_view text) {
  const auto start = text.find_last_of('\n');
  const std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (in_string) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '"')
        in_string = false;
    } else if (line[i] == '"') {
      in_string = true;
    } else if (line[i] == '/' && i + 1 < line.size() &&
               (line[i + 1] == '/' || line[i + 1] == '*')) {
      return true;
    }
  }
  return false;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string indented(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string quoted(std::string_view s) {
  json_out out;
  out.string(s);
  return out.str();
}

/// The body of an actual message as an expectation: `kind` says how the case compared it.
void add_body(json& spec, const std::string& body, std::string_view content_type,
              golden::body_spec::kind kind, rapidjson::Document::AllocatorType& a) {
  using kind_t = golden::body_spec::kind;
  if (kind == kind_t::none) {
    kind = content_type.find("json") != std::string_view::npos             ? kind_t::json
           : content_type.starts_with("application/x-www-form-urlencoded") ? kind_t::form
                                                                           : kind_t::text;
  }
  if (kind == kind_t::json) {
    if (auto value = parsed_into(body, a)) {
      spec.AddMember("body", std::move(*value), a);
      return;
    }
  } else if (kind == kind_t::form) {
    std::pmr::monotonic_buffer_resource arena;
    if (auto form = codec::decode_form(body, arena)) {
      if (auto value = parsed_into(codec::to_json(*form), a)) {
        spec.AddMember("form", std::move(*value), a);
        return;
      }
    }
  }
  spec.AddMember("body_text", string_value(body, a), a);
}

void add_headers(json& spec, const golden::name_values& names, const http::fields& actual,
                 rapidjson::Document::AllocatorType& a) {
  json headers(rapidjson::kObjectType);
  for (const auto& [name, value] : names) {
    if (const auto it = actual.find(name); it != actual.end())
      headers.AddMember(string_value(name, a), string_value(it->value(), a), a);
  }
  if (headers.MemberCount() > 0) spec.AddMember("headers", headers, a);
}

json call_value(const recorded_call& call, const golden::call_expectation* before,
                rapidjson::Document::AllocatorType& a) {
  const http::upstream_request& r = call.request;
  json spec(rapidjson::kObjectType);
  spec.AddMember("method", string_value(beast::http::to_string(r.method), a), a);
  spec.AddMember("url", string_value(r.url.buffer(), a), a);
  if (before) add_headers(spec, before->headers, r.headers, a);
  const auto type = r.headers.find(beast::http::field::content_type);
  const std::string_view content_type = type == r.headers.end() ? "" : type->value();
  if (before ? before->body.given_as != golden::body_spec::kind::none : !r.body.empty())
    add_body(spec, r.body, content_type,
             before ? before->body.given_as : golden::body_spec::kind::none, a);
  return spec;
}

const recorded_call* last_call(const golden::run_result& run, std::string_view step) {
  const recorded_call* found = nullptr;
  for (const recorded_call& c : run.calls) {
    if (c.step == step) found = &c;
  }
  return found;
}

}  // namespace

bool rewrites_the_same(std::string_view text) {
  std::pmr::monotonic_buffer_resource arena;
  const auto direct = codec::decode_json_copy(text, arena);
  if (!direct) return false;
  rapidjson::Document d;
  if (golden::parse_jsonc(text, d) || golden::too_deep(d)) return false;
  const auto again = codec::decode_json_copy(golden::compact_json(d), arena);
  return again && codec::to_json(*direct) == codec::to_json(*again);
}

std::string description_of(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) continue;
    line = line.substr(start);
    if (!line.starts_with("//")) break;
    line.remove_prefix(2);
    if (line.starts_with(" ")) line.remove_prefix(1);
    out.append(line).append("\n");
  }
  return out;
}

boost::system::result<case_parts, case_problems> parts_of(std::string_view text,
                                                          const golden::case_files& files) {
  if (auto checked = golden::parse_case(text, files); !checked) return checked.error();
  rapidjson::Document doc;
  golden::parse_jsonc(text, doc);
  auto& a = doc.GetAllocator();
  const bool document =
      doc.HasMember("input") || doc.HasMember("input_file") || doc.HasMember("input_text");
  case_parts parts;
  if (document) {
    parts["env"] = "{}";
  } else {
    parts = {{"env", "{}"}, {"request", "{}"}, {"upstream", "{}"}};
  }
  for_each_member(doc, [&](json::Member& m) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "request") {
      inline_file(m.value, "body_file", "body", false, files, a);
    } else if (key == "upstream") {
      for_each_member(m.value, [&](json::Member& step) {
        inline_file(step.value, "body_file", "body", false, files, a);
      });
    } else if (key == "expect") {
      inline_each(m.value, "calls", true, files, a);
      if (json::Member* response = member_of(m.value, "response"))
        inline_file(response->value, "body_file", "body", true, files, a);
      inline_file(m.value, "output_file", "output", true, files, a);
    } else if (key == "input_file") {
      // parse_case has read it already: it can be read.
      const auto input = golden::read_case_file(files, m.value.GetString());
      if (input) parts["input"] = *input;
      return;
    } else if (key == "input_text") {
      parts["input"] = m.value.GetString();
      return;
    }
    parts[std::string(key)] = pretty_json(m.value);
  });
  return parts;
}

boost::system::result<std::string, case_problems> case_text_of(const case_parts& parts,
                                                               bool document, text_for purpose) {
  case_problems problems;
  const auto known = [&](std::string_view name) {
    return document ? std::find(document_parts.begin(), document_parts.end(), name) !=
                          document_parts.end()
                    : std::find(route_parts.begin(), route_parts.end(), name) != route_parts.end();
  };
  for (const auto& [name, text] : parts) {
    if (!known(name)) {
      problems.push_back({name, document ? "not a part of a document case (env, input, expect)"
                                         : "not a part of a route case (env, request, upstream, "
                                           "expect)"});
    }
  }
  std::string out = "{\n";
  bool first = true;
  bool comment_before = false;
  const auto add = [&](std::string_view key, const std::string& value) {
    if (!first) out += comment_before ? "\n  ,\n" : ",\n";
    out += "  \"" + std::string(key) + "\": " + indented(value);
    first = false;
    comment_before = ends_in_comment(value);
  };
  for (std::string_view name : document ? std::span<const std::string_view>(document_parts)
                                        : std::span<const std::string_view>(route_parts)) {
    const auto it = parts.find(name);
    const std::string text = it == parts.end() ? std::string() : trimmed(it->second);
    if (text.empty()) {
      if (name == "request" || name == "input") problems.push_back({std::string(name), "is empty"});
      continue;
    }
    if (name == "input") {
      const bool plain = purpose == text_for::save && rewrites_the_same(text);
      add(plain ? "input" : "input_text", plain ? text : quoted(text));
      continue;
    }
    rapidjson::Document check;
    if (auto error = golden::parse_jsonc(text, check)) {
      problems.push_back({std::string(name), *error});
      continue;
    }
    add(name, text);
  }
  if (!problems.empty()) return problems;
  out += "\n}\n";
  return out;
}

std::string expect_from(const golden::run_result& run, const golden::checked_case& c) {
  rapidjson::Document e(rapidjson::kObjectType);
  auto& a = e.GetAllocator();
  if (c.document) {
    if (run.output) {
      if (auto value = parsed_into(*run.output, a)) e.AddMember("output", std::move(*value), a);
    } else if (run.failure) {
      if (auto value = parsed_into(core::render_error_body(*run.failure), a))
        e.AddMember("error", std::move(*value), a);
    }
    return pretty_json(e);
  }
  if (c.calls) {
    json calls(rapidjson::kObjectType);
    for (const auto& [step, before] : *c.calls) {
      if (const recorded_call* made = last_call(run, step)) {
        calls.AddMember(string_value(step, a), call_value(*made, &before, a), a);
      } else if (!before.called) {
        calls.AddMember(string_value(step, a), json(), a);
      }
    }
    for (const recorded_call& made : run.calls) {
      const bool listed =
          calls.HasMember(json(rapidjson::StringRef(made.step.data(), made.step.size())));
      if (!listed && last_call(run, made.step) == &made)
        calls.AddMember(string_value(made.step, a), call_value(made, nullptr, a), a);
    }
    e.AddMember("calls", calls, a);
  }
  if (run.answer) {
    const http::response& res = *run.answer;
    json response(rapidjson::kObjectType);
    response.AddMember("status", res.result_int(), a);
    const golden::name_values content_type{{"Content-Type", ""}};
    add_headers(response, c.response ? c.response->headers : content_type, res.base(), a);
    add_body(response, res.body(), res[beast::http::field::content_type],
             c.response ? c.response->body.given_as : golden::body_spec::kind::none, a);
    e.AddMember("response", response, a);
  }
  return pretty_json(e);
}

}  // namespace ordergate::tooling::playground
