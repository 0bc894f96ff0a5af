#include "mapping/builtins.hpp"

#include <algorithm>
#include <cstring>
#include <new>

namespace ordergate::mapping {
namespace {

value arithmetic(const expr& e, const value& a, const value& b, frame& frame) {
  const auto x = numeric(a);
  const auto y = numeric(b);
  if (!x || !y) {
    const value& bad = x ? b : a;
    std::string hint = bad.type() == vtype::string ? " (convert it with number())" : "";
    frame.fail(
        core::errc::unmappable,
        "'" + std::string(binary_op_text(e.bin)) + "' needs numbers, got " + describe(bad) + hint,
        &bad, e.where);
    return {};
  }
  std::optional<decimal> r;
  switch (e.bin) {
    case expr_binary::add:
      r = decimal::add(*x, *y);
      break;
    case expr_binary::sub:
      r = decimal::sub(*x, *y);
      break;
    case expr_binary::mul:
      r = decimal::mul(*x, *y);
      break;
    case expr_binary::div:
      r = decimal::div(*x, *y);
      break;
    case expr_binary::mod:
      r = decimal::mod(*x, *y);
      break;
    default:
      break;
  }
  if (!r) {
    frame.fail(core::errc::unmappable,
               y->is_zero() && (e.bin == expr_binary::div || e.bin == expr_binary::mod)
                   ? "division by zero"
                   : "arithmetic overflow",
               nullptr, e.where);
    return {};
  }
  return value::number(*r);
}

/// The text of a string, or of a number in shortest form (written into `buf`); nullopt
/// for other types.
std::optional<std::string_view> text_of(const value& v, char (&buf)[48]) {
  if (v.type() == vtype::string) return v.as_string();
  if (const auto d = numeric(v)) return std::string_view(buf, d->format(buf));
  return std::nullopt;
}

value concat(const expr& e, const value& a, const value& b, frame& frame) {
  char a_buf[48];
  char b_buf[48];
  const auto x = text_of(a, a_buf);
  const auto y = text_of(b, b_buf);
  if (!x || !y) {
    const value& bad = x ? b : a;
    frame.fail(core::errc::unmappable, "'++' joins strings and numbers, got " + describe(bad), &bad,
               e.where);
    return {};
  }
  // Straight into the arena: no temporary string.
  if (x->size() + y->size() == 0) return value::string({});
  auto* out = static_cast<char*>(frame.arena().allocate(x->size() + y->size(), 1));
  // (An empty side may have no data pointer at all: memcpy must not see it.)
  if (!x->empty()) std::memcpy(out, x->data(), x->size());
  if (!y->empty()) std::memcpy(out + x->size(), y->data(), y->size());
  return value::string({out, x->size() + y->size()});
}

value compare(const expr& e, const value& a, const value& b, frame& frame) {
  int c = 0;
  if (const auto x = numeric(a), y = numeric(b); x && y) {
    c = decimal::compare(*x, *y);
  } else if (a.type() == vtype::string && b.type() == vtype::string) {
    const int r = a.as_string().compare(b.as_string());
    c = r < 0 ? -1 : (r > 0 ? 1 : 0);
  } else if (a.type() == vtype::time && b.type() == vtype::time) {
    c = a.as_time() < b.as_time() ? -1 : (a.as_time() > b.as_time() ? 1 : 0);
  } else {
    auto comparable = [](const value& v) {
      return v.type() == vtype::number || v.type() == vtype::string || v.type() == vtype::time;
    };
    // Blame the side that cannot be compared at all; when both could be (a string
    // against a number), the one read from an input, so that the error has its path.
    const value* bad = !comparable(a) ? &a : !comparable(b) ? &b : a.node() ? &a : &b;
    frame.fail(core::errc::unmappable,
               "cannot compare " + describe(a) + " with " + describe(b) +
                   " (both sides must be numbers, strings or times)",
               bad, e.where);
    return {};
  }
  switch (e.bin) {
    case expr_binary::lt:
      return value::boolean(c < 0);
    case expr_binary::le:
      return value::boolean(c <= 0);
    case expr_binary::gt:
      return value::boolean(c > 0);
    case expr_binary::ge:
      return value::boolean(c >= 0);
    default:
      return {};
  }
}

[[gnu::noinline]] value binary(const expr& e, frame& frame) {
  // Short-circuit operators evaluate their right side only when needed.
  switch (e.bin) {
    case expr_binary::logical_and: {
      const value a = evaluate(e.args[0], frame);
      if (frame.failed() || !truthy(a)) return value::boolean(false);
      const value b = evaluate(e.args[1], frame);
      return value::boolean(!frame.failed() && truthy(b));
    }
    case expr_binary::logical_or: {
      const value a = evaluate(e.args[0], frame);
      if (frame.failed()) return {};
      if (truthy(a)) return value::boolean(true);
      const value b = evaluate(e.args[1], frame);
      return value::boolean(!frame.failed() && truthy(b));
    }
    case expr_binary::coalesce: {
      const value a = evaluate(e.args[0], frame);
      if (frame.failed()) return {};
      return a.is_nothing() ? evaluate(e.args[1], frame) : a;
    }
    default:
      break;
  }
  const value a = evaluate(e.args[0], frame);
  if (frame.failed()) return {};
  const value b = evaluate(e.args[1], frame);
  if (frame.failed()) return {};
  switch (e.bin) {
    case expr_binary::add:
    case expr_binary::sub:
    case expr_binary::mul:
    case expr_binary::div:
    case expr_binary::mod:
      return arithmetic(e, a, b, frame);
    case expr_binary::concat:
      return concat(e, a, b, frame);
    case expr_binary::eq:
      return value::boolean(values_equal(a, b));
    case expr_binary::ne:
      return value::boolean(!values_equal(a, b));
    default:
      return compare(e, a, b, frame);
  }
}

[[gnu::noinline]] value index(const expr& e, frame& frame) {
  const value target = evaluate(e.args[0], frame);
  if (frame.failed()) return {};
  const value key = evaluate(e.args[1], frame);
  if (frame.failed()) return {};
  if (target.type() == vtype::array) {
    const auto d = numeric(key);
    const auto i = d ? d->to_int64() : std::nullopt;
    if (!i) {
      frame.fail(core::errc::unmappable, "an array index must be an integer, got " + describe(key),
                 &key, e.where);
      return {};
    }
    const std::int64_t n = target.size();
    const std::int64_t at = *i < 0 ? n + *i : *i;  // negative indexes count from the end
    return at >= 0 && at < n ? target.item(static_cast<std::uint32_t>(at)) : value();
  }
  if (target.type() == vtype::object) {
    if (key.type() != vtype::string) {
      frame.fail(core::errc::unmappable, "an object key must be a string, got " + describe(key),
                 &key, e.where);
      return {};
    }
    return target.member(key.as_string());
  }
  return {};  // missing-safe: indexing nothing gives nothing
}

[[gnu::noinline]] value call(const expr& e, frame& frame) {
  // Most calls take one argument that is not a lambda (number(x), string(x)...).
  if (e.args.size() == 1 && e.args[0].op != expr_op::lambda) {
    const value arg = evaluate(e.args[0], frame);
    if (frame.failed()) return {};
    return e.fn->eval(call_env{e, frame, &arg, 1});
  }
  constexpr std::size_t max_args = 8;
  // Only the arguments there are get built (values are trivially destructible).
  union arguments {
    arguments() noexcept {}
    value v[max_args];
  } args;
  const auto argc = static_cast<std::uint32_t>(std::min<std::size_t>(e.args.size(), max_args));
  for (std::uint32_t i = 0; i < argc; ++i) {
    // A lambda argument is applied by the function itself; its place holds null.
    new (&args.v[i]) value(e.args[i].op == expr_op::lambda ? value() : evaluate(e.args[i], frame));
    if (frame.failed()) return {};
  }
  return e.fn->eval(call_env{e, frame, args.v, argc});
}

[[gnu::noinline]] value array_literal(const expr& e, frame& frame) {
  value* items = allocate_values(frame.arena(), e.args.size());
  std::uint32_t n = 0;
  for (const expr& item : e.args) {
    value v = evaluate(item, frame);
    if (frame.failed()) return {};
    if (!v.is_omit()) items[n++] = v;
  }
  return value::array(items, n);
}

[[gnu::noinline]] value object_literal(const expr& e, frame& frame) {
  auto* fields = static_cast<field*>(
      frame.arena().allocate(sizeof(field) * (e.args.size() + 1), alignof(field)));
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    value v = evaluate(e.args[i], frame);
    if (frame.failed()) return {};
    if (!v.is_omit()) fields[n++] = field{e.keys[i], v};
  }
  return value::object(fields, n);
}

[[gnu::noinline]] value member_of(const expr& e, frame& frame) {
  const value target = evaluate(e.args[0], frame);
  return frame.failed() ? value() : target.member(e.key, &e.key_hint);
}

[[gnu::noinline]] value negate(const expr& e, frame& frame) {
  const value v = evaluate(e.args[0], frame);
  if (frame.failed()) return {};
  const auto d = numeric(v);
  if (!d) {
    frame.fail(core::errc::unmappable, "'-' needs a number, got " + describe(v), &v, e.where);
    return {};
  }
  return value::number(d->negate());
}

[[gnu::noinline]] value logical_not(const expr& e, frame& frame) {
  const value v = evaluate(e.args[0], frame);
  return frame.failed() ? value() : value::boolean(!truthy(v));
}

[[gnu::noinline]] value conditional(const expr& e, frame& frame) {
  const value c = evaluate(e.args[0], frame);
  if (frame.failed()) return {};
  return evaluate(e.args[truthy(c) ? 1 : 2], frame);
}

[[gnu::noinline]] value lone_lambda(const expr& e, frame& frame) {
  frame.fail(core::errc::internal_error, "a lambda cannot be evaluated on its own", nullptr,
             e.where);
  return {};
}

}  // namespace

