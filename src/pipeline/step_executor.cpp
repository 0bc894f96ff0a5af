#include "ordergate/pipeline/step_executor.hpp"
#include "pipeline/render.hpp"

#include "ordergate/codec/form.hpp"
#include "ordergate/ops/metrics.hpp"

#include <boost/url/parse.hpp>

namespace ordergate::pipeline {
namespace {

using mapping::value;

/// The rendered call of a step.
struct rendered_call {
  http::upstream_request request;
  codec::format body_format = codec::format::json;
};

/// A base URL as parsed, with the text it was parsed from.
struct parsed_base {
  std::string text;
  boost::urls::url url;
};

core::failure bad_url(const mapping::call_spec& call) {
  // The URL comes from configuration: say which call, never the URL (it may hold a token).
  return core::failure{core::errc::upstream_error,
                       "the URL of call '" + call.service + "' is not a valid http(s) URL",
                       {}};
}

core::result<boost::urls::url> render_url(const mapping::call_spec& call, step_context& s) {
  const value base = mapping::evaluate(call.url, s.frame);
  if (s.frame.failed()) return to_failure(*s.frame.failure());
  const std::string_view base_text = base.as_string();
  // Reused by each thread: no allocation per call once it has grown.
  thread_local std::string query;
  query.clear();
  if (call.query) {
    codec::form_writer w(query);
    if (!mapping::render(*call.query, s.frame, w)) return to_failure(*s.frame.failure());
    if (w.failed()) return core::failure{core::errc::unmappable, "query: " + *w.error(), {}};
  }
  // The base URL comes from configuration: the same text for each call of a step. Each
  // thread keeps the last one it parsed and parses only another text.
  thread_local parsed_base last;
  if (last.text != base_text || last.url.empty()) {
    const auto parsed = boost::urls::parse_absolute_uri(base_text);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https"))
      return bad_url(call);
    last.url = *parsed;
    last.text.assign(base_text);
  }
  if (query.empty()) return last.url;
  if (last.url.has_query()) {
    // A base with a query of its own (rare): the whole text is parsed again.
    std::string whole(base_text);
    whole += '&';
    whole += query;
    const auto parsed = boost::urls::parse_absolute_uri(whole);
    if (!parsed) return bad_url(call);
    return boost::urls::url(*parsed);
  }
  // The form writer's text is encoded already: only its escapes are checked.
  const auto encoded = boost::urls::make_pct_string_view(query);
  if (!encoded) return bad_url(call);
  // Room for the query first: one allocation, not a copy of the base and then another.
  boost::urls::url url;
  url.reserve(last.url.buffer().size() + 1 + query.size());
  url = last.url;
  url.set_encoded_query(*encoded);
  return url;
}

/// Out of line so that profiles show it (bench/serve_instructions.sh).
[[gnu::noinline]] core::result<rendered_call> render_call(const mapping::step& step,
                                                          step_context& s) {
  const mapping::call_spec& call = step.call;
  rendered_call r;
  r.request.service = call.service;
  r.request.method = beast::http::string_to_verb(call.method);
  auto url = render_url(call, s);
  if (!url) return url.error();
  r.request.url = std::move(*url);
  if (call.headers) {
    if (auto headers = render_headers(*call.headers, s.frame, r.request.headers); !headers)
      return headers.error();
  }
  if (call.body) {
    auto body = render_body(*call.body, call.body_format, s.frame, s.limits.max_output_bytes);
    if (!body) return body.error();
    r.request.body = std::move(body->text);
    r.body_format = body->format;
    if (r.request.headers.find(beast::http::field::content_type) == r.request.headers.end()) {
      r.request.headers.set(beast::http::field::content_type, codec::media_type(r.body_format));
    }
  }
  r.request.headers.set("X-Request-Id", s.request_id);
  r.request.timeout = call.timeout;
  r.request.connect_timeout = call.connect_timeout;
  r.request.max_attempts = call.attempts;
  r.request.max_answer_bytes = s.limits.upstream.max_bytes;
  return r;
}

/// An upstream answer's body as the mapping reads it.
struct decoded_answer {
  codec::node body;
  /// Why the body could not be decoded (the raw text is kept, failure rules may read it).
  std::optional<std::string> malformed;
};

/// Decodes an answer body, building what the mapping reads of it (`keep`; null: all).
/// Out of line, as the route handler's decode_input is, so that profiles show it
/// (bench/serve_instructions.sh).
[[gnu::noinline]] decoded_answer decode_answer(const mapping::call_spec& call,
                                               const codec::projection* keep,
                                               http::upstream_answer& answer, step_context& s) {
  http::answer_body& body = s.answer_bodies.emplace_back(std::move(answer.body));
  if (body.empty()) return {codec::node::make_null(), std::nullopt};
  std::optional<codec::format> format = call.answer_format;
  if (!format) {
    const auto ct = answer.headers.find(beast::http::field::content_type);
    format =
        ct != answer.headers.end() ? codec::format_from_content_type(ct->value()) : std::nullopt;
  }
  if (!format || *format == codec::format::form) format = codec::format::text;
  codec::decode_options options;
  options.limits = s.limits.upstream;
  options.xml = call.answer_xml;
  if (keep) options.keep = keep;
  auto decoded = codec::decode(*format, body.data(), body.size(), s.arena, options);
  if (decoded) return {*decoded, std::nullopt};
  // JSON is decoded in place, so a broken JSON body is not kept; other text is.
  return {*format == codec::format::json ? codec::node::make_null()
                                         : codec::node::make_string(body.view()),
          std::move(decoded.error().message)};
}

void count(ops::counter* c) {
  if (c) c->inc();
}

step_outcome failed(core::failure failure, unsigned status = 0, bool transient = false) {
  step_outcome o;
  o.ended = step_outcome::kind::failed;
  o.failure = std::move(failure);
  o.status = status;
  o.transient = transient;
  return o;
}

step_outcome eval_failed(const mapping::frame& frame) {
  return failed(to_failure(*frame.failure()));
}

/// Applies the step's failure rules to a failing answer.
step_outcome judge_failure(const mapping::step& step, step_context& s, unsigned status) {
  mapping::frame& frame = s.frame;
  const bool transient = status >= 500;
  for (const mapping::failure_rule& rule : step.on_failure) {
    if (rule.when) {
      const value holds = mapping::evaluate(*rule.when, frame);
      if (frame.failed()) return eval_failed(frame);
      if (!mapping::truthy(holds)) continue;
    }
    if (rule.respond) {
      step_outcome o;
      o.ended = step_outcome::kind::respond;
      o.respond = &*rule.respond;
      o.status = status;
      return o;
    }
    std::string message = step.call.service + " answered HTTP " + std::to_string(status);
    if (rule.message) {
      const value m = mapping::evaluate(*rule.message, frame);
      if (frame.failed()) return eval_failed(frame);
      if (m.type() == mapping::vtype::string && !m.as_string().empty()) message = m.as_string();
    }
    return failed({rule.error, message, {}}, status, transient);
  }
  return failed({core::errc::upstream_error,
                 step.call.service + " answered HTTP " + std::to_string(status),
                 {}},
                status, transient);
}

}  // namespace

asio::awaitable<step_outcome> execute_step(const mapping::step& step, step_context& s) {
  mapping::frame& frame = s.frame;
  if (step.skip_when) {
    const value skip = mapping::evaluate(*step.skip_when, frame);
    if (frame.failed()) co_return eval_failed(frame);
    if (mapping::truthy(skip)) {
      step_outcome o;
      o.ended = step_outcome::kind::skipped;
      co_return o;
    }
  }
  auto rendered = render_call(step, s);
  if (!rendered) co_return failed(rendered.error());
  rendered_call& call = *rendered;
  if (step.dry_run_when) {
    const value dry = mapping::evaluate(*step.dry_run_when, frame);
    if (frame.failed()) co_return eval_failed(frame);
    if (mapping::truthy(dry)) {
      step_outcome o;
      o.ended = step_outcome::kind::dry_run;
      o.body = std::move(call.request.body);
      o.format = call.body_format;
      co_return o;
    }
  }
  http::upstream_result result = co_await s.caller.call(step.name, std::move(call.request));
  if (!result) {
    const http::upstream_failure& failure = result.error();
    s.upstream_time += failure.elapsed;
    if (failure.code == http::upstream_errc::timeout) {
      count(s.counters.timeout);
      co_return failed(
          {core::errc::upstream_timeout, step.call.service + " did not answer in time", {}}, 0,
          true);
    }
    count(s.counters.error);
    if (failure.code == http::upstream_errc::saturated) {
      // Our own bound, not the vendor's fault: 503, and the client may come back later.
      co_return failed({core::errc::unavailable, failure.message, {}}, 0, true);
    }
    // The caller's message already names the service ("webasyst: cannot connect to ...").
    co_return failed({core::errc::upstream_error, failure.message, {}}, 0, true);
  }
  http::upstream_answer& answer = *result;
  s.upstream_time += answer.elapsed;
  decoded_answer decoded = decode_answer(step.call, step.answer_keep.get(), answer, s);
  // Nodes must have stable addresses for error paths: keep them in the arena.
  auto* stored =
      static_cast<codec::node*>(s.arena.allocate(sizeof(codec::node) * 2, alignof(codec::node)));
  stored[0] = decoded.body;
  stored[1] = headers_node(answer.headers, s.arena, true);  // the answer goes, its headers stay
  frame.slot(step.answer.status) = value::number(mapping::decimal::from_int(answer.status));
  frame.slot(step.answer.body) = value::of(&stored[0]);
  frame.slot(step.answer.headers) = value::of(&stored[1]);
  // Errors about values of this answer name them "<step>.path" and count as upstream errors.
  frame.add_root({&stored[0], step.name, core::errc::upstream_error});
  bool failing = answer.status >= 400;
  if (step.fails_when) {
    const value holds = mapping::evaluate(*step.fails_when, frame);
    if (frame.failed()) co_return eval_failed(frame);
    failing = mapping::truthy(holds);
  }
  if (failing) {
    count(s.counters.failed);
    co_return judge_failure(step, s, answer.status);
  }
  if (decoded.malformed) {
    count(s.counters.failed);
    co_return failed({core::errc::upstream_error,
                      step.call.service + " answered a malformed body: " + *decoded.malformed,
                      {}},
                     answer.status);
  }
  count(s.counters.ok);
  step_outcome o;
  o.status = answer.status;
  co_return o;
}

}  // namespace ordergate::pipeline
