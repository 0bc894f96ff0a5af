#pragma once
// Process settings from the environment (docs/operations.md, "Configuration
// reference"), validated once at start.

#include "ordergate/http/server.hpp"
#include "ordergate/http/upstream_client.hpp"
#include "ordergate/jobs/job_runner.hpp"
#include "ordergate/pipeline/route_handler.hpp"

#include <chrono>
#include <string>

namespace ordergate::app {

struct settings {
  http::server_settings server;
  std::string mappings = "mappings";
  std::string state_dir = "./state";
  unsigned threads = 1;
  std::chrono::milliseconds drain_grace{2'000};
  std::chrono::milliseconds drain_deadline{10'000};
  bool access_log = true;
  http::upstream_client_settings upstream;
  pipeline::route_limits limits;
};

/// Reads every ORDERGATE_* variable; throws std::runtime_error naming a bad one.
settings settings_from_environment();

/// The inbound limits alone (ORDERGATE_MAX_BODY_BYTES, ORDERGATE_MAX_HEADER_BYTES, the
/// timeouts, ORDERGATE_MAX_CONNECTIONS), as settings_from_environment reads them.
http::server_limits server_limits_from_environment();

/// "address:port" ("127.0.0.1:8080", "[::1]:0", ":8080" for every address); throws
/// std::runtime_error naming `what` when `text` is not one.
http::tcp::endpoint parse_listen(const std::string& text, const std::string& what);

/// What the job engine needs of `s`.
jobs::job_settings job_settings_of(const settings& s);

}  // namespace ordergate::app
