// XML bytes -> document (the writer is in xml_writer.cpp).

#include "ordergate/codec/xml.hpp"

#include "codec/key_groups.hpp"
#include "codec/unicode.hpp"
#include "ordergate/codec/tree_writer.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstring>
#include <optional>

namespace ordergate::codec {
namespace {

// Escapes off: references are decoded here, so that an undeclared entity is refused
// (pugixml keeps it as text) and &#0; cannot silently cut a string (pugixml would).
// Fragment: pugixml then keeps text outside the root element, which is refused below.
// Doctype: pugixml then reports a DTD as a node, which is refused below.
constexpr unsigned parse_options = (pugi::parse_default & ~pugi::parse_escapes) |
                                   pugi::parse_fragment | pugi::parse_doctype |
                                   pugi::parse_ws_pcdata_single;

// Longest reference worth reading: "&#x0010FFFF;" with some leading zeros.
constexpr std::size_t max_reference = 32;

/// A well-formedness error: what is wrong and where.
decode_error malformed(std::size_t offset, std::string what) {
  return decode_error{"malformed XML at byte " + std::to_string(offset) + ": " + std::move(what)};
}

std::size_t node_offset(pugi::xml_node n) {
  return static_cast<std::size_t>(std::max<std::ptrdiff_t>(n.offset_debug(), 0));
}

/// The code point of a character reference's body ("#65", "#x41"), if well-formed.
std::optional<char32_t> parse_char_ref(std::string_view body) {
  const bool hex = body.size() > 1 && body[1] == 'x';
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return std::nullopt;
  char32_t value = 0;
  for (char d : digits) {
    unsigned digit = 0;
    if (d >= '0' && d <= '9') {
      digit = static_cast<unsigned>(d - '0');
    } else if (hex && d >= 'a' && d <= 'f') {
      digit = static_cast<unsigned>(d - 'a' + 10);
    } else if (hex && d >= 'A' && d <= 'F') {
      digit = static_cast<unsigned>(d - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * (hex ? 16 : 10) + digit;
    if (value > 0x10FFFF) return char32_t{0x110000};  // not a character: the caller refuses it
  }
  return value;
}

/// Appends `raw` to `out` with XML's five predefined entities and character references
/// decoded; anything else after '&' is an error. `offset` is where `raw` starts.
std::optional<decode_error> unescape(std::string_view raw, std::size_t offset, std::string& out) {
  std::size_t done = 0;
  while (true) {
    const std::size_t amp = raw.find('&', done);
    out.append(raw.substr(done, amp - done));
    if (amp == std::string_view::npos) return std::nullopt;
    const std::size_t length = raw.substr(amp, max_reference).find(';') + 1;
    if (length == 0) return malformed(offset + amp, "'&' starts no entity or character reference");
    const std::string_view ref = raw.substr(amp, length);  // "&lt;", "&#65;"
    const std::string_view name = ref.substr(1, length - 2);
    done = amp + length;
    if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "apos") {
      out += '\'';
    } else if (name == "quot") {
      out += '"';
    } else if (!name.starts_with('#')) {
      return malformed(
          offset + amp,
          "entity " + printable(ref) + " is not one of the five predefined ones (no DTD is read)");
    } else if (const std::optional<char32_t> c = parse_char_ref(name); !c) {
      return malformed(offset + amp, "bad character reference " + printable(ref));
    } else if (!is_xml_char(*c)) {
      return malformed(offset + amp, "character reference " + printable(ref) +
                                         " names a character XML 1.0 does not allow");
    } else {
      append_utf8(out, *c);
    }
  }
}

/// The single root element; refuses DTDs, text outside it, and several roots.
boost::system::result<pugi::xml_node, decode_error> find_root(const pugi::xml_document& doc) {
  pugi::xml_node root;
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    switch (n.type()) {
      case pugi::node_doctype:
        return decode_error{"XML document type declaration (DOCTYPE) at byte " +
                            std::to_string(node_offset(n)) +
                            " refused: DTDs and the entities they declare are not accepted"};
      case pugi::node_element:
        if (root) {
          return malformed(node_offset(n), "second root element <" + printable(n.name()) + ">");
        }
        root = n;
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (std::string_view(n.value()).find_first_not_of(" \t\r\n") != std::string_view::npos) {
          return malformed(node_offset(n), "text outside the root element");
        }
        break;
      default:
        break;
    }
  }
  if (!root) return decode_error{"malformed XML: no root element"};
  return root;
}

/// Turns a parsed pugixml tree into a document without recursion: each element with
/// attributes or children gets a frame listing the members it will produce ("slots").
class xml_converter {
 public:
  xml_converter(std::pmr::memory_resource& arena, const decode_limits& limits,
                const xml_decode_options& options, const char* buffer)
      : arena_(arena), limits_(limits), options_(options), buffer_(buffer), tree_(arena, false) {}

