#pragma once
// A golden case as the playground edits it: parts (one JSONC text per member of the
// case, every *_file inlined) made from a case file, and the case text made back from
// edited parts, for golden::parse_case.

#include "ordergate/tooling/golden.hpp"

#include <boost/system/result.hpp>

#include <map>
#include <string>
#include <string_view>

namespace ordergate::tooling::playground {

/// The editable parts of a case by name: "env", "request", "upstream", "expect" for a
/// route case; "env", "input", "expect" for a document case. Each is the JSONC text of
/// that member, except "input", which is the input document's own text (kept exactly,
/// so that number text such as 2200.00 survives).
using case_parts = std::map<std::string, std::string, std::less<>>;

/// The parts of a case file's `text`, whose files are read as parse_case reads them.
/// A body file becomes "body" when rewriting it as JSON gives the same document, else
/// "body_text" with the Content-Type the file implied; expected files become "body",
/// "body_text" or "output".
boost::system::result<case_parts, golden::case_problems> parts_of(std::string_view text,
                                                                  const golden::case_files& files);

/// The leading comment lines of a case file (its description), without the slashes.
std::string description_of(std::string_view text);

enum class text_for {
  run,   ///< the input as "input_text", exactly
  save,  ///< the input as "input" when that reads the same document, for the eye
};

/// The case text edited parts make. Problems name the part: an unknown part, or a part
/// that is not JSONC ("request: syntax error at line 2, column 5: ...").
boost::system::result<std::string, golden::case_problems> case_text_of(const case_parts& parts,
                                                                       bool document,
                                                                       text_for purpose);

/// An "expect" part that the run passes: the actual calls and answer, compared the way
/// the case compared them (the same header names, JSON, form or exact text).
std::string expect_from(const golden::run_result& run, const golden::checked_case& c);

/// True when `text` is JSON that RapidJSON rewrites into the same document (numbers
/// keep their text: 2200.00 does not).
bool rewrites_the_same(std::string_view text);

}  // namespace ordergate::tooling::playground
