#pragma once
// The executor a connection runs on: its handlers must never run at once.

#include "ordergate/http/message.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

namespace ordergate::http {

/// A new strand over `base`; or, when a single thread runs the io_context
/// (`single_thread`), `base` itself: nothing can run at once then, and an any_io_executor
/// holding the io_context's executor is copied in place, where a strand (too large for
/// its small-object buffer) costs a heap allocation on every copy.
inline asio::any_io_executor serial_executor(const asio::any_io_executor& base,
                                             bool single_thread) {
  if (single_thread) return base;
  return asio::make_strand(base);
}

}  // namespace ordergate::http
