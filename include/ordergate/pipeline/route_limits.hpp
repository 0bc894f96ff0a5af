#pragma once
// The bounds on what a route or job decodes and produces.

#include "ordergate/codec/document.hpp"

#include <cstddef>

namespace ordergate::pipeline {

struct route_limits {
  codec::decode_limits inbound;  ///< request bodies (size is also capped by the server)
  codec::decode_limits upstream{8u << 20, 64};  ///< vendor answers
  std::size_t max_output_bytes = 8u << 20;      ///< rendered bodies
};

}  // namespace ordergate::pipeline
