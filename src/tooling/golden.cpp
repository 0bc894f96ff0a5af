#include "ordergate/tooling/golden.hpp"

#include "golden_compare.hpp"
#include "ordergate/codec/form.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/core/file.hpp"
#include "ordergate/tooling/offline.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <map>

namespace ordergate::tooling::golden {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
using json = rapidjson::Value;

constexpr unsigned jsonc_flags = rapidjson::kParseCommentsFlag |
                                 rapidjson::kParseTrailingCommasFlag |
                                 rapidjson::kParseFullPrecisionFlag;

/// Thrown inside this file only, for a broken case file; run_case turns it into a failed outcome.
struct case_error {
  std::string message;
};

std::string read_text(const fs::path& p) {
  auto text = core::read_file(p.string());
  if (!text) throw case_error{"cannot read " + p.string()};
  return std::move(*text);
}

void parse_jsonc(rapidjson::Document& doc, const fs::path& p) {
  const std::string text = read_text(p);
  doc.Parse<jsonc_flags>(text.c_str(), text.size());
  if (doc.HasParseError()) {
    throw case_error{p.filename().string() + ": syntax error at byte " +
                     std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError())};
  }
}

std::string to_text(const json& v) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  v.Accept(w);
  return out.GetString();
}

const json* member(const json& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  const auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string string_of(const json& v) {
  if (v.IsString()) return {v.GetString(), v.GetStringLength()};
  return to_text(v);
}

/// A body given as "body" (JSON), "body_file" (relative to the case) or "body_text".
std::optional<std::string> body_of(const json& spec, const fs::path& dir) {
  if (const json* b = member(spec, "body")) return to_text(*b);
  if (const json* f = member(spec, "body_file")) return read_text(dir / string_of(*f));
  if (const json* t = member(spec, "body_text")) return string_of(*t);
  return std::nullopt;
}

std::string_view content_type_for(const json& spec) {
  if (member(spec, "body")) return "application/json";
  if (const json* f = member(spec, "body_file")) {
    const std::string name = string_of(*f);
    if (name.ends_with(".xml")) return "text/xml; charset=utf-8";
    if (name.ends_with(".json")) return "application/json";
  }
  return "text/plain; charset=utf-8";
}

void set_headers(const json* headers, http::fields& out) {
  if (!headers || !headers->IsObject()) return;
  for (const auto& h : headers->GetObject())
    out.set(h.name.GetString(), string_of(h.value));
}

std::optional<http::upstream_errc> failure_from(const std::string& name) {
  if (name == "timeout") return http::upstream_errc::timeout;
  if (name == "connect_failed") return http::upstream_errc::connect_failed;
  if (name == "resolve_failed") return http::upstream_errc::resolve_failed;
  if (name == "bad_answer") return http::upstream_errc::bad_answer;
  if (name == "tls_failed") return http::upstream_errc::tls_failed;
  if (name == "too_large") return http::upstream_errc::too_large;
  throw case_error{"unknown upstream failure '" + name + "'"};
}

/// Compares a body against "body" (JSON), "body_file", "body_text" or "form".
void compare_body(const json& expected, const std::string& actual, const fs::path& dir,
                  const std::string& what, differences& out) {
  std::pmr::monotonic_buffer_resource arena;
  const json* as_json = member(expected, "body");
  rapidjson::Document from_file;
  if (const json* f = member(expected, "body_file"); f && string_of(*f).ends_with(".json")) {
    parse_jsonc(from_file, dir / string_of(*f));
    as_json = &from_file;
  } else if (f) {
    compare_text(read_text(dir / string_of(*f)), actual, what, out);
    return;
  }
  if (as_json) {
    auto decoded = codec::decode_json_copy(actual, arena);
    if (!decoded) {
      out.push_back(what + ": not JSON (" + decoded.error().message +
                    "): " + actual.substr(0, 200));
      return;
    }
    compare_json(*as_json, *decoded, what, out);
  } else if (const json* t = member(expected, "body_text")) {
    compare_text(string_of(*t), actual, what, out);
  } else if (const json* form = member(expected, "form")) {
    auto decoded = codec::decode_form(actual, arena);
    if (!decoded) {
      out.push_back(what + ": not a form body: " + actual);
      return;
    }
    compare_json(*form, *decoded, what, out);
  }
}

void compare_headers(const json* expected, const http::fields& actual, const std::string& what,
                     differences& out) {
  if (!expected || !expected->IsObject()) return;
  for (const auto& h : expected->GetObject()) {
    const auto it = actual.find(h.name.GetString());
    const std::string want = string_of(h.value);
    if (it == actual.end()) {
      out.push_back(what + " header " + h.name.GetString() + ":\n    - expected " + want +
                    "\n    + actual   (absent)");
    } else if (it->value() != want) {
      out.push_back(what + " header " + h.name.GetString() + ":\n    - expected " + want +
                    "\n    + actual   " + std::string(it->value()));
    }
  }
}

void compare_calls(const json* expected, const recording_caller& caller, const fs::path& dir,
                   differences& out) {
  for (const std::string& step : caller.unanswered) {
    out.push_back("step '" + step + "' was called but the case gives no upstream answer for it");
  }
  if (!expected) return;
  std::map<std::string, const recorded_call*> made;
  for (const recorded_call& c : caller.calls)
    made[c.step] = &c;
  for (const auto& e : expected->GetObject()) {
    const std::string step = e.name.GetString();
    const auto it = made.find(step);
    if (e.value.IsNull()) {
      if (it != made.end()) out.push_back("step '" + step + "' should not have been called");
      continue;
    }
    if (it == made.end()) {
      out.push_back("step '" + step + "' was not called");
      continue;
    }
    const http::upstream_request& r = it->second->request;
    const std::string what = "call " + step;
    if (const json* m = member(e.value, "method");
        m && string_of(*m) != std::string(beast::http::to_string(r.method))) {
      out.push_back(what + " method:\n    - expected " + string_of(*m) + "\n    + actual   " +
                    std::string(beast::http::to_string(r.method)));
    }
    if (const json* u = member(e.value, "url"))
      compare_text(string_of(*u), std::string(r.url.buffer()), what + " url", out);
    compare_headers(member(e.value, "headers"), r.headers, what, out);
    compare_body(e.value, r.body, dir, what + " body", out);
  }
  for (const auto& [step, call] : made) {
    if (!expected->HasMember(step.c_str()))
      out.push_back("step '" + step + "' was called but the case does not expect it");
  }
}

mapping::environment environment_of(const std::map<std::string, std::string>& vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

void read_env(const json* env, std::map<std::string, std::string>& out) {
  if (!env || !env->IsObject()) return;
  for (const auto& v : env->GetObject())
    out[v.name.GetString()] = string_of(v.value);
}

http::request build_request(const mapping::compiled_route& route, const json& spec,
                            const json* default_headers, const fs::path& dir) {
  http::request req;
  req.version(11);
  const json* method = member(spec, "method");
  req.method_string(method ? string_of(*method) : route.method);
  std::string target = member(spec, "path") ? string_of(*member(spec, "path")) : route.path;
  if (const json* q = member(spec, "query")) target += "?" + string_of(*q);
  req.target(target);
  req.set(beast::http::field::host, "ordergate.test");
  set_headers(default_headers, req.base());
  set_headers(member(spec, "headers"), req.base());
  if (auto body = body_of(spec, dir)) {
    if (req.find(beast::http::field::content_type) == req.end()) {
      req.set(beast::http::field::content_type, content_type_for(spec));
    }
    req.body() = std::move(*body);
  }
  req.prepare_payload();
  return req;
}

outcome run_document_case(const mapping::compiled_document& doc, const json& c,
                          const fs::path& dir) {
  std::pmr::monotonic_buffer_resource arena;
  std::string input_text;
  if (const json* in = member(c, "input"))
    input_text = to_text(*in);
  else if (const json* f = member(c, "input_file"))
    input_text = read_text(dir / string_of(*f));
  else
    throw case_error{"a document case needs \"input\" or \"input_file\""};
  auto input = codec::decode_json_copy(input_text, arena);
  if (!input) throw case_error{"the input is not JSON: " + input.error().message};
  const json* expect = member(c, "expect");
  if (!expect) throw case_error{"a case needs \"expect\""};
  differences diffs;
  auto result = run_document(doc, *input);
  if (const json* error = member(*expect, "error")) {
    if (result) {
      diffs.push_back("expected an error, got output " + result->substr(0, 200));
    } else {
      const std::string actual = core::render_error_body(result.error());
      auto decoded = codec::decode_json_copy(actual, arena);
      compare_json(*error, *decoded, "error", diffs);
    }
  } else if (!result) {
    diffs.push_back("failed: " + result.error().message);
  } else {
    auto decoded = codec::decode_json_copy(*result, arena);
    rapidjson::Document from_file;
    const json* want = member(*expect, "output");
    if (const json* f = member(*expect, "output_file")) {
      parse_jsonc(from_file, dir / string_of(*f));
      want = &from_file;
    }
    if (!want) throw case_error{"\"expect\" needs \"output\", \"output_file\" or \"error\""};
    compare_json(*want, *decoded, "output", diffs);
  }
  outcome o;
  o.passed = diffs.empty();
  for (const std::string& d : diffs)
    o.report += "  " + d + "\n";
  return o;
}

}  // namespace

std::vector<test_case> find_cases(const std::string& mappings_dir) {
  std::vector<test_case> cases;
  const fs::path root = fs::path(mappings_dir) / "tests";
  std::error_code ec;
  for (fs::directory_iterator m(root, ec), end; !ec && m != end; m.increment(ec)) {
    if (!m->is_directory()) continue;
    std::error_code inner;
    for (fs::directory_iterator c(m->path(), inner); !inner && c != end; c.increment(inner)) {
      if (c->is_directory() && fs::exists(c->path() / "case.jsonc")) {
        cases.push_back(
            {m->path().filename().string(), c->path().filename().string(), c->path().string()});
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const test_case& a, const test_case& b) {
    return std::tie(a.mapping, a.name) < std::tie(b.mapping, b.name);
  });
  return cases;
}

outcome run_case(const test_case& tc, const std::string& mappings_dir) {
  try {
    const fs::path dir(tc.dir);
    rapidjson::Document c, defaults;
    parse_jsonc(c, dir / "case.jsonc");
    const fs::path defaults_file = dir.parent_path() / "defaults.jsonc";
    if (fs::exists(defaults_file)) parse_jsonc(defaults, defaults_file);
    std::map<std::string, std::string> env;
    read_env(member(defaults, "env"), env);
    read_env(member(c, "env"), env);
    const auto loaded = mapping::load_folder(mappings_dir, environment_of(env));
    if (!loaded.mappings) {
      outcome o;
      for (const auto& d : loaded.errors.items())
        o.report += "  " + d.to_string() + "\n";
      return o;
    }
    for (const auto& [name, doc] : loaded.mappings->documents) {
      if (name == tc.mapping) return run_document_case(*doc, c, dir);
    }
    std::shared_ptr<const mapping::compiled_route> route;
    for (const auto& r : loaded.mappings->routes) {
      if (r->name == tc.mapping) route = r;
    }
    if (!route) throw case_error{"no route or document mapping named '" + tc.mapping + "'"};
    const json* request = member(c, "request");
    const json* expect = member(c, "expect");
    if (!request || !expect) throw case_error{"a route case needs \"request\" and \"expect\""};
    const json* default_request = member(defaults, "request");
    auto caller = std::make_shared<recording_caller>();
    if (const json* upstream = member(c, "upstream")) {
      for (const auto& u : upstream->GetObject()) {
        recorded_answer a;
        if (const json* s = member(u.value, "status")) a.status = s->GetUint();
        if (const json* f = member(u.value, "failure")) a.failure = failure_from(string_of(*f));
        if (auto body = body_of(u.value, dir)) {
          a.body = std::move(*body);
          a.headers.set(beast::http::field::content_type, content_type_for(u.value));
        }
        set_headers(member(u.value, "headers"), a.headers);
        caller->answers[u.name.GetString()] = std::move(a);
      }
    }
    const http::response res = run_offline(
        route,
        build_request(*route, *request,
                      default_request ? member(*default_request, "headers") : nullptr, dir),
        caller);
    differences diffs;
    compare_calls(member(*expect, "calls"), *caller, dir, diffs);
    if (const json* response = member(*expect, "response")) {
      if (const json* s = member(*response, "status"); s && s->GetUint() != res.result_int()) {
        diffs.push_back("response status:\n    - expected " + std::to_string(s->GetUint()) +
                        "\n    + actual   " + std::to_string(res.result_int()) + " " +
                        res.body().substr(0, 300));
      }
      compare_headers(member(*response, "headers"), res.base(), "response", diffs);
      compare_body(*response, res.body(), dir, "response body", diffs);
    }
    outcome o;
    o.passed = diffs.empty();
    for (const std::string& d : diffs)
      o.report += "  " + d + "\n";
    return o;
  } catch (const case_error& e) {
    return {false, "  broken case: " + e.message + "\n"};
  }
}

}  // namespace ordergate::tooling::golden
