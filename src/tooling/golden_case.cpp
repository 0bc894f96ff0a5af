// Reading and checking golden case files (parse_case, parse_defaults): every key is
// known, every value has its type, and every problem names where it is.

#include "ordergate/tooling/golden.hpp"
#include "tooling/case_text.hpp"

#include <initializer_list>

namespace ordergate::tooling::golden {
namespace {

using json = rapidjson::Value;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string_view text_of(const json& v) {
  return {v.GetString(), v.GetStringLength()};
}

/// Reads one case document into a checked_case, collecting every problem.
class case_reader {
 public:
  case_reader(const case_files& files, case_problems& problems)
      : files_(files), problems_(problems) {}

  /// An object whose keys must all be in `known`; false (and a problem) otherwise.
  bool object_with(const json& v, const std::string& path,
                   std::initializer_list<std::string_view> known) {
    if (!v.IsObject()) {
      problem(path, "must be an object");
      return false;
    }
    bool ok = true;
    for (const auto& m : v.GetObject()) {
      const std::string_view key = text_of(m.name);
      bool found = false;
      for (std::string_view k : known)
        found = found || k == key;
      if (found) continue;
      std::string list;
      for (std::string_view k : known)
        list += (list.empty() ? "" : ", ") + std::string(k);
      problem(join(path, key), "unknown key (expected one of " + list + ")");
      ok = false;
    }
    return ok;
  }

  /// A scalar given as text: strings as they are, numbers and booleans as written.
  std::optional<std::string> scalar(const json& v, const std::string& path) {
    if (v.IsString()) return std::string(text_of(v));
    if (v.IsNumber() || v.IsBool()) return compact_json(v);
    problem(path, "must be a string");
    return std::nullopt;
  }

  std::optional<std::string> string(const json& v, const std::string& path) {
    if (v.IsString()) return std::string(text_of(v));
    problem(path, "must be a string");
    return std::nullopt;
  }

  void name_values_of(const json& v, const std::string& path, name_values& out) {
    if (!v.IsObject()) {
      problem(path, "must be an object of names and values");
      return;
    }
    for (const auto& m : v.GetObject()) {
      if (auto s = scalar(m.value, join(path, text_of(m.name))))
        out.emplace_back(std::string(text_of(m.name)), std::move(*s));
    }
  }

  void env_of(const json& v, const std::string& path, std::map<std::string, std::string>& out) {
    name_values list;
    name_values_of(v, path, list);
    for (auto& [name, value] : list)
      out[name] = std::move(value);
  }

  std::optional<unsigned> status(const json& v, const std::string& path) {
    if (v.IsUint() && v.GetUint() >= 100 && v.GetUint() <= 599) return v.GetUint();
    problem(path, "must be a whole number from 100 to 599");
    return std::nullopt;
  }

  /// A body of `spec` at `path`: "body", "body_file" or "body_text" (and "form" when
  /// `form_allowed`), at most one of them. Expectations keep JSON as data.
  body_spec body(const json& spec, const std::string& path, bool expectation) {
    body_spec out;
    const char* given = nullptr;
    for (const char* key : {"body", "body_file", "body_text", "form"}) {
      const auto it = spec.FindMember(key);
      if (it == spec.MemberEnd()) continue;
      if (given) {
        problem(path, std::string("two bodies (") + given + " and " + key + "): give one");
        return {};
      }
      given = key;
      const json& v = it->value;
      const std::string at = join(path, key);
      if (std::string_view(key) == "body") {
        out.given_as = body_spec::kind::json;
        out.text = compact_json(v);
        out.content_type = "application/json";
        out.data = &v;
      } else if (std::string_view(key) == "body_text") {
        if (auto s = string(v, at)) {
          out.given_as = body_spec::kind::text;
          out.text = std::move(*s);
          out.content_type = "text/plain; charset=utf-8";
        }
      } else if (std::string_view(key) == "form") {
        if (!v.IsObject()) {
          problem(at, "must be an object");
        } else {
          out.given_as = body_spec::kind::form;
          out.data = &v;
        }
      } else if (auto name = string(v, at)) {
        out = file_body(*name, at, expectation);
      }
    }
    return out;
  }

