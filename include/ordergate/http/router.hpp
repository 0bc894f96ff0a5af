#pragma once
// Method + path -> handler. Unknown paths get 404, a known path with another
// method gets 405 with Allow; both as JSON error answers (docs/flows.md, "Error answers").
// HEAD on a path routed for GET goes to the GET handler (RFC 9110 9.3.2).

#include "ordergate/http/message.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ordergate::http {

/// Built once (at load or reload), then only read: safe to share between threads.
class router final : public handler {
 public:
  /// Routes `method` (e.g. "POST") requests for exactly `path` to `target`.
  /// Returns false when that method and path are already routed.
  bool add(std::string method, std::string path, std::shared_ptr<handler> target);

  asio::awaitable<response> handle(request& req, exchange& ex) override;

 private:
  struct entry {
    std::vector<std::pair<std::string, std::shared_ptr<handler>>> methods;
    std::string allow;  ///< "GET, POST, HEAD"
    handler* find(std::string_view method) const;
  };
  std::map<std::string, entry, std::less<>> paths_;
};

}  // namespace ordergate::http
