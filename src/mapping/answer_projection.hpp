#pragma once
// What a mapping reads of each upstream answer, found at load: every path its
// expressions and templates can reach from `<step>.body` (through let names, loop
// variables, lambdas and the documents it $uses). The decoder then builds only those
// paths. Whatever is used as a whole (written out, compared, passed to most functions,
// indexed by a computed key) keeps its whole subtree.

#include "ordergate/mapping/mapping.hpp"

namespace ordergate::mapping {

/// False when ORDERGATE_FULL_DECODE is set (to anything but "0" or ""): every answer is
/// then decoded whole, as a check of the projection or an escape hatch.
bool project_upstream_answers();

/// Sets `answer_keep` of every step of `route`.
void project_answers(compiled_route& route);

/// Sets `answer_keep` of the start, source, item steps and sink of `job`.
void project_answers(compiled_job& job);

}  // namespace ordergate::mapping
