#pragma once
// Per-request state of a route run: the arena every decoded and computed value
// lives in, the frame, and the buffers upstream answers were decoded in place from;
// and the two conversions every stage of a run uses.

#include "ordergate/http/message.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/pipeline/route_handler.hpp"

#include <array>
#include <deque>
#include <memory_resource>
#include <string>

namespace ordergate::pipeline {

namespace beast = boost::beast;

struct exchange_state {
  exchange_state(const mapping::compiled_route& r, http::request& q, http::exchange& e,
                 upstream_caller& c, const route_limits& l, const route_metrics& m)
      : route(r), req(q), ex(e), caller(c), limits(l), metrics(m), frame(arena, r.slot_count) {}

  const mapping::compiled_route& route;
  http::request& req;
  http::exchange& ex;
  upstream_caller& caller;
  const route_limits& limits;
  const route_metrics& metrics;
  // A first block inside the state itself: most requests never allocate more.
  std::array<std::byte, 16 * 1024> first_block;
  std::pmr::monotonic_buffer_resource arena{first_block.data(), first_block.size()};
  mapping::frame frame;
  /// Decoded in place: must live as long as the frame. Kept track of in the arena.
  std::pmr::deque<http::answer_body> answer_bodies{&arena};
};

/// An object node of `fields` (request or answer headers) with lower-case names, built
/// in `arena`. Values are copied there with `copy_values`, else they point into `fields`.
codec::node headers_node(const http::fields& fields, std::pmr::memory_resource& arena,
                         bool copy_values);

/// Converts an evaluation failure into the answer's failure.
core::failure to_failure(const mapping::eval_failure& e);

}  // namespace ordergate::pipeline
