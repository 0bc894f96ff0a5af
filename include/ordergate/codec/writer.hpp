#pragma once
// The event interface between whatever produces a document (a decoded node, a
// mapping template being rendered) and whatever encodes it (JSON, XML, form, DOM).

#include "ordergate/codec/document.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ordergate::codec {

/// A member name known when a mapping loads (a key of an output template), prepared
/// once for every encoder so that writing it costs a copy.
struct member_key {
  explicit member_key(std::string_view name);
  std::string_view name;  ///< must outlive the key
  std::string json;       ///< `"name":`, escaped as compact JSON writes it
  bool xml_name;          ///< whether `name` is a valid XML element name
};

/// A whole member (key and value) prepared when a mapping loads, as the text an encoder
/// writes for it, so that writing it costs a copy.
struct prepared_text {
  std::string json;  ///< `"name":value` as compact JSON; empty when nothing is prepared
  /// `<name>value</name>` as XML writes it; empty when the value is an array or an object
  /// (written by the options of the writer) or XML cannot carry the member.
  std::string xml;
  bool empty() const noexcept { return json.empty(); }
};

/// Receives a document as a stream of events. Encoders keep the first error and
/// ignore every event after it, so producers check `failed()` once, at the end.
class writer {
 public:
  virtual ~writer() = default;

  virtual void null() = 0;
  virtual void boolean(bool b) = 0;
  /// `literal` is valid JSON number text in shortest form.
  virtual void number(std::string_view literal) = 0;
  virtual void string(std::string_view s) = 0;
  virtual void begin_object() = 0;
  virtual void key(std::string_view k) = 0;
  /// The same event for a prepared key; encoders that gain nothing from it take the name.
  virtual void key(const member_key& k) { key(k.name); }
  virtual void end_object() = 0;
  virtual void begin_array() = 0;
  virtual void end_array() = 0;
  /// A whole member prepared when a mapping loads. An encoder that takes it as text
  /// writes it and returns true; the others return false, and the caller sends the key
  /// and the value as events instead.
  virtual bool prepared_member(const prepared_text& member) {
    (void)member;
    return false;
  }
  /// A member whose value is a string, or a number (`literal` as for number()): the same
  /// as key(k) then the value's event, which is what encoders that gain nothing from
  /// one event do.
  virtual void string_member(const member_key& k, std::string_view s) {
    key(k);
    string(s);
  }
  virtual void number_member(const member_key& k, std::string_view literal) {
    key(k);
    number(literal);
  }

  bool failed() const noexcept { return error_.has_value(); }
  const std::optional<std::string>& error() const noexcept { return error_; }

 protected:
  /// Records the first error; later ones are dropped.
  void fail(std::string message) {
    if (!error_) error_ = std::move(message);
  }
  /// For encoders that start over (see tree_writer::reset).
  void clear_error() noexcept { error_.reset(); }

 private:
  std::optional<std::string> error_;
};

/// Emits `n` and everything under it to `w`.
void write(writer& w, const node& n);

}  // namespace ordergate::codec
