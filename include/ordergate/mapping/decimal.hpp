#pragma once
// Exact decimal numbers for mapping arithmetic: 1003.33 stays 1003.33, money is
// rounded half-up, and output is the shortest form (29336, not 29336.0).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordergate::mapping {

/// coefficient × 10^-scale, with a 128-bit coefficient and 0 <= scale <= max_scale.
class decimal {
 public:
  static constexpr int max_scale = 30;

  constexpr decimal() noexcept = default;
  static decimal from_int(std::int64_t v) noexcept { return decimal(v, 0); }

  /// Parses JSON number text ("-12.50", "1e3", "2.000"); nullopt when it is not a
  /// number or does not fit 38 significant digits at a scale within max_scale.
  static std::optional<decimal> parse(std::string_view text) noexcept;
  /// parse(), and for plain text ("2490.0000", "-0.50": no exponent, no '+', no leading
  /// zero in the whole part) `shortest` is the part of `text` that format() would write
  /// ("2490", "-0.5"; "0" of "-0.00"), so that a number read from text is written
  /// without being formatted; else empty.
  static std::optional<decimal> parse(std::string_view text, std::string_view& shortest) noexcept;

  /// Shortest exact text: no trailing fraction zeros, no exponent ("1003.33", "29336", "-0.5").
  std::string to_string() const;
  /// Writes the shortest text into `buf` (at least 48 bytes); returns its length.
  std::size_t format(char* buf) const noexcept;

  bool is_integer() const noexcept;
  bool is_zero() const noexcept { return coefficient_ == 0; }
  bool is_negative() const noexcept { return coefficient_ < 0; }
  /// The value as int64 when it is an integer in range.
  std::optional<std::int64_t> to_int64() const noexcept;
  double to_double() const noexcept;

  // Arithmetic returns nullopt on overflow (or division by zero).
  static std::optional<decimal> add(decimal a, decimal b) noexcept;
  static std::optional<decimal> sub(decimal a, decimal b) noexcept;
  static std::optional<decimal> mul(decimal a, decimal b) noexcept;
  /// Quotient with up to 20 fraction digits beyond the operands' (truncated).
  static std::optional<decimal> div(decimal a, decimal b) noexcept;
  static std::optional<decimal> mod(decimal a, decimal b) noexcept;
  decimal negate() const noexcept { return decimal(-coefficient_, scale_); }
  decimal abs() const noexcept { return coefficient_ < 0 ? negate() : *this; }

  /// Rounds to `digits` fraction digits, half away from zero (1.005 -> 1.01, -2.5 -> -3).
  decimal round(int digits) const noexcept;
  decimal floor() const noexcept;
  decimal ceil() const noexcept;
  /// Drops fraction digits (toward zero).
  decimal truncate(int digits) const noexcept;

  /// -1, 0 or 1.
  static int compare(decimal a, decimal b) noexcept;

 private:
  constexpr decimal(__int128 c, int s) noexcept : coefficient_(c), scale_(s) {}
  decimal normalized() const noexcept;
  static std::optional<decimal> parse_short(std::string_view text,
                                            std::string_view* shortest) noexcept;
  static std::optional<decimal> parse_general(std::string_view text) noexcept;

  __int128 coefficient_ = 0;
  int scale_ = 0;
};

}  // namespace ordergate::mapping
