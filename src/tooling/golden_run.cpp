// Running a checked golden case (run): the production route handler offline on the
// case's request and recorded answers, then every expectation compared.

#include "ordergate/codec/form.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/tooling/golden.hpp"
#include "tooling/golden_compare.hpp"

#include <map>

namespace ordergate::tooling::golden {
namespace {

namespace beast = boost::beast;

/// Compares an actual body with what `expected` says of it.
void compare_body(const body_spec& expected, const std::string& actual, const std::string& what,
                  differences& out) {
  std::pmr::monotonic_buffer_resource arena;
  switch (expected.given_as) {
    case body_spec::kind::none:
      return;
    case body_spec::kind::text:
      compare_text(expected.text, actual, what, out);
      return;
    case body_spec::kind::json: {
      auto decoded = codec::decode_json_copy(actual, arena);
      if (!decoded) {
        out.push_back(what + ": not JSON (" + decoded.error().message +
                      "): " + actual.substr(0, 200));
        return;
      }
      compare_json(*expected.data, *decoded, what, out);
      return;
    }
    case body_spec::kind::form: {
      auto decoded = codec::decode_form(actual, arena);
      if (!decoded) {
        out.push_back(what + ": not a form body: " + actual);
        return;
      }
      compare_json(*expected.data, *decoded, what, out);
      return;
    }
  }
}

void compare_headers(const name_values& expected, const http::fields& actual,
                     const std::string& what, differences& out) {
  for (const auto& [name, want] : expected) {
    const auto it = actual.find(name);
    if (it == actual.end()) {
      out.push_back(what + " header " + name + ":\n    - expected " + want +
                    "\n    + actual   (absent)");
    } else if (it->value() != want) {
      out.push_back(what + " header " + name + ":\n    - expected " + want + "\n    + actual   " +
                    std::string(it->value()));
    }
  }
}

void compare_calls(const checked_case& c, const recording_caller& caller, differences& out) {
  for (const std::string& step : caller.unanswered) {
    out.push_back("step '" + step + "' was called but the case gives no upstream answer for it");
  }
  if (!c.calls) return;
  std::map<std::string, const recorded_call*, std::less<>> made;
  for (const recorded_call& call : caller.calls)
    made[call.step] = &call;
  for (const auto& [step, e] : *c.calls) {
    const auto it = made.find(step);
    if (!e.called) {
      if (it != made.end()) out.push_back("step '" + step + "' should not have been called");
      continue;
    }
    if (it == made.end()) {
      out.push_back("step '" + step + "' was not called");
      continue;
    }
    const http::upstream_request& r = it->second->request;
    const std::string what = "call " + step;
    const std::string method(beast::http::to_string(r.method));
    if (e.method && *e.method != method) {
      out.push_back(what + " method:\n    - expected " + *e.method + "\n    + actual   " + method);
    }
    if (e.url) compare_text(*e.url, std::string(r.url.buffer()), what + " url", out);
    compare_headers(e.headers, r.headers, what, out);
    compare_body(e.body, r.body, what + " body", out);
  }
  for (const auto& [step, call] : made) {
    bool expected = false;
    for (const auto& e : *c.calls)
      expected = expected || e.first == step;
    if (!expected) out.push_back("step '" + step + "' was called but the case does not expect it");
  }
}

void set_headers(const name_values& headers, http::fields& out) {
  for (const auto& [name, value] : headers)
    out.set(name, value);
}

http::request build_request(const mapping::compiled_route& route, const request_spec& spec,
                            const name_values& default_headers) {
  http::request req;
  req.version(11);
  req.method_string(spec.method.value_or(route.method));
  std::string target = spec.path.value_or(route.path);
  if (spec.query) target += "?" + *spec.query;
  req.target(target);
  req.set(beast::http::field::host, "ordergate.test");
  set_headers(default_headers, req.base());
  set_headers(spec.headers, req.base());
  if (spec.body.given_as != body_spec::kind::none) {
    if (req.find(beast::http::field::content_type) == req.end())
      req.set(beast::http::field::content_type, spec.body.content_type);
    req.body() = spec.body.text;
  }
  req.prepare_payload();
  return req;
}

std::shared_ptr<recording_caller> caller_for(const checked_case& c) {
  auto caller = std::make_shared<recording_caller>();
  for (const auto& [step, spec] : c.upstream) {
    recorded_answer a;
    a.status = spec.status;
    a.failure = spec.failure;
    if (spec.body.given_as != body_spec::kind::none) {
      a.body = spec.body.text;
      a.headers.set(beast::http::field::content_type, spec.body.content_type);
    }
    set_headers(spec.headers, a.headers);
    caller->answers[step] = std::move(a);
  }
  return caller;
}

run_result run_route(std::shared_ptr<const mapping::compiled_route> route, const checked_case& c,
                     const case_defaults& defaults) {
  auto caller = caller_for(c);
  run_result result;
  result.answer =
      run_offline(route, build_request(*route, c.request, defaults.request_headers), caller);
  compare_calls(c, *caller, result.found);
  if (c.response) {
    const http::response& res = *result.answer;
    if (c.response->status && *c.response->status != res.result_int()) {
      result.found.push_back("response status:\n    - expected " +
                             std::to_string(*c.response->status) + "\n    + actual   " +
                             std::to_string(res.result_int()) + " " + res.body().substr(0, 300));
    }
    compare_headers(c.response->headers, res.base(), "response", result.found);
    compare_body(c.response->body, res.body(), "response body", result.found);
  }
  result.calls = std::move(caller->calls);
  result.unanswered = std::move(caller->unanswered);
  return result;
}

boost::system::result<run_result, case_problems> run_document_case(
    const mapping::compiled_document& doc, const checked_case& c) {
  std::pmr::monotonic_buffer_resource arena;
  auto input = codec::decode_json_copy(c.input, arena);
  if (!input) return case_problems{{"input", "not JSON: " + input.error().message}};
  run_result result;
  auto output = run_document(doc, *input);
  if (output) {
    result.output = *output;
  } else {
    result.failure = output.error();
  }
  if (c.error) {
    if (output) {
      result.found.push_back("expected an error, got output " + output->substr(0, 200));
    } else {
      auto decoded = codec::decode_json_copy(core::render_error_body(output.error()), arena);
      compare_json(*c.error, *decoded, "error", result.found);
    }
  } else if (!output) {
    result.found.push_back("failed: " + output.error().message);
  } else {
    auto decoded = codec::decode_json_copy(*output, arena);
    compare_json(*c.output, *decoded, "output", result.found);
  }
  return result;
}

}  // namespace

boost::system::result<run_result, case_problems> run(const mapping::mapping_set& set,
                                                     std::string_view mapping,
                                                     const checked_case& c,
                                                     const case_defaults& defaults) {
  if (const auto doc = set.documents.find(mapping); doc != set.documents.end()) {
    if (!c.document) {
      return case_problems{{"request", "'" + std::string(mapping) +
                                           "' is a document mapping: its cases give an input"}};
    }
    return run_document_case(*doc->second, c);
  }
  for (const auto& route : set.routes) {
    if (route->name != mapping) continue;
    if (c.document) {
      return case_problems{
          {"input", "'" + std::string(mapping) + "' is a route: its cases give a request"}};
    }
    return run_route(route, c, defaults);
  }
  return case_problems{{"", "no route or document mapping named '" + std::string(mapping) + "'"}};
}

}  // namespace ordergate::tooling::golden
