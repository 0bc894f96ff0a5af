#include "mapping/type_check.hpp"

namespace ordergate::mapping {

static_type type_of(const expr& e) {
  switch (e.op) {
    case expr_op::constant:
      switch (e.constant.type()) {
        case vtype::null:
        case vtype::omit:
          return static_type::null;
        case vtype::boolean:
          return static_type::boolean;
        case vtype::number:
          return static_type::number;
        case vtype::string:
          return static_type::string;
        case vtype::array:
          return static_type::array;
        case vtype::object:
          return static_type::object;
        case vtype::time:
          return static_type::time;
      }
      return static_type::unknown;
    case expr_op::call:
      return e.fn->result;
    case expr_op::negate:
      return static_type::number;
    case expr_op::logical_not:
      return static_type::boolean;
    case expr_op::array:
      return static_type::array;
    case expr_op::object:
      return static_type::object;
    case expr_op::binary:
      switch (e.bin) {
        case expr_binary::add:
        case expr_binary::sub:
        case expr_binary::mul:
        case expr_binary::div:
        case expr_binary::mod:
          return static_type::number;
        case expr_binary::concat:
          return static_type::string;
        case expr_binary::coalesce:
          return static_type::unknown;
        default:
          return static_type::boolean;
      }
    default:
      return static_type::unknown;
  }
}

bool accepts(param p, static_type t) {
  if (t == static_type::unknown) return true;
  switch (p) {
    case param::number:
      return t == static_type::number;
    case param::string:
      return t == static_type::string || t == static_type::number;
    case param::array:
      return t == static_type::array || t == static_type::object || t == static_type::null;
    case param::time:
      return t == static_type::time;
    default:
      return true;
  }
}

std::string_view param_text(param p) {
  switch (p) {
    case param::number:
      return "a number";
    case param::string:
      return "a string";
    case param::array:
      return "an array or an object";
    case param::time:
      return "a time";
    default:
      return "a value";
  }
}

}  // namespace ordergate::mapping
