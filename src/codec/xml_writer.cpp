// Document events -> XML bytes (the decoder is in xml.cpp).
//
// Choices the header leaves open:
// - null, "" and empty objects are written as self-closing elements (<k/>);
// - an empty array writes nothing with `repeat` (the key vanishes) and <k/> with `wrap`;
// - an array inside an array keeps the outer item name: with `repeat` its items are
//   written as further repeated elements ([[a,b],c] under k: <k>a</k><k>b</k><k>c</k>),
//   with `wrap` it becomes one item element holding its items under the same name
//   (<k><item><item>a</item><item>b</item></item><item>c</item></k>);
// - a carriage return is written as &#13; so that it survives XML's end-of-line handling.

#include "ordergate/codec/xml.hpp"

#include "codec/unicode.hpp"

#include <optional>
#include <vector>

namespace ordergate::codec {
namespace {

constexpr std::string_view declaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";

using outcome = std::optional<std::string>;

void append_escaped(std::string& out, std::string_view text) {
  std::size_t done = 0;
  for (std::size_t i; (i = text.find_first_of("&<>\r", done)) != std::string_view::npos;) {
    out.append(text.substr(done, i - done));
    switch (text[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += "&#13;";
        break;
    }
    done = i + 1;
  }
  out.append(text.substr(done));
}

outcome check_name(std::string_view name, std::string_view what) {
  if (is_xml_name(name)) return std::nullopt;
  return "XML output: " + std::string(what) + " \"" + printable(name) +
         "\" is not a valid XML element name";
}

}  // namespace

struct xml_writer::impl {
  /// An open object or array; an array written with `repeat` has no element of its own.
  struct frame {
    static frame object(std::string element) {
      frame f;
      f.element = std::move(element);
      return f;
    }
    bool array = false;
    std::string element;  // closed when the frame ends; empty for a `repeat` array
    std::string item;     // arrays: the name of each item's element
    std::string key;      // objects: the key whose value comes next
    bool has_key = false;
    std::uint32_t index = 0;  // arrays: items written so far
  };

  impl(std::string& o, const xml_encode_options& opts, std::size_t max)
      : out(o), options(opts), max_bytes(max) {}

  outcome check_options() const;
  outcome scalar(std::string_view text, bool check_text);
  outcome begin_object();
  outcome key(std::string_view k);
  outcome end_object();
  outcome begin_array();
  outcome end_array();

  outcome value_name(std::string& name) const;
  void open_element(std::string_view name);
  void close_element(std::string_view name);
  void close_start_tag();
  void finish_value();
  std::string path() const;
  outcome check_size() const;