  decode_result convert(pugi::xml_node root) {
    tree_.begin_object();
    tree_.key(root.name());
    const bool listed = always_array(root.name());
    if (listed) tree_.begin_array();
    if (auto e = enter(root)) return *e;
    while (!frames_.empty()) {
      if (auto e = step()) return *e;
    }
    if (listed) tree_.end_array();
    tree_.end_object();
    if (tree_.failed()) return decode_error{"XML conversion failed: " + *tree_.error()};
    return tree_.result();
  }

 private:
  /// One member of an element's object: an attribute or "#text" (a string), or a group
  /// of same-named child elements (nodes_[first, first + count), an array if `array`).
  struct slot {
    std::string_view key;
    std::string_view text;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    bool group = false;
    bool array = false;
  };
  struct frame {
    std::size_t slots_begin;
    std::size_t slot_end;
    std::size_t cursor;
    std::uint32_t item;  // next element of the current group
    std::size_t nodes_begin;
    std::size_t path_size;  // path_ before this element's name was appended
  };

  std::optional<decode_error> enter(pugi::xml_node e);
  std::optional<decode_error> step();
  void gather(pugi::xml_node e, std::size_t& text_position);
  std::optional<decode_error> add_attributes(pugi::xml_node e);
  void add_groups(std::string_view text, std::size_t text_position);
  boost::system::result<std::string_view, decode_error> joined_text();
  bool always_array(std::string_view name) const noexcept;
  std::size_t offset_of(const char* p) const { return static_cast<std::size_t>(p - buffer_); }

  std::pmr::memory_resource& arena_;
  const decode_limits& limits_;
  const xml_decode_options& options_;
  const char* buffer_;
  tree_writer tree_;
  std::vector<frame> frames_;
  std::vector<slot> slots_;
  std::vector<pugi::xml_node> nodes_;
  std::string path_;  // dotted path of the element being entered, from the root
  // Scratch for the element being entered.
  std::vector<pugi::xml_node> children_;
  std::vector<std::string_view> names_;
  std::vector<std::string_view> attribute_names_;
  std::vector<pugi::xml_node> pieces_;
  std::string text_;
  key_groups groups_;
};

std::optional<decode_error> xml_converter::enter(pugi::xml_node e) {
  if (frames_.size() >= limits_.max_depth) {
    return decode_error{"XML nesting deeper than " + std::to_string(limits_.max_depth) +
                        " elements at byte " + std::to_string(node_offset(e))};
  }
  const std::size_t path_size = path_.size();
  if (!path_.empty()) path_ += '.';
  path_ += e.name();
  std::size_t text_position = 0;
  gather(e, text_position);
  auto text = joined_text();
  if (!text) return text.error();
  if (!e.first_attribute() && children_.empty()) {
    tree_.string(*text);
    path_.resize(path_size);
    return std::nullopt;
  }
  const std::size_t slots_begin = slots_.size();
  const std::size_t nodes_begin = nodes_.size();
  if (auto err = add_attributes(e)) return err;
  add_groups(*text, pieces_.empty() ? SIZE_MAX : text_position);
  frames_.push_back({slots_begin, slots_.size(), slots_begin, 0, nodes_begin, path_size});
  tree_.begin_object();
  return std::nullopt;
}

std::optional<decode_error> xml_converter::step() {
  frame& f = frames_.back();
  if (f.cursor == f.slot_end) {
    tree_.end_object();
    path_.resize(f.path_size);
    slots_.resize(f.slots_begin);
    nodes_.resize(f.nodes_begin);
    frames_.pop_back();
    return std::nullopt;
  }
  const slot s = slots_[f.cursor];
  if (!s.group) {
    tree_.key(s.key);
    tree_.string(s.text);
    ++f.cursor;
    return std::nullopt;
  }
  if (f.item == 0) {
    tree_.key(s.key);
    if (s.array) tree_.begin_array();
  }
  if (f.item < s.count) return enter(nodes_[s.first + f.item++]);  // may invalidate `f`
  if (s.array) tree_.end_array();
  ++f.cursor;
  f.item = 0;
  return std::nullopt;
}

/// Collects the child elements and text pieces of `e`; `text_position` is the number
/// of child elements before its first text.
void xml_converter::gather(pugi::xml_node e, std::size_t& text_position) {
  children_.clear();
  names_.clear();
  pieces_.clear();
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    switch (c.type()) {
      case pugi::node_element:
        children_.push_back(c);
        names_.push_back(c.name());
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (pieces_.empty()) text_position = children_.size();
        pieces_.push_back(c);
        break;
      default:  // comments and PIs are not parsed; pugixml refuses a DOCTYPE in an element
        break;
    }
  }
}

boost::system::result<std::string_view, decode_error> xml_converter::joined_text() {
  if (pieces_.size() == 1) {
    const std::string_view only = pieces_[0].value();
    if (pieces_[0].type() == pugi::node_cdata || only.find('&') == std::string_view::npos) {
      return only;  // points into the arena copy that pugixml parsed in place
    }
  }
  text_.clear();
  for (pugi::xml_node piece : pieces_) {
    const std::string_view raw = piece.value();
    if (piece.type() == pugi::node_cdata) {
      text_.append(raw);
    } else if (auto err = unescape(raw, offset_of(raw.data()), text_)) {
      return *err;
    }
  }
  return store(arena_, text_);
}

std::optional<decode_error> xml_converter::add_attributes(pugi::xml_node e) {
  attribute_names_.clear();
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    attribute_names_.push_back(a.name());
    text_.assign("@").append(a.name());
    slot s;
    s.key = store(arena_, text_);
    const std::string_view raw = a.value();
    if (raw.find('&') == std::string_view::npos) {
      s.text = raw;
    } else {
      text_.clear();
      if (auto err = unescape(raw, offset_of(raw.data()), text_)) return err;
      s.text = store(arena_, text_);
    }
    slots_.push_back(s);
  }
  groups_.assign(attribute_names_);
  for (std::uint32_t i = 0; i < attribute_names_.size(); ++i) {
    if (groups_.count(i) > 1) {
      return malformed(node_offset(e), "attribute \"" + printable(attribute_names_[i]) +
                                           "\" given twice in <" + printable(e.name()) + ">");
    }
  }
  return std::nullopt;
}

