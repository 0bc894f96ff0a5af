// One bundled route end to end (ORDERGATE_FUZZ_ROUTE names its mapping file), offline as
// the golden cases run it: a fuzzed request and fuzzed vendor answers for its steps.
//
// Input: parts separated by "\n--part--\n". Part 0 is the request: its first line the
// query string, its second the Content-Type (empty: application/json), the rest the body.
// Part i is the answer to step i: first line the status (or a transport failure:
// timeout, connect_failed, resolve_failed, tls_failed, bad_answer, too_large), second line
// the Content-Type, the rest the body. A step without a part fails to connect.
// Invariants: the route answers, with a final status (200-599), no body where HTTP forbids
// one, and any JSON answer parses.
#include "fuzz_mappings.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/mapping/answer_status.hpp"
#include "ordergate/tooling/offline.hpp"

#include <charconv>
#include <memory_resource>

using namespace ordergate;
namespace bhttp = boost::beast::http;

namespace {

std::shared_ptr<const mapping::compiled_route> bundled_route() {
  const auto loaded = mapping::load_folder(std::string(ORDERGATE_SOURCE_DIR) + "/mappings",
                                           fuzz::bundled_environment());
  if (!loaded.mappings) fuzz::broken("the bundled mappings do not load");
  for (const auto& route : loaded.mappings->routes) {
    if (route->name == ORDERGATE_FUZZ_ROUTE) return route;
  }
  fuzz::broken("no bundled route named " ORDERGATE_FUZZ_ROUTE);
}

std::optional<http::upstream_errc> failure_named(std::string_view name) {
  using errc = http::upstream_errc;
  for (const auto& [text, code] :
       {std::pair{"timeout", errc::timeout}, std::pair{"connect_failed", errc::connect_failed},
        std::pair{"resolve_failed", errc::resolve_failed},
        std::pair{"tls_failed", errc::tls_failed}, std::pair{"bad_answer", errc::bad_answer},
        std::pair{"too_large", errc::too_large}}) {
    if (name == text) return code;
  }
  return std::nullopt;
}

tooling::recorded_answer answer_from(std::string_view part) {
  tooling::recorded_answer answer;
  const std::string_view status = fuzz::take_line(part);
  const std::string_view content_type = fuzz::take_line(part);
  answer.failure = failure_named(status);
  unsigned code = 200;
  const auto [end, ec] = std::from_chars(status.data(), status.data() + status.size(), code);
  if (ec == std::errc() && code >= 100 && code <= 599) answer.status = code;
  answer.headers.set(bhttp::field::content_type,
                     content_type.empty() ? std::string_view("application/json") : content_type);
  answer.body = std::string(part);
  return answer;
}

http::request request_from(const mapping::compiled_route& route, std::string_view part) {
  const std::string_view query = fuzz::take_line(part);
  const std::string_view content_type = fuzz::take_line(part);
  http::request req;
  req.version(11);
  req.method_string(route.method);
  std::string target = route.path;
  if (!query.empty()) target.append("?").append(query);
  req.target(target);
  req.set(bhttp::field::host, "ordergate.test");
  req.set(bhttp::field::content_type,
          content_type.empty() ? std::string_view("application/json") : content_type);
  if (route.auth.scheme == mapping::auth_spec::kind::bearer) {
    req.set(bhttp::field::authorization, "Bearer " + route.auth.key);
  }
  req.body() = std::string(part);
  req.prepare_payload();
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto route = bundled_route();
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size));
  auto caller = std::make_shared<tooling::recording_caller>();
  for (std::size_t i = 0; i < route->steps.size() && i + 1 < parts.size(); ++i) {
    caller->answers[route->steps[i].name] = answer_from(parts[i + 1]);
  }
  const http::response res = tooling::run_offline(route, request_from(*route, parts[0]), caller);
  const unsigned status = res.result_int();
  if (!mapping::answerable_status(status)) fuzz::broken("status " + std::to_string(status));
  if (!mapping::status_has_body(status) && !res.body().empty()) {
    fuzz::broken("a body with status " + std::to_string(status), res.body());
  }
  if (res[bhttp::field::content_type].starts_with("application/json")) {
    std::pmr::monotonic_buffer_resource arena;
    const auto body = codec::decode_json_copy(res.body(), arena, {64u << 20, 512});
    if (!body) fuzz::broken("a JSON answer that does not parse", res.body());
    if (status >= 400 && (!body->find("error") || !body->find("message"))) {
      fuzz::broken("an error answer without error and message", res.body());
    }
  }
  return 0;
}
