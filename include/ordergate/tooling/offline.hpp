#pragma once
// Running a route without a network: upstream calls are recorded and answered
// from given documents. Used by `ordergate test` (golden cases) and
// `ordergate translate`.

#include "ordergate/mapping/mapping.hpp"
#include "ordergate/pipeline/upstream_caller.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ordergate::tooling {

namespace asio = boost::asio;

/// What a step "answers" offline.
struct recorded_answer {
  unsigned status = 200;
  http::fields headers;
  std::string body;
  std::optional<http::upstream_errc> failure;  ///< a transport failure instead of an answer
};

struct recorded_call {
  std::string step;
  http::upstream_request request;
};

/// Records every call and answers it from `answers` (by step name). A step with
/// no answer fails the call and is listed in `unanswered`.
class recording_caller final : public pipeline::upstream_caller {
 public:
  std::map<std::string, recorded_answer, std::less<>> answers;
  std::vector<recorded_call> calls;
  std::vector<std::string> unanswered;

  asio::awaitable<http::upstream_result> call(std::string_view step,
                                              http::upstream_request request) override;
};

/// Runs `route` on `req` with `caller` and returns its answer (synchronously).
http::response run_offline(std::shared_ptr<const mapping::compiled_route> route, http::request req,
                           std::shared_ptr<recording_caller> caller,
                           const std::string& request_id = "offline");

/// The document mapping `doc` applied to `input`: the JSON output, or the failure.
boost::system::result<std::string, core::failure> run_document(
    const mapping::compiled_document& doc, const codec::node& input);

}  // namespace ordergate::tooling