/// Adds one slot per distinct child element name, where its first element appears,
/// and "#text" before the first group that follows the first text.
void xml_converter::add_groups(std::string_view text, std::size_t text_position) {
  groups_.assign(names_);
  bool text_added = text_position == SIZE_MAX;
  for (std::uint32_t i = 0; i < names_.size(); ++i) {
    if (!groups_.is_first(i)) continue;
    if (!text_added && i >= text_position) {
      slots_.push_back({.key = "#text", .text = text});
      text_added = true;
    }
    slot s;
    s.key = names_[i];
    s.first = static_cast<std::uint32_t>(nodes_.size());
    s.count = groups_.count(i);
    s.group = true;
    s.array = s.count > 1 || always_array(names_[i]);
    for (std::uint32_t j = i; j != key_groups::npos; j = groups_.next(j)) {
      nodes_.push_back(children_[j]);
    }
    slots_.push_back(s);
  }
  if (!text_added) slots_.push_back({.key = "#text", .text = text});
}

/// Whether the child `name` of the element at path_ is listed in `always_array`.
bool xml_converter::always_array(std::string_view name) const noexcept {
  const std::size_t prefix = path_.empty() ? 0 : path_.size() + 1;
  for (const std::string& p : options_.always_array) {
    if (p.size() == prefix + name.size() && p.ends_with(name) &&
        (prefix == 0 || (p.starts_with(path_) && p[path_.size()] == '.'))) {
      return true;
    }
  }
  return false;
}

}  // namespace

decode_result decode_xml(std::string_view text, std::pmr::memory_resource& arena,
                         const decode_limits& limits, const xml_decode_options& options) {
  if (text.size() > limits.max_bytes) {
    return decode_error{"XML document of " + std::to_string(text.size()) +
                        " bytes exceeds the limit of " + std::to_string(limits.max_bytes)};
  }
  if (auto fault = find_non_xml_text(text)) return decode_error{"XML document " + describe(*fault)};
  // pugixml parses in place, so the strings of the result can point into this copy; the
  // NUL it ends with lets pugixml see the last byte of the input as ordinary text.
  auto* buffer = static_cast<char*>(arena.allocate(text.size() + 1, 1));
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer_inplace(buffer, text.size() + 1, parse_options, pugi::encoding_utf8);
  if (!parsed) {
    return decode_error{"malformed XML at byte " + std::to_string(parsed.offset) + ": " +
                        parsed.description()};
  }
  auto root = find_root(doc);
  if (!root) return root.error();
  xml_converter converter(arena, limits, options, buffer);
  return converter.convert(*root);
}

}  // namespace ordergate::codec
