#pragma once
// The tokens of a mapping expression and the lexer that cuts an expression's text into
// them (the parser, expression_parser.cpp, asks for one token at a time).

#include <cstdint>
#include <string>
#include <string_view>

namespace ordergate::mapping {

enum class tok : std::uint8_t {
  end,
  identifier,
  number,
  string,
  plus,
  minus,
  star,
  slash,
  percent,
  concat,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  coalesce,
  question,
  colon,
  dot,
  lbracket,
  rbracket,
  lparen,
  rparen,
  lbrace,
  rbrace,
  comma,
  arrow,
  kw_and,
  kw_or,
  kw_not,
  kw_true,
  kw_false,
  kw_null,
  kw_omit,
  error,
};

struct token {
  tok kind = tok::end;
  std::uint32_t offset = 0;
  std::string text;
};

class lexer {
 public:
  explicit lexer(std::string_view text) : s_(text) {}

  /// The next token: `tok::end` after the last one, `tok::error` with the message in
  /// `text` on a character no token starts with.
  token next();

 private:
  token identifier(token& t);
  token number(token& t);
  token string(token& t, char quote);

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace ordergate::mapping
