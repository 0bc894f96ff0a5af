#pragma once
// JSON bytes <-> document, with RapidJSON.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/output_buffer.hpp"
#include "ordergate/codec/projection.hpp"
#include "ordergate/codec/writer.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <string>

namespace ordergate::codec {

using decode_result = boost::system::result<node, decode_error>;

/// Decodes the `size` bytes at `text`, which are followed by a NUL byte, in place: they
/// may be modified, and strings and numbers of the result point into them, so they must
/// outlive the result. The whole text is validated (grammar,
/// UTF-8) and `limits` are enforced (recursion is bounded by the depth limit), but only
/// what `keep` names is built: objects lose the members it does not keep.
decode_result decode_json(char* text, std::size_t size, std::pmr::memory_resource& arena,
                          const decode_limits& limits = {},
                          const projection& keep = projection::everything());
/// decode_json() of a string's bytes (a std::string is followed by a NUL byte).
inline decode_result decode_json(std::string& text, std::pmr::memory_resource& arena,
                                 const decode_limits& limits = {},
                                 const projection& keep = projection::everything()) {
  return decode_json(text.data(), text.size(), arena, limits, keep);
}

/// Decodes a copy of `text` made in `arena`.
decode_result decode_json_copy(std::string_view text, std::pmr::memory_resource& arena,
                               const decode_limits& limits = {});

enum class json_style { compact, pretty };

/// Encodes events as JSON appended to `out`; fails once `out` would exceed `max_bytes`.
/// Compact output escapes strings as RapidJSON does; pretty output is RapidJSON's.
class json_writer final : public writer {
 public:
  explicit json_writer(std::string& out, json_style style = json_style::compact,
                       std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
  ~json_writer() override;
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;

  void null() override;
  void boolean(bool b) override;
  void number(std::string_view literal) override;
  void string(std::string_view s) override;
  void begin_object() override;
  void key(std::string_view k) override;
  void key(const member_key& k) override;
  void end_object() override;
  void begin_array() override;
  void end_array() override;
  bool prepared_member(const prepared_text& member) override;
  void string_member(const member_key& k, std::string_view s) override;
  void number_member(const member_key& k, std::string_view literal) override;

 private:
  struct pretty;
  /// Reserves room for `n` bytes in the compact output.
  char* room(std::size_t n) { return buffer_.room(n); }
  /// Appends a comma when one is due, then `text`.
  void put(std::string_view text);
  /// Appends `s` as a string literal (quotes included), followed by a colon for a key.
  void put_quoted(std::string_view s, bool key);
  /// Writes `s` quoted at `w`, in room for its quotes and bytes; returns the end.
  char* quoted_at(char* w, std::string_view s);
  /// A one-event member: reserves room for the comma, the key and `value_bytes`, writes
  /// the comma and the key, and returns where the value goes; member_end takes the end.
  char* member_start(const member_key& k, std::size_t value_bytes);
  void member_end(char* end);
  /// put_quoted's rare path: writes `rest` (which starts with a byte to escape) escaped
  /// where the output ends; returns the end of what it wrote.
  char* put_escaped(std::string_view rest);
  void value_done();
  void check_size();
  /// Hands `event` to the pretty writer, then checks the size.
  template <class Event>
  void pretty_checked(const Event& event);
  void too_large();
  std::unique_ptr<pretty> pretty_;  ///< null: compact
  std::size_t max_bytes_;
  /// Compact output is written here (started only for compact output) and appended to
  /// `out_` whenever a document is complete, and at destruction.
  output_buffer buffer_;
  unsigned depth_ = 0;  ///< open objects and arrays (compact)
  bool comma_ = false;  ///< a value was written at this level: the next one needs a comma
};

/// `n` as JSON text.
std::string to_json(const node& n, json_style style = json_style::compact);

}  // namespace ordergate::codec
