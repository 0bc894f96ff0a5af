#pragma once
// JSON bytes <-> document, with RapidJSON.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/writer.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <string>

namespace ordergate::codec {

using decode_result = boost::system::result<node, decode_error>;

/// Decodes `text` in place: it is modified, and strings and numbers of the result
/// point into it, so it must outlive the result. Parsing is iterative (deep input
/// never recurses on the stack), UTF-8 is validated, and `limits` are enforced.
decode_result decode_json(std::string& text, std::pmr::memory_resource& arena,
                          const decode_limits& limits = {});

/// Decodes a copy of `text` made in `arena`.
decode_result decode_json_copy(std::string_view text, std::pmr::memory_resource& arena,
                               const decode_limits& limits = {});

enum class json_style { compact, pretty };

/// Encodes events as JSON appended to `out`; fails once `out` would exceed `max_bytes`.
class json_writer final : public writer {
 public:
  explicit json_writer(std::string& out, json_style style = json_style::compact,
                       std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
  ~json_writer() override;

  void null() override;
  void boolean(bool b) override;
  void number(std::string_view literal) override;
  void string(std::string_view s) override;
  void begin_object() override;
  void key(std::string_view k) override;
  void end_object() override;
  void begin_array() override;
  void end_array() override;

 private:
  struct impl;
  void check_size();
  std::unique_ptr<impl> impl_;
  std::string& out_;
  std::size_t max_bytes_;
};

/// `n` as JSON text.
std::string to_json(const node& n, json_style style = json_style::compact);

}  // namespace ordergate::codec
