#include "ordergate/pipeline/route_handler.hpp"

#include "exchange_state.hpp"
#include "ordergate/codec/form.hpp"
#include "ordergate/core/redact.hpp"
#include "ordergate/core/secure_compare.hpp"
#include "ordergate/http/stats.hpp"
#include "ordergate/ops/metrics.hpp"
#include "ordergate/pipeline/stats.hpp"
#include "ordergate/pipeline/step_executor.hpp"

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

/// Puts a node in the arena so that frames can point at it.
const codec::node* keep(std::pmr::memory_resource& arena, codec::node n) {
  return new (arena.allocate(sizeof(codec::node), alignof(codec::node))) codec::node(n);
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
  if (!route_->secrets.empty() && core::redact(res.body(), route_->secrets) > 0) {
    res.content_length(res.body().size());
  }
  co_return res;
}

asio::awaitable<http::response> route_handler::answer(http::request& req, http::exchange& ex) {
  ex.route = metrics_.answers;
  const mapping::compiled_route& route = *route_;
  if (!route.unavailable.empty()) {
    std::string why;
    for (const std::string& u : route.unavailable)
      why += (why.empty() ? "" : "; ") + u;
    co_return error_response(req,
                             {core::errc::unavailable, label_ + " is not configured: " + why, {}});
  }
  // Auth comes before the body is parsed, except for routes that accept a key in the body.
  bool authed = route.auth.k == mapping::auth_spec::kind::none;
  if (!authed) {
    const std::string_view token = bearer_token(req);
    authed = !token.empty() && core::secure_equal(token, route.auth.key);
    if (!authed && route.auth.body_field.empty()) {
      co_return error_response(req,
                               {core::errc::unauthorized, "missing or wrong bearer token", {}});
    }
  }
  const auto ct = req.find(beast::http::field::content_type);
  if (ct != req.end() && codec::format_from_content_type(ct->value()) != route.input_format) {
    co_return error_response(
        req, {core::errc::unsupported_media_type,
              "expected a " + std::string(codec::format_name(route.input_format)) + " body",
              {}});
  }
  auto state = std::make_unique<exchange_state>(route, req, ex, *caller_, limits_, metrics_);
  exchange_state& s = *state;
  mapping::frame& f = s.f;

  codec::node body;
  if (!req.body().empty()) {
    codec::decode_options options;
    options.limits = limits_.inbound;
    auto decoded = codec::decode(route.input_format, req.body(), s.arena, options);
    if (!decoded) {
      if (!authed)
        co_return error_response(req, {core::errc::unauthorized, "missing or wrong key", {}});
      co_return error_response(req, bad_request("malformed body: " + decoded.error().message));
    }
    body = *decoded;
  }
  if (!authed) {
    const codec::node* key = body.find(route.auth.body_field);
    if (!key || !key->is_string() || !core::secure_equal(key->text(), route.auth.key)) {
      co_return error_response(req, {core::errc::unauthorized, "missing or wrong key", {}});
    }
  }
  const std::string_view target = req.target();
  const auto question = target.find('?');
  codec::node query = codec::node::make_object(nullptr, 0);
  if (question != std::string_view::npos) {
    auto decoded = codec::decode_form(target.substr(question + 1), s.arena, limits_.inbound);
    if (!decoded)
      co_return error_response(req, bad_request("malformed query: " + decoded.error().message));
    query = *decoded;
  }
  if (route.body_check) {
    if (auto bad = mapping::validate(*route.body_check, body)) {
      if (metrics_.mapping_errors) metrics_.mapping_errors->inc();
      co_return error_response(
          req,
          bad_request((bad->path.empty() ? "body" : bad->path) + " " + bad->message, bad->path));
    }
  }
  if (route.query_check) {
    if (auto bad = mapping::validate(*route.query_check, query, "query")) {
      if (metrics_.mapping_errors) metrics_.mapping_errors->inc();
      co_return error_response(req, bad_request(bad->path + " " + bad->message, bad->path));
    }
  }
  const codec::node* body_node = keep(s.arena, body);
  const codec::node* query_node = keep(s.arena, query);
  f.slot(route.request.body) = value::of(body_node);
  f.slot(route.request.query) = value::of(query_node);
  f.slot(route.request.headers) = value::of(keep(s.arena, headers_node(req, s.arena, false)));
  f.slot(route.request.method) = value::string(codec::store(s.arena, req.method_string()));
  f.slot(route.request.path) = value::string(codec::store(s.arena, target.substr(0, question)));
  f.add_root({body_node, "", core::errc::unmappable});
  f.add_root({query_node, "query", core::errc::unmappable});

  auto finish = [&](http::response res) {
    if ((res.result_int() == 400 || res.result_int() == 422) && metrics_.mapping_errors)
      metrics_.mapping_errors->inc();
    return res;
  };
  if (!mapping::bind_all(route.lets, f))
    co_return finish(error_response(req, to_failure(*f.failure())));
  for (std::size_t i = 0; i < route.steps.size(); ++i) {
    step_context ctx{f,        s.arena,
                     *caller_, s.answer_bodies,
                     limits_,  ex.request_id,
                     {},       i < metrics_.steps.size() ? metrics_.steps[i] : step_counters{}};
    step_outcome o = co_await execute_step(route.steps[i], ctx);
    ex.upstream_time += ctx.upstream_time;
    switch (o.k) {
      case step_outcome::kind::ok:
      case step_outcome::kind::skipped:
        break;
      case step_outcome::kind::dry_run:
        co_return finish(make_response(req, 200, std::move(o.body), codec::media_type(o.format)));
      case step_outcome::kind::failed:
        co_return finish(error_response(req, o.failure));
      case step_outcome::kind::respond:
        co_return finish(render_response(*o.respond, s));
    }
  }
  co_return finish(render_response(route.response, s));
}

}  // namespace ordergate::pipeline