  std::optional<std::string> read(const std::string& name, const std::string& path) {
    auto text = read_case_file(files_, name);
    if (!text) {
      problem(path, text.error());
      return std::nullopt;
    }
    return std::move(*text);
  }

  /// A JSONC file parsed into storage (expectations compare it as data).
  const json* json_file(const std::string& name, const std::string& path) {
    auto text = read(name, path);
    if (!text) return nullptr;
    auto doc = std::make_shared<rapidjson::Document>();
    if (auto error = parse_jsonc(*text, *doc)) {
      problem(path, "'" + name + "': " + *error);
      return nullptr;
    }
    if (auto deep = too_deep(*doc)) {
      problem(join(path, *deep), "nesting deeper than " + std::to_string(max_depth) + " levels");
      return nullptr;
    }
    storage.push_back(doc);
    return doc.get();
  }

  /// Documents that expectations read from files point into.
  std::vector<std::shared_ptr<const rapidjson::Document>> storage;

  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

 private:
  body_spec file_body(const std::string& name, const std::string& path, bool expectation) {
    body_spec out;
    const bool is_json = name.ends_with(".json");
    if (expectation && is_json) {
      out.data = json_file(name, path);
      if (!out.data) return {};
      out.given_as = body_spec::kind::json;
      out.content_type = "application/json";
      return out;
    }
    auto text = read(name, path);
    if (!text) return {};
    out.given_as = is_json ? body_spec::kind::json : body_spec::kind::text;
    out.text = std::move(*text);
    out.content_type = is_json                  ? "application/json"
                       : name.ends_with(".xml") ? "text/xml; charset=utf-8"
                                                : "text/plain; charset=utf-8";
    return out;
  }

