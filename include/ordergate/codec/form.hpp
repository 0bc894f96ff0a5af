#pragma once
// application/x-www-form-urlencoded bodies and URL query strings <-> document.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/writer.hpp"

#include <limits>
#include <string>

namespace ordergate::codec {

/// Decodes `a=1&b=x%20y` into an object of strings, in order; `+` is a space;
/// a key given several times becomes an array of its values. Invalid
/// percent-encoding is an error.
decode_result decode_form(std::string_view text, std::pmr::memory_resource& arena,
                          const decode_limits& limits = {});

/// Appends `s` percent-encoded: everything but ALPHA DIGIT - . _ ~ is escaped
/// (a space is %20, never +).
void percent_encode(std::string& out, std::string_view s);

/// Encodes a flat object as `k=v&k2=v2` appended to `out`, every key and value
/// percent-encoded. Scalars are written as their text (null as empty, booleans as
/// true/false); an array writes its key once per element; nested objects fail.
class form_writer final : public writer {
 public:
  explicit form_writer(std::string& out,
                       std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
  ~form_writer() override;

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
  void scalar(std::string_view text);
  std::string& out_;
  std::size_t max_bytes_;
  std::string key_;
  unsigned depth_ = 0;
  bool in_array_ = false;
  bool first_ = true;
};

}  // namespace ordergate::codec
