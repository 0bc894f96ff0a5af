#pragma once
// Exceptions are not expected on the data plane; one that still escapes a coroutine
// reaches the co_spawn completion, is reported on stderr, and goes no further.

#include <exception>
#include <string_view>

namespace ordergate::http {

/// Writes one JSON line naming `where` and the exception's message to stderr.
void report_escaped_exception(std::string_view where, const std::exception_ptr& error) noexcept;

/// A co_spawn completion handler that reports an escaped exception instead of crashing.
struct escape_reporter {
  std::string_view where;  // a string literal
  void operator()(const std::exception_ptr& error) const noexcept {
    if (error) report_escaped_exception(where, error);
  }
};

}  // namespace ordergate::http