  const case_files& files_;
  case_problems& problems_;
};

std::optional<http::upstream_errc> failure_named(std::string_view name) {
  for (const auto& [n, code] : failure_names()) {
    if (n == name) return code;
  }
  return std::nullopt;
}

void read_request(case_reader& r, const json& v, checked_case& c) {
  const std::string path = "request";
  if (!r.object_with(v, path,
                     {"method", "path", "query", "headers", "body", "body_file", "body_text"})) {
    return;
  }
  if (const auto m = v.FindMember("method"); m != v.MemberEnd())
    c.request.method = r.string(m->value, "request.method");
  if (const auto m = v.FindMember("path"); m != v.MemberEnd())
    c.request.path = r.string(m->value, "request.path");
  if (const auto m = v.FindMember("query"); m != v.MemberEnd())
    c.request.query = r.string(m->value, "request.query");
  if (const auto m = v.FindMember("headers"); m != v.MemberEnd())
    r.name_values_of(m->value, "request.headers", c.request.headers);
  c.request.body = r.body(v, path, false);
}

void read_upstream(case_reader& r, const json& v, checked_case& c) {
  if (!v.IsObject()) {
    r.problem("upstream", "must be an object: what each step answers, by step name");
    return;
  }
  for (const auto& step : v.GetObject()) {
    const std::string path = join("upstream", text_of(step.name));
    const json& s = step.value;
    if (!r.object_with(s, path,
                       {"status", "failure", "headers", "body", "body_file", "body_text"})) {
      continue;
    }
    answer_spec a;
    if (const auto m = s.FindMember("failure"); m != s.MemberEnd()) {
      if (s.MemberCount() != 1) {
        r.problem(path, "a failure has no status, headers or body");
        continue;
      }
      const auto name = r.string(m->value, path + ".failure");
      if (!name) continue;
      a.failure = failure_named(*name);
      if (!a.failure) {
        std::string list;
        for (const auto& [n, code] : failure_names())
          list += (list.empty() ? "" : ", ") + std::string(n);
        r.problem(path + ".failure", "unknown failure '" + *name + "' (one of " + list + ")");
        continue;
      }
    }
    if (const auto m = s.FindMember("status"); m != s.MemberEnd()) {
      if (auto st = r.status(m->value, path + ".status")) a.status = *st;
    }
    if (const auto m = s.FindMember("headers"); m != s.MemberEnd())
      r.name_values_of(m->value, path + ".headers", a.headers);
    a.body = r.body(s, path, false);
    c.upstream.emplace(std::string(text_of(step.name)), std::move(a));
  }
}

void read_calls(case_reader& r, const json& v, checked_case& c) {
  if (!v.IsObject()) {
    r.problem("expect.calls", "must be an object: the calls expected, by step name");
    return;
  }
  c.calls.emplace();
  for (const auto& step : v.GetObject()) {
    const std::string path = join("expect.calls", text_of(step.name));
    call_expectation e;
    if (step.value.IsNull()) {
      e.called = false;
    } else if (r.object_with(
                   step.value, path,
                   {"method", "url", "headers", "body", "body_file", "body_text", "form"})) {
      const json& s = step.value;
      if (const auto m = s.FindMember("method"); m != s.MemberEnd())
        e.method = r.string(m->value, path + ".method");
      if (const auto m = s.FindMember("url"); m != s.MemberEnd())
        e.url = r.string(m->value, path + ".url");
      if (const auto m = s.FindMember("headers"); m != s.MemberEnd())
        r.name_values_of(m->value, path + ".headers", e.headers);
      e.body = r.body(s, path, true);
    }
    c.calls->emplace_back(std::string(text_of(step.name)), std::move(e));
  }
}

void read_response(case_reader& r, const json& v, checked_case& c) {
  const std::string path = "expect.response";
  if (!r.object_with(v, path, {"status", "headers", "body", "body_file", "body_text", "form"}))
    return;
  response_expectation e;
  if (const auto m = v.FindMember("status"); m != v.MemberEnd())
    e.status = r.status(m->value, path + ".status");
  if (const auto m = v.FindMember("headers"); m != v.MemberEnd())
    r.name_values_of(m->value, path + ".headers", e.headers);
  e.body = r.body(v, path, true);
  c.response = std::move(e);
}

void read_route_case(case_reader& r, const json& root, checked_case& c) {
  read_request(r, root["request"], c);
  if (const auto m = root.FindMember("upstream"); m != root.MemberEnd())
    read_upstream(r, m->value, c);
  const auto expect = root.FindMember("expect");
  if (expect == root.MemberEnd()) {
    r.problem("", "a case needs \"expect\"");
    return;
  }
  if (!r.object_with(expect->value, "expect", {"calls", "response"})) return;
  if (const auto m = expect->value.FindMember("calls"); m != expect->value.MemberEnd())
    read_calls(r, m->value, c);
  if (const auto m = expect->value.FindMember("response"); m != expect->value.MemberEnd())
    read_response(r, m->value, c);
}

void read_document_case(case_reader& r, const json& root, checked_case& c) {
  c.document = true;
  if (root.HasMember("upstream"))
    r.problem("upstream", "a document case has no upstream answers (only a route case has)");
  int inputs = 0;
  if (const auto m = root.FindMember("input"); m != root.MemberEnd()) {
    ++inputs;
    c.input = compact_json(m->value);
  }
  if (const auto m = root.FindMember("input_file"); m != root.MemberEnd()) {
    ++inputs;
    if (auto name = r.string(m->value, "input_file")) {
      if (auto text = r.read(*name, "input_file")) c.input = std::move(*text);
    }
  }
  if (const auto m = root.FindMember("input_text"); m != root.MemberEnd()) {
    ++inputs;
    if (auto text = r.string(m->value, "input_text")) c.input = std::move(*text);
  }
  if (inputs > 1) r.problem("", "two inputs (input, input_file, input_text): give one");
  const auto expect = root.FindMember("expect");
  if (expect == root.MemberEnd()) {
    r.problem("", "a case needs \"expect\"");
    return;
  }
  const json& e = expect->value;
  if (!r.object_with(e, "expect", {"output", "output_file", "error"})) return;
  const int expected = e.HasMember("output") + e.HasMember("output_file") + e.HasMember("error");
  if (expected != 1) {
    r.problem("expect", "a document case expects one of \"output\", \"output_file\" or \"error\"");
    return;
  }
  if (const auto m = e.FindMember("output"); m != e.MemberEnd()) c.output = &m->value;
  if (const auto m = e.FindMember("error"); m != e.MemberEnd()) c.error = &m->value;
  if (const auto m = e.FindMember("output_file"); m != e.MemberEnd()) {
    if (auto name = r.string(m->value, "expect.output_file"))
      c.output = r.json_file(*name, "expect.output_file");
  }
}

}  // namespace

std::string case_problem::to_string() const {
  return path.empty() ? message : path + ": " + message;
}

boost::system::result<checked_case, case_problems> parse_case(std::string_view text,
                                                              const case_files& files) {
  case_problems problems;
  auto doc = std::make_shared<rapidjson::Document>();
  if (auto error = parse_jsonc(text, *doc)) return case_problems{{"", *error}};
  if (auto deep = too_deep(*doc)) {
    return case_problems{{*deep, "nesting deeper than " + std::to_string(max_depth) + " levels"}};
  }
  case_reader r(files, problems);
  checked_case c;
  if (!r.object_with(
          *doc, "",
          {"env", "request", "upstream", "expect", "input", "input_file", "input_text"})) {
    return problems;
  }
  // Read through a const reference: clang 14 finds comparisons of RapidJSON's non-const
  // member iterators ambiguous in C++20.
  const rapidjson::Document& root = *doc;
  if (const auto m = root.FindMember("env"); m != root.MemberEnd())
    r.env_of(m->value, "env", c.env);
  const bool route = root.HasMember("request");
  const bool document =
      root.HasMember("input") || root.HasMember("input_file") || root.HasMember("input_text");
  if (route && document) {
    r.problem("", "a case has \"request\" (a route case) or an input (a document case), not both");
  } else if (route) {
    read_route_case(r, root, c);
  } else if (document) {
    read_document_case(r, root, c);
  } else {
    r.problem("",
              "a case needs \"request\" (a route case) or \"input\", \"input_file\" or "
              "\"input_text\" (a document case)");
  }
  if (!problems.empty()) return problems;
  c.storage = std::move(r.storage);
  c.storage.push_back(std::move(doc));
  return c;
}

boost::system::result<case_defaults, case_problems> parse_defaults(std::string_view text) {
  case_problems problems;
  rapidjson::Document doc;
  if (auto error = parse_jsonc(text, doc)) return case_problems{{"", *error}};
  if (auto deep = too_deep(doc)) {
    return case_problems{{*deep, "nesting deeper than " + std::to_string(max_depth) + " levels"}};
  }
  case_files none;
  case_reader r(none, problems);
  case_defaults d;
  const rapidjson::Document& root = doc;
  if (!r.object_with(root, "", {"env", "request"})) return problems;
  if (const auto m = root.FindMember("env"); m != root.MemberEnd())
    r.env_of(m->value, "env", d.env);
  if (const auto m = root.FindMember("request"); m != root.MemberEnd()) {
    if (r.object_with(m->value, "request", {"headers"})) {
      if (const auto h = m->value.FindMember("headers"); h != m->value.MemberEnd())
        r.name_values_of(h->value, "request.headers", d.request_headers);
    }
  }
  if (!problems.empty()) return problems;
  return d;
}

mapping::environment case_environment(const case_defaults& defaults, const checked_case& c) {
  std::map<std::string, std::string> vars = defaults.env;
  for (const auto& [name, value] : c.env)
    vars[name] = value;
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace ordergate::tooling::golden
