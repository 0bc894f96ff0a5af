#pragma once
// Which statuses a route may answer, checked when a mapping loads (a constant status)
// and when a route answers (a status an expression chose).

#include <cstdint>

namespace ordergate::mapping {

/// Whether a route may answer `status`: a final status, 200-599. 1xx are interim answers
/// (RFC 9110 15.2); a route's answer cannot be one.
constexpr bool answerable_status(std::int64_t status) noexcept {
  return status >= 200 && status <= 599;
}

/// Whether an answer with `status` may carry a body: 204 and 304 never do (RFC 9110).
constexpr bool status_has_body(std::int64_t status) noexcept {
  return status != 204 && status != 304;
}

}  // namespace ordergate::mapping
