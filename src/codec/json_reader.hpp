#pragma once
// The fast path of JSON decoding: one pass that validates the whole text (grammar,
// UTF-8, nesting) but builds nodes only for what a projection keeps. Strings without
// escapes point into the text, which is never modified; numbers keep their literal
// text. It accepts a subset of what RapidJSON accepts, and says only yes or no: on
// "no" the caller decodes with RapidJSON, which gives the result (for what this reader
// is stricter about, such as escaped NULs) or the exact error.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/projection.hpp"

#include <memory_resource>

namespace ordergate::codec {

/// Reads the `size` bytes at `data` (followed by a NUL) into `out`, keeping what `keep`
/// says, nesting at most `max_depth` levels. False when the text is not accepted.
bool read_json(const char* data, std::size_t size, std::pmr::memory_resource& arena,
               unsigned max_depth, const projection& keep, node& out);

}  // namespace ordergate::codec