  std::string& out;
  const xml_encode_options options;  // a copy: callers often pass a temporary
  const std::size_t max_bytes;
  std::vector<frame> frames;
  bool started = false;
  bool start_tag_open = false;  // "<name" written, its '>' not yet: it may still become "/>"
};

xml_writer::xml_writer(std::string& out, const xml_encode_options& options, std::size_t max_bytes)
    : impl_(std::make_unique<impl>(out, options, max_bytes)) {
  if (auto e = impl_->check_options()) fail(std::move(*e));
}

xml_writer::~xml_writer() = default;

void xml_writer::null() {
  if (failed()) return;
  if (auto e = impl_->scalar({}, false)) fail(std::move(*e));
}
void xml_writer::boolean(bool b) {
  if (failed()) return;
  if (auto e = impl_->scalar(b ? "true" : "false", false)) fail(std::move(*e));
}
void xml_writer::number(std::string_view literal) {
  if (failed()) return;
  if (auto e = impl_->scalar(literal, false)) fail(std::move(*e));
}
void xml_writer::string(std::string_view s) {
  if (failed()) return;
  if (auto e = impl_->scalar(s, true)) fail(std::move(*e));
}
void xml_writer::begin_object() {
  if (failed()) return;
  if (auto e = impl_->begin_object()) fail(std::move(*e));
}
void xml_writer::key(std::string_view k) {
  if (failed()) return;
  if (auto e = impl_->key(k)) fail(std::move(*e));
}
void xml_writer::end_object() {
  if (failed()) return;
  if (auto e = impl_->end_object()) fail(std::move(*e));
}
void xml_writer::begin_array() {
  if (failed()) return;
  if (auto e = impl_->begin_array()) fail(std::move(*e));
}
void xml_writer::end_array() {
  if (failed()) return;
  if (auto e = impl_->end_array()) fail(std::move(*e));
}

outcome xml_writer::impl::check_options() const {
  if (auto e = check_name(options.root, "root element name")) return e;
  if (options.arrays == xml_array_style::wrap) {
    if (auto e = check_name(options.default_item, "default item name")) return e;
  }
  for (const auto& [k, name] : options.element_names) {
    if (auto e = check_name(name, "element name for key \"" + printable(k) + "\"")) return e;
  }
  return std::nullopt;
}

outcome xml_writer::impl::scalar(std::string_view text, bool check_text) {
  std::string name;
  if (auto e = value_name(name)) return e;
  if (check_text) {
    if (auto fault = find_non_xml_text(text)) {
      return "XML output: the value at " + path() + " " + describe(*fault);
    }
  }
  close_start_tag();
  if (text.empty()) {
    out.append("<").append(name).append("/>");
  } else {
    out.append("<").append(name).append(">");
    append_escaped(out, text);
    out.append("</").append(name).append(">");
  }
  finish_value();
  return check_size();
}

outcome xml_writer::impl::begin_object() {
  if (!started) {
    started = true;
    if (options.declaration) out.append(declaration);
    open_element(options.root);
    frames.push_back(frame::object(options.root));
    return check_size();
  }
  std::string name;
  if (auto e = value_name(name)) return e;
  open_element(name);
  frames.push_back(frame::object(std::move(name)));
  return check_size();
}

outcome xml_writer::impl::key(std::string_view k) {
  if (frames.empty() || frames.back().array)
    return "XML output: key \"" + printable(k) + "\" outside an object";
  frame& f = frames.back();
  if (f.has_key) return "XML output: key \"" + printable(f.key) + "\" has no value";
  if (auto e = check_name(k, "key")) {
    const std::string p = path();
    return *e + (p.empty() ? " (in the root object)" : " (in " + p + ")");
  }
  f.key.assign(k);
  f.has_key = true;
  return std::nullopt;
}

outcome xml_writer::impl::end_object() {
  if (frames.empty() || frames.back().array)
    return "XML output: end of an object that was not begun";
  if (frames.back().has_key) {
    return "XML output: key \"" + printable(frames.back().key) + "\" has no value";
  }
  close_element(frames.back().element);
  frames.pop_back();
  finish_value();
  return check_size();
}

outcome xml_writer::impl::begin_array() {
  std::string name;
  if (auto e = value_name(name)) return e;
  const frame& parent = frames.back();
  frame f;
  f.array = true;
  if (parent.array) {
    f.item = parent.item;
    if (options.arrays == xml_array_style::wrap) f.element = parent.item;
  } else {
    const auto it = options.element_names.find(name);
    const bool named = it != options.element_names.end();
    if (options.arrays == xml_array_style::repeat) {
      f.item = named ? it->second : name;
    } else {
      f.element = name;
      f.item = named ? it->second : options.default_item;
    }
  }
  if (!f.element.empty()) open_element(f.element);
  frames.push_back(std::move(f));
  return check_size();
}

outcome xml_writer::impl::end_array() {
  if (frames.empty() || !frames.back().array)
    return "XML output: end of an array that was not begun";
  if (!frames.back().element.empty()) close_element(frames.back().element);
  frames.pop_back();
  finish_value();
  return check_size();
}

/// The element name of the value about to be written, or why there is no place for it.
outcome xml_writer::impl::value_name(std::string& name) const {
  if (frames.empty()) {
    return started ? "XML output: more than one top-level value"
                   : "XML output: the top-level value must be an object";
  }
  const frame& f = frames.back();
  if (f.array) {
    name = f.item;
  } else if (f.has_key) {
    name = f.key;
  } else {
    const std::string p = path();
    return "XML output: a value without a key inside the " +
           (p.empty() ? std::string("root object") : "object at " + p);
  }
  return std::nullopt;
}

void xml_writer::impl::open_element(std::string_view name) {
  close_start_tag();
  out.append("<").append(name);
  start_tag_open = true;
}

void xml_writer::impl::close_element(std::string_view name) {
  if (start_tag_open) {
    out.append("/>");
    start_tag_open = false;
  } else {
    out.append("</").append(name).append(">");
  }
}

void xml_writer::impl::close_start_tag() {
  if (!start_tag_open) return;
  out += '>';
  start_tag_open = false;
}

void xml_writer::impl::finish_value() {
  if (frames.empty()) return;
  frame& f = frames.back();
  if (f.array) {
    ++f.index;
  } else {
    f.has_key = false;
  }
}

/// Where the writer is, for messages: "data[0].tags[1]" ("" in the root object).
std::string xml_writer::impl::path() const {
  std::string p;
  for (const frame& f : frames) {
    if (f.array) {
      p += "[" + std::to_string(f.index) + "]";
    } else if (f.has_key) {
      if (!p.empty()) p += '.';
      p += printable(f.key);
    }
  }
  return p;
}

outcome xml_writer::impl::check_size() const {
  if (out.size() <= max_bytes) return std::nullopt;
  return "XML output exceeds the limit of " + std::to_string(max_bytes) + " bytes";
}

}  // namespace ordergate::codec
