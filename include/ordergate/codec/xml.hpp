#pragma once
// XML bytes <-> document, with pugixml.
//
// Decoding: an element becomes a member named after it; an element with only text
// becomes a string (an empty element becomes ""); attributes become "@name" members
// and text next to child elements becomes "#text"; repeated sibling elements become
// an array, and so does every element whose path is listed in `always_array`
// (a lone <order> is still a list). The root element is kept: <response><id>1</id>
// </response> decodes to {"response": {"id": "1"}}. DTDs are refused; no entity is
// expanded beyond XML's five predefined ones and character references.
//
// Encoding: objects become child elements in the order written; strings, numbers and
// booleans become text (true/false), null an empty element. Arrays are written as
// repeated elements (`repeat`: <tags>a</tags><tags>b</tags>) or wrapped
// (`wrap`: <orders><order>..</order></orders>). Characters XML 1.0 cannot carry and
// names that are not XML names fail the writer with a clear message.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/codec/writer.hpp"

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace ordergate::codec {

struct xml_decode_options {
  /// Dotted element paths from the root that always decode to arrays,
  /// e.g. "response.orders.order".
  std::vector<std::string> always_array;
};

decode_result decode_xml(std::string_view text, std::pmr::memory_resource& arena,
                         const decode_limits& limits = {}, const xml_decode_options& options = {});

enum class xml_array_style { repeat, wrap };

struct xml_encode_options {
  /// Name of the root element wrapping the top-level object's members.
  std::string root = "xml";
  xml_array_style arrays = xml_array_style::repeat;
  /// Element names by member key: with `repeat`, the element written for each item
  /// of the array under that key (e.g. {"data": "row"} gives <row>..</row><row>..</row>);
  /// with `wrap`, the name of each item inside the wrapper (e.g. {"orders": "order"}).
  std::map<std::string, std::string, std::less<>> element_names;
  /// Item name under `wrap` when `element_names` has none.
  std::string default_item = "item";
  bool declaration = true;  ///< write <?xml version="1.0" encoding="UTF-8"?>
};

/// Encodes events as XML appended to `out`. The top-level value must be an object.
/// `options` must outlive the writer.
class xml_writer final : public writer {
 public:
  explicit xml_writer(std::string& out, const xml_encode_options& options,
                      std::size_t max_bytes = std::numeric_limits<std::size_t>::max());
  ~xml_writer() override;

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
  // Key and value in one event: one check.
  void string_member(const member_key& k, std::string_view s) override;
  void number_member(const member_key& k, std::string_view literal) override;

 private:
  /// A key and its scalar value in one check (`check_text`: a string, to check and escape).
  void member(const member_key& k, std::string_view text, bool check_text);
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ordergate::codec
