#include "ordergate/tooling/offline.hpp"

#include "ordergate/codec/json.hpp"
#include "ordergate/pipeline/route_handler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace ordergate::tooling {

asio::awaitable<http::upstream_result> recording_caller::call(std::string_view step,
                                                              http::upstream_request request) {
  calls.push_back({std::string(step), request});
  const auto it = answers.find(step);
  if (it == answers.end()) {
    unanswered.emplace_back(step);
    co_return http::upstream_failure{http::upstream_errc::connect_failed,
                                     request.service + ": no recorded answer for this step"};
  }
  const recorded_answer& a = it->second;
  if (a.failure) {
    const bool timeout = *a.failure == http::upstream_errc::timeout;
    // Worded as the real client words it: "<service>: what happened".
    co_return http::upstream_failure{
        *a.failure, request.service + (timeout ? ": timed out" : ": connection refused")};
  }
  http::upstream_answer answer;
  answer.status = a.status;
  answer.headers = a.headers;
  answer.body = a.body;
  co_return answer;
}

http::response run_offline(std::shared_ptr<const mapping::compiled_route> route, http::request req,
                           std::shared_ptr<recording_caller> caller,
                           const std::string& request_id) {
  asio::io_context ioc;
  auto handler = std::make_shared<pipeline::route_handler>(std::move(route), caller);
  http::exchange ex;
  ex.request_id = request_id;
  http::response out;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out = co_await handler->handle(req, ex); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  ioc.run();
  return out;
}

boost::system::result<std::string, core::failure> run_document(
    const mapping::compiled_document& doc, const codec::node& input) {
  std::pmr::monotonic_buffer_resource arena;
  mapping::frame frame(arena, doc.slot_count);
  frame.add_root({&input, "", core::errc::unmappable});
  frame.slot(doc.input_slot) = mapping::value::of(&input);
  std::string out;
  codec::json_writer w(out);
  if (!mapping::bind_all(doc.lets, frame) || !mapping::render(doc.output, frame, w)) {
    const auto& e = *frame.failure();
    return core::failure{e.code, e.message, e.path};
  }
  return out;
}

}  // namespace ordergate::tooling
