#include "mapping/expression_lexer.hpp"

namespace ordergate::mapping {
namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(char c) {
  return ident_start(c) || (c >= '0' && c <= '9');
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

token lexer::next() {
  while (pos_ < s_.size() &&
         (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
    ++pos_;
  }
  token t;
  t.offset = static_cast<std::uint32_t>(pos_);
  if (pos_ >= s_.size()) return t;
  const char c = s_[pos_];
  if (ident_start(c)) return identifier(t);
  if (digit(c)) return number(t);
  if (c == '\'' || c == '"') return string(t, c);
  auto two = [&](char second) { return pos_ + 1 < s_.size() && s_[pos_ + 1] == second; };
  auto emit = [&](tok k, std::size_t len) {
    t.kind = k;
    pos_ += len;
    return t;
  };
  switch (c) {
    case '+':
      return two('+') ? emit(tok::concat, 2) : emit(tok::plus, 1);
    case '-':
      return emit(tok::minus, 1);
    case '*':
      return emit(tok::star, 1);
    case '/':
      return emit(tok::slash, 1);
    case '%':
      return emit(tok::percent, 1);
    case '=':
      if (two('=')) return emit(tok::eq, 2);
      if (two('>')) return emit(tok::arrow, 2);
      break;
    case '!':
      return two('=') ? emit(tok::ne, 2) : emit(tok::kw_not, 1);
    case '<':
      return two('=') ? emit(tok::le, 2) : emit(tok::lt, 1);
    case '>':
      return two('=') ? emit(tok::ge, 2) : emit(tok::gt, 1);
    case '?':
      return two('?') ? emit(tok::coalesce, 2) : emit(tok::question, 1);
    case ':':
      return emit(tok::colon, 1);
    case '.':
      return emit(tok::dot, 1);
    case '[':
      return emit(tok::lbracket, 1);
    case ']':
      return emit(tok::rbracket, 1);
    case '(':
      return emit(tok::lparen, 1);
    case ')':
      return emit(tok::rparen, 1);
    case '{':
      return emit(tok::lbrace, 1);
    case '}':
      return emit(tok::rbrace, 1);
    case ',':
      return emit(tok::comma, 1);
    case '&':
      if (two('&')) return emit(tok::kw_and, 2);
      break;
    case '|':
      if (two('|')) return emit(tok::kw_or, 2);
      break;
    default:
      break;
  }
  t.kind = tok::error;
  t.text = std::string("unexpected character '") + c + "'";
  return t;
}

token lexer::identifier(token& t) {
  const std::size_t start = pos_;
  while (pos_ < s_.size() && ident_char(s_[pos_]))
    ++pos_;
  t.text.assign(s_.substr(start, pos_ - start));
  static constexpr std::pair<std::string_view, tok> keywords[] = {
      {"and", tok::kw_and},   {"or", tok::kw_or},       {"not", tok::kw_not},
      {"true", tok::kw_true}, {"false", tok::kw_false}, {"null", tok::kw_null},
      {"omit", tok::kw_omit},
  };
  t.kind = tok::identifier;
  for (const auto& [word, kind] : keywords) {
    if (t.text == word) t.kind = kind;
  }
  return t;
}

token lexer::number(token& t) {
  const std::size_t start = pos_;
  while (pos_ < s_.size() && digit(s_[pos_]))
    ++pos_;
  if (pos_ + 1 < s_.size() && s_[pos_] == '.' && digit(s_[pos_ + 1])) {
    ++pos_;
    while (pos_ < s_.size() && digit(s_[pos_]))
      ++pos_;
  }
  if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
    std::size_t p = pos_ + 1;
    if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
    if (p < s_.size() && digit(s_[p])) {
      pos_ = p;
      while (pos_ < s_.size() && digit(s_[pos_]))
        ++pos_;
    }
  }
  t.kind = tok::number;
  t.text.assign(s_.substr(start, pos_ - start));
  return t;
}

token lexer::string(token& t, char quote) {
  ++pos_;
  std::string out;
  while (pos_ < s_.size() && s_[pos_] != quote) {
    char c = s_[pos_++];
    if (c == '\\' && pos_ < s_.size()) {
      const char e = s_[pos_++];
      switch (e) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case '\\':
        case '\'':
        case '"':
          c = e;
          break;
        default:
          t.kind = tok::error;
          t.offset = static_cast<std::uint32_t>(pos_ - 2);
          t.text = std::string("unknown escape '\\") + e + "' in a string";
          return t;
      }
    }
    out.push_back(c);
  }
  if (pos_ >= s_.size()) {
    t.kind = tok::error;
    t.text = "unterminated string";
    return t;
  }
  ++pos_;
  t.kind = tok::string;
  t.text = std::move(out);
  return t;
}

}  // namespace ordergate::mapping