// Every case hands over to a function of its own: with nothing else to do here, the
// compiler makes this a jump, without saving and restoring registers on the way.
value evaluate_compound(const expr& e, frame& frame) {
  switch (e.op) {
    case expr_op::constant:
      return e.constant;
    case expr_op::slot:
      return frame.slot(e.slot);
    case expr_op::member:
      return member_of(e, frame);
    case expr_op::index:
      return index(e, frame);
    case expr_op::call:
      return call(e, frame);
    case expr_op::lambda:
      return lone_lambda(e, frame);
    case expr_op::negate:
      return negate(e, frame);
    case expr_op::logical_not:
      return logical_not(e, frame);
    case expr_op::binary:
      return binary(e, frame);
    case expr_op::conditional:
      return conditional(e, frame);
    case expr_op::array:
      return array_literal(e, frame);
    case expr_op::object:
      return object_literal(e, frame);
  }
  return {};
}

value call_env::fail(std::string_view message, int culprit, core::errc code) const {
  const value* blamed =
      culprit >= 0 && static_cast<std::uint32_t>(culprit) < argc ? &args[culprit] : nullptr;
  frame.fail(code, std::string(call.fn->name) + "(): " + std::string(message), blamed, call.where);
  return {};
}

value call_env::apply(std::uint32_t i, const value& v) const {
  const expr& lambda = call.args[i];
  frame.slot(lambda.slot) = v;
  return evaluate(lambda.args[0], frame);
}

std::string_view call_env::keep(std::string_view s) const {
  return codec::store(frame.arena(), s);
}

value* allocate_values(std::pmr::memory_resource& arena, std::size_t n) {
  void* p = arena.allocate(sizeof(value) * (n == 0 ? 1 : n), alignof(value));
  auto* items = static_cast<value*>(p);
  for (std::size_t i = 0; i < n; ++i)
    new (&items[i]) value();
  return items;
}

}  // namespace ordergate::mapping
