#include "ordergate/mapping/validation.hpp"

#include "ordergate/core/utf8.hpp"

#include <boost/regex.hpp>

namespace ordergate::mapping {

struct compiled_pattern {
  boost::regex re;
};

std::shared_ptr<const compiled_pattern> compile_pattern(std::string_view text, std::string& error) {
  try {
    return std::make_shared<const compiled_pattern>(
        compiled_pattern{boost::regex(text.begin(), text.end(), boost::regex::perl)});
  } catch (const boost::regex_error& e) {
    error = e.what();
    return nullptr;
  }
}

namespace {

/// Whether the text of `n` (a string, or a number as written) matches `pattern` whole.
/// Boost.Regex matches without recursion and gives up on pathological patterns with an
/// exception instead of running away: such an input counts as not matching.
bool matches_pattern(const compiled_pattern& pattern, const codec::node& n) {
  if (!n.is_string() && !n.is_number()) return false;
  const std::string_view text = n.text();
  // Reused by each thread: matching allocates nothing once it has grown.
  thread_local boost::match_results<std::string_view::const_iterator> found;
  try {
    return boost::regex_match(text.begin(), text.end(), found, pattern.re);
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::string_view type_name(check_type t) {
  switch (t) {
    case check_type::any:
      return "any value";
    case check_type::string:
      return "a string";
    case check_type::integer:
      return "an integer";
    case check_type::number:
      return "a number";
    case check_type::boolean:
      return "a boolean";
    case check_type::object:
      return "an object";
    case check_type::array:
      return "an array";
    case check_type::digits:
      return "a string of digits";
  }
  return "a value";
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_integer_text(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return all_digits(s);
}

bool matches(check_type t, const codec::node& n, bool strings_only) {
  if (strings_only && n.is_string()) {
    // Query parameters are text: "12" is an integer, "true" a boolean.
    const std::string_view s = n.text();
    switch (t) {
      case check_type::integer:
        return is_integer_text(s);
      case check_type::number:
        return decimal::parse(s).has_value();
      case check_type::boolean:
        return s == "true" || s == "false" || s == "1" || s == "0";
      default:
        break;
    }
  }
  switch (t) {
    case check_type::any:
      return true;
    case check_type::string:
      return n.is_string();
    case check_type::integer: {
      if (!n.is_number()) return false;
      if (is_integer_text(n.text())) return true;  // most are written "3001"
      const auto d = decimal::parse(n.text());
      return d && d->is_integer();
    }
    case check_type::number:
      return n.is_number();
    case check_type::boolean:
      return n.type() == codec::kind::boolean;
    case check_type::object:
      return n.is_object();
    case check_type::array:
      return n.is_array();
    case check_type::digits:
      if (n.is_string()) return all_digits(n.text());
      return n.is_number() && all_digits(n.text());
  }
  return false;
}

/// Where a value sits, as a chain of stack frames: the path text is built only when a
/// check fails, so a valid document costs no string work.
struct path_link {
  const path_link* parent = nullptr;
  std::string_view key;  ///< a member name, or empty for an index
  std::size_t index = 0;
};

void append_path(std::string& out, const path_link* at) {
  if (!at) return;
  append_path(out, at->parent);
  if (at->key.data()) {
    if (!out.empty()) out += '.';
    out += at->key;
  } else {
    out += '[' + std::to_string(at->index) + ']';
  }
}

std::string path_text(const std::string& base, const path_link* at) {
  std::string out = base;
  append_path(out, at);
  return out;
}

std::string expected(const check& rule) {
  std::string out;
  for (std::size_t i = 0; i < rule.types.size(); ++i) {
    if (i) out += i + 1 == rule.types.size() ? " or " : ", ";
    out += type_name(rule.types[i]);
  }
  return out;
}

std::string show(const codec::node& n) {
  switch (n.type()) {
    case codec::kind::string:
      return "\"" + std::string(n.text().substr(0, 40)) + "\"";
    case codec::kind::number:
      return std::string(n.text());
    case codec::kind::boolean:
      return n.as_boolean() ? "true" : "false";
    default:
      return std::string(codec::kind_name(n.type()));
  }
}

std::optional<std::string> check_bounds(const check& rule, const codec::node& n) {
  if (!rule.min && !rule.max) return std::nullopt;  // most checks have none: measure nothing
  std::optional<decimal> measured;
  std::string_view what;
  if (n.is_number() || (rule.strings_only && n.is_string())) measured = decimal::parse(n.text());
  if (measured) {
    what = "";
  } else if (n.is_string()) {
    measured = decimal::from_int(static_cast<std::int64_t>(core::utf8_length(n.text())));
    what = " characters";
  } else if (n.is_array()) {
    measured = decimal::from_int(n.size());
    what = " elements";
  }
  if (!measured) return std::nullopt;
  if (rule.min && decimal::compare(*measured, *rule.min) < 0) {
    return "must be at least " + rule.min->to_string() + std::string(what);
  }
  if (rule.max && decimal::compare(*measured, *rule.max) > 0) {
    return "must be at most " + rule.max->to_string() + std::string(what);
  }
  return std::nullopt;
}

std::optional<check_failure> validate_at(const check& rule, const codec::node& n,
                                         const std::string& base, const path_link* at) {
  const auto fail = [&](std::string what) {
    if (!rule.message.empty()) what = rule.message + ", got " + show(n);
    return check_failure{path_text(base, at), std::move(what)};
  };
  if (n.is_null()) {
    if (rule.nullable || rule.types.empty()) return std::nullopt;
    return fail("must be " + expected(rule) + ", not null");
  }
  if (!rule.types.empty()) {
    bool any = false;
    for (check_type t : rule.types)
      any = any || matches(t, n, rule.strings_only);
    if (!any) return fail("must be " + expected(rule) + ", got " + show(n));
  }
  if (auto bad = check_bounds(rule, n)) return fail(std::move(*bad));
  if (!rule.one_of.empty()) {
    bool allowed = false;
    for (const std::string& v : rule.one_of)
      allowed = allowed || (n.is_string() && n.text() == v);
    if (!allowed) {
      std::string list;
      for (const std::string& v : rule.one_of)
        list += (list.empty() ? "" : ", ") + v;
      return fail("must be one of " + list + ", got " + show(n));
    }
  }
  if (rule.pattern && !matches_pattern(*rule.pattern, n))
    return fail("must match " + rule.pattern_text + ", got " + show(n));
  if (n.is_object()) {
    for (const field_check& f : rule.fields) {
      std::string_view name = f.name;
      const codec::node* child = n.find(name, f.position);
      for (std::size_t i = 0; !child && i < f.aliases.size(); ++i) {
        name = f.aliases[i];
        child = n.find(name);
      }
      if (child && f.rule.only_a_type && !child->is_null() &&
          matches(f.rule.types[0], *child, f.rule.strings_only)) {
        continue;  // nothing more to check
      }
      const path_link child_at{at, child ? name : std::string_view(f.name)};
      if (!child) {
        if (f.rule.optional) continue;
        return check_failure{path_text(base, &child_at), "is required"};
      }
      if (auto bad = validate_at(f.rule, *child, base, &child_at)) return bad;
    }
  }
  if (n.is_array() && rule.items) {
    const auto items = n.items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const path_link item_at{at, {}, i};
      if (auto bad = validate_at(*rule.items, items[i], base, &item_at)) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace

void note_only_a_type(check& c) noexcept {
  c.only_a_type = c.types.size() == 1 && !c.min && !c.max && c.one_of.empty() && !c.pattern &&
                  c.message.empty() && c.fields.empty() && !c.items;
}

std::optional<check_failure> validate(const check& rule, const codec::node& n,
                                      const std::string& path) {
  return validate_at(rule, n, path, nullptr);
}

}  // namespace ordergate::mapping
