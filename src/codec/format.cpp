#include "ordergate/codec/format.hpp"

#include "ordergate/codec/form.hpp"
#include "ordergate/core/short_bytes.hpp"

#include <algorithm>

namespace ordergate::codec {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return core::lower_ascii(x) == core::lower_ascii(y);
         });
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// Writes the bytes of strings and the text of numbers as they are; for raw bodies.
class text_writer final : public writer {
 public:
  explicit text_writer(std::string& out) : out_(out) {}
  void null() override {}
  void boolean(bool b) override { out_ += b ? "true" : "false"; }
  void number(std::string_view literal) override { out_ += literal; }
  void string(std::string_view s) override { out_ += s; }
  void begin_object() override { fail("a text body must be a string, not an object"); }
  void key(std::string_view) override {}
  void end_object() override {}
  void begin_array() override { fail("a text body must be a string, not an array"); }
  void end_array() override {}

 private:
  std::string& out_;
};

}  // namespace

std::string_view format_name(format f) noexcept {
  switch (f) {
    case format::json:
      return "json";
    case format::xml:
      return "xml";
    case format::form:
      return "form";
    case format::text:
      return "text";
  }
  return "json";
}

std::optional<format> format_from_name(std::string_view name) noexcept {
  for (format f : {format::json, format::xml, format::form, format::text}) {
    if (name == format_name(f)) return f;
  }
  return std::nullopt;
}

std::string_view media_type(format f) noexcept {
  switch (f) {
    case format::json:
      return "application/json";
    case format::xml:
      return "application/xml";
    case format::form:
      return "application/x-www-form-urlencoded";
    case format::text:
      return "text/plain; charset=utf-8";
  }
  return "application/json";
}

std::optional<format> format_from_content_type(std::string_view content_type) noexcept {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (iequals(type, "application/json") || iends_with(type, "+json")) return format::json;
  if (iequals(type, "application/xml") || iequals(type, "text/xml") || iends_with(type, "+xml")) {
    return format::xml;
  }
  if (iequals(type, "application/x-www-form-urlencoded")) return format::form;
  if (iequals(type, "text/plain")) return format::text;
  return std::nullopt;
}

decode_result decode(format f, char* text, std::size_t size, std::pmr::memory_resource& arena,
                     const decode_options& options) {
  const std::string_view view(text, size);
  switch (f) {
    case format::json:
      return decode_json(text, size, arena, options.limits, *options.keep);
    case format::xml:
      return decode_xml(view, arena, options.limits, options.xml);
    case format::form:
      return decode_form(view, arena, options.limits);
    case format::text:
      if (size > options.limits.max_bytes) {
        return decode_error{"text of " + std::to_string(size) + " bytes exceeds the limit of " +
                            std::to_string(options.limits.max_bytes)};
      }
      return node::make_string(store(arena, view));
  }
  return decode_error{"unknown format"};
}

std::unique_ptr<writer> make_writer(format f, std::string& out, const encode_options& options) {
  switch (f) {
    case format::json:
      return std::make_unique<json_writer>(out, json_style::compact, options.max_bytes);
    case format::xml: {
      static const xml_encode_options defaults;
      return std::make_unique<xml_writer>(out, options.xml ? *options.xml : defaults,
                                          options.max_bytes);
    }
    case format::form:
      return std::make_unique<form_writer>(out, options.max_bytes);
    case format::text:
      return std::make_unique<text_writer>(out);
  }
  return std::make_unique<json_writer>(out, json_style::compact, options.max_bytes);
}

}  // namespace ordergate::codec
