#include "ordergate/pipeline/route_handler.hpp"

#include "ordergate/codec/form.hpp"
#include "ordergate/core/redact.hpp"
#include "ordergate/core/secure_compare.hpp"
#include "ordergate/http/stats.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/pipeline/stats.hpp"
#include "ordergate/pipeline/step_executor.hpp"
#include "pipeline/render.hpp"

namespace ordergate::pipeline {
namespace {

namespace beast = boost::beast;

using mapping::value;

/// The token of "Authorization: Bearer <token>", or "".
std::string_view bearer_token(const http::request& req) {
  const auto it = req.find(beast::http::field::authorization);
  if (it == req.end()) return {};
  std::string_view v = it->value();
  if (v.size() < 7 || !beast::iequals(v.substr(0, 7), "bearer ")) return {};
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  return v;
}

core::failure bad_request(std::string message, std::string path = {}) {
  return {core::errc::bad_request, std::move(message), std::move(path)};
}

core::failure unauthorized(std::string message) {
  return {core::errc::unauthorized, std::move(message), {}};
}

/// Puts a node in the arena so that frames can point at it.
const codec::node* keep(std::pmr::memory_resource& arena, codec::node n) {
  return new (arena.allocate(sizeof(codec::node), alignof(codec::node))) codec::node(n);
}

// The stages of a request, in order. Each returns what the next one needs, or the
// failure that ends the request.

/// How the caller proved who it is so far.
enum class identity : std::uint8_t {
  proven,       ///< no key needed, or the bearer token matched
  key_in_body,  ///< not yet: the route accepts the key in the body
};

/// The route is configured, the caller sent a known key (or may send it in the body),
/// and the body is in the route's format. Auth comes before the body is parsed.
core::result<identity> admit(const mapping::compiled_route& route, const std::string& label,
                             const http::request& req) {
  if (!route.unavailable.empty()) {
    std::string why;
    for (const std::string& u : route.unavailable)
      why += (why.empty() ? "" : "; ") + u;
    return core::failure{core::errc::unavailable, label + " is not configured: " + why, {}};
  }
  identity who = identity::proven;
  if (route.auth.scheme != mapping::auth_spec::kind::none) {
    const std::string_view token = bearer_token(req);
    if (token.empty() || !core::secure_equal(token, route.auth.key)) {
      if (route.auth.body_field.empty()) return unauthorized("missing or wrong bearer token");
      who = identity::key_in_body;
    }
  }
  const auto ct = req.find(beast::http::field::content_type);
  if (ct != req.end() && codec::format_from_content_type(ct->value()) != route.input_format) {
    return core::failure{
        core::errc::unsupported_media_type,
        "expected a " + std::string(codec::format_name(route.input_format)) + " body",
        {}};
  }
  return who;
}

/// The request's body and query as documents.
struct request_input {
  codec::node body;
  codec::node query = codec::node::make_object(nullptr, 0);
};

/// Decodes the body and the query, and checks a key sent in the body. A caller whose
/// key is still unproven learns nothing about the body: any failure is a 401. Out of line,
/// as validate_input is, so that profiles show them (bench/serve_instructions.sh).
[[gnu::noinline]] core::result<request_input> decode_input(const mapping::compiled_route& route,
                                                           http::request& req, identity who,
                                                           const codec::decode_limits& limits,
                                                           std::pmr::memory_resource& arena) {
  request_input in;
  if (!req.body().empty()) {
    codec::decode_options options;
    options.limits = limits;
    auto decoded = codec::decode(route.input_format, req.body(), arena, options);
    if (!decoded) {
      if (who == identity::key_in_body) return unauthorized("missing or wrong key");
      return bad_request("malformed body: " + decoded.error().message);
    }
    in.body = *decoded;
  }
  if (who == identity::key_in_body) {
    const codec::node* key = in.body.find(route.auth.body_field);
    if (!key || !key->is_string() || !core::secure_equal(key->text(), route.auth.key))
      return unauthorized("missing or wrong key");
  }
  const std::string_view target = req.target();
  if (const auto question = target.find('?'); question != std::string_view::npos) {
    auto decoded = codec::decode_form(target.substr(question + 1), arena, limits);
    if (!decoded) return bad_request("malformed query: " + decoded.error().message);
    in.query = *decoded;
  }
  return in;
}

/// The body and the query pass the route's input checks.
[[gnu::noinline]] core::result<void> validate_input(const mapping::compiled_route& route,
                                                    const request_input& in) {
  if (route.body_check) {
    if (auto bad = mapping::validate(*route.body_check, in.body)) {
      return bad_request((bad->path.empty() ? "body" : bad->path) + " " + bad->message, bad->path);
    }
  }
  if (route.query_check) {
    if (auto bad = mapping::validate(*route.query_check, in.query, "query"))
      return bad_request(bad->path + " " + bad->message, bad->path);
  }
  return {};
}

/// Puts the request into the frame (`request.body`, `.query`, `.headers`, `.method`,
/// `.path`) and binds the route's `let` names.
core::result<void> bind(const request_input& in, exchange_state& state) {
  const mapping::compiled_route& route = state.route;
  mapping::frame& frame = state.frame;
  std::pmr::memory_resource& arena = state.arena;
  const std::string_view target = state.req.target();
  const codec::node* body = keep(arena, in.body);
  const codec::node* query = keep(arena, in.query);
  frame.slot(route.request.body) = value::of(body);
  frame.slot(route.request.query) = value::of(query);
  frame.slot(route.request.headers) = value::of(keep(arena, headers_node(state.req, arena, false)));
  frame.slot(route.request.method) = value::string(codec::store(arena, state.req.method_string()));
  frame.slot(route.request.path) =
      value::string(codec::store(arena, target.substr(0, target.find('?'))));
  frame.add_root({body, "", core::errc::unmappable});
  frame.add_root({query, "query", core::errc::unmappable});
  if (!mapping::bind_all(route.lets, frame)) return to_failure(*frame.failure());
  return {};
}

}  // namespace

step_counters step_counters::of(ops::registry& registry, std::string_view service) {
  auto counter = [&](std::string_view outcome) {
    return &registry.counter_of(stats::upstream_calls, {service, outcome});
  };
  // The connection cap's series of the service exist from start too (the client's
  // limiter updates the same series once calls flow).
  registry.gauge_of(http::stats::upstream_in_use, {service});
  registry.gauge_of(http::stats::upstream_waiting, {service});
  registry.counter_of(http::stats::upstream_refused, {service});
  return {counter("ok"), counter("failed"), counter("error"), counter("timeout")};
}

route_metrics register_route_metrics(ops::registry& registry,
                                     const mapping::compiled_route& route) {
  route_metrics m;
  m.answers = ops::route_series::make(registry, route.label());
  for (const mapping::step& s : route.steps)
    m.steps.push_back(step_counters::of(registry, s.call.service));
  m.mapping_errors = &registry.counter_of(stats::mapping_errors, {route.label()});
  return m;
}

route_handler::route_handler(std::shared_ptr<const mapping::compiled_route> route,
                             std::shared_ptr<upstream_caller> caller, route_limits limits,
                             route_metrics metrics)
    : route_(std::move(route)),
      caller_(std::move(caller)),
      limits_(limits),
      metrics_(std::move(metrics)),
      label_(route_->label()) {}

asio::awaitable<http::response> route_handler::handle(http::request& req, http::exchange& ex) {
  http::response res = co_await answer(req, ex);
  if (!route_->secrets.empty() && core::redact_json(res.body(), route_->secrets) > 0) {
    res.content_length(res.body().size());
  }
  co_return res;
}

asio::awaitable<http::response> route_handler::answer(http::request& req, http::exchange& ex) {
  ex.route = metrics_.answers;
  const mapping::compiled_route& route = *route_;
  const auto who = admit(route, label_, req);
  if (!who) co_return error_response(req, who.error());
  auto state = std::make_unique<exchange_state>(route, req, ex, *caller_, limits_, metrics_);
  const auto input = decode_input(route, req, *who, limits_.inbound, state->arena);
  if (!input) co_return error_response(req, input.error());
  if (auto valid = validate_input(route, *input); !valid) {
    count_mapping_error();
    co_return error_response(req, valid.error());
  }
  http::response res;
  if (auto bound = bind(*input, *state); !bound) {
    res = error_response(req, bound.error());
  } else {
    res = co_await run_steps(*state);
  }
  // Input a mapping could not map (400, 422) is counted as a mapping error.
  if (res.result_int() == 400 || res.result_int() == 422) count_mapping_error();
  co_return res;
}

asio::awaitable<http::response> route_handler::run_steps(exchange_state& state) {
  const mapping::compiled_route& route = state.route;
  for (std::size_t i = 0; i < route.steps.size(); ++i) {
    step_context ctx{state.frame,  state.arena,
                     state.caller, state.answer_bodies,
                     state.limits, state.ex.request_id,
                     {},           i < metrics_.steps.size() ? metrics_.steps[i] : step_counters{}};
    step_outcome o = co_await execute_step(route.steps[i], ctx);
    state.ex.upstream_time += ctx.upstream_time;
    switch (o.ended) {
      case step_outcome::kind::ok:
      case step_outcome::kind::skipped:
        break;
      case step_outcome::kind::dry_run:
        co_return make_response(state.req, 200, std::move(o.body), codec::media_type(o.format));
      case step_outcome::kind::failed:
        co_return error_response(state.req, o.failure);
      case step_outcome::kind::respond:
        co_return render_response(*o.respond, state);
    }
  }
  co_return render_response(route.response, state);
}

void route_handler::count_mapping_error() const {
  if (metrics_.mapping_errors) metrics_.mapping_errors->inc();
}

}  // namespace ordergate::pipeline
