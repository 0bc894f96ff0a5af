#pragma once
// What every row of the fault matrix (docs/reliability.md) checks after its fault: the
// answer, the metrics, the access log, no secret anywhere, and a gateway that still
// serves.

#include "support/gateway_fixture.hpp"

#include <functional>
#include <string_view>

namespace ordergate::testing {

/// `ordergate_upstream_calls_total{service="<service>",outcome="<outcome>"}`.
std::string upstream_calls(std::string_view service, std::string_view outcome);

/// Polls /metrics until the sample `series` satisfies `holds`; false after `limit`.
bool metric_becomes(gateway_fixture& g, std::string_view series,
                    const std::function<bool(double)>& holds,
                    std::chrono::milliseconds limit = 20s);

/// The same, asking on the open keep-alive connection `on`: the asking connection is
/// counted once and stays open, so a count of connections does not depend on when the
/// gateway notices an earlier asking connection close.
bool metric_becomes(client_connection& on, std::string_view series,
                    const std::function<bool(double)>& holds,
                    std::chrono::milliseconds limit = 20s);

/// Waits for an access-log line of `path` with `status`.
bool access_logged(const gateway_fixture& g, std::string_view path, unsigned status);

/// Checks that none of the test credentials (secret::all) appears in `text`.
void check_no_secret(std::string_view text, std::string_view where);

/// The gateway survived: /healthz and /readyz answer 200, and neither /metrics nor
/// anything the process printed holds a secret.
void check_still_serving(gateway_fixture& g);

/// The answer has `status` and the error name `error` (none when empty), and holds no
/// secret.
void check_answer(const std::optional<http_answer>& answer, unsigned status,
                  std::string_view error = {});

}  // namespace ordergate::testing
