#include "ordergate/mapping/decimal.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace ordergate::mapping {
namespace {

using int128 = __int128;
// 10^38 fits in a signed 128-bit integer (max ~1.7e38).
constexpr int max_digits = 38;

constexpr int128 pow10(int n) noexcept {
  int128 r = 1;
  for (int i = 0; i < n; ++i)
    r *= 10;
  return r;
}

// The one 128-bit value whose negation does not fit. No decimal has it as coefficient,
// so negate(), abs() and division by -1 are always defined.
constexpr int128 int128_min = static_cast<int128>(static_cast<unsigned __int128>(1) << 127);

bool mul_overflows(int128 a, int128 b, int128& out) noexcept {
  return __builtin_mul_overflow(a, b, &out) || out == int128_min;
}

bool add_overflows(int128 a, int128 b, int128& out) noexcept {
  return __builtin_add_overflow(a, b, &out) || out == int128_min;
}

/// Brings `a` to scale `s` (>= its own); false on overflow.
bool rescale(int128 c, int from, int to, int128& out) noexcept {
  if (to - from > max_digits) return false;
  return !mul_overflows(c, pow10(to - from), out);
}

}  // namespace

/// Plain decimal text of at most 18 digits ("1500.0000", "-2.5", "12"), which is nearly
/// every number a vendor sends, in 64-bit arithmetic; nullopt for anything else. With
/// `shortest`, also what parse(text, shortest) promises.
[[gnu::always_inline]] inline std::optional<decimal> decimal::parse_short(
    std::string_view text, std::string_view* shortest) noexcept {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const auto digit = [](char ch) { return static_cast<unsigned>(ch - '0') < 10; };
  std::uint64_t c = 0;
  const char* const whole = p;
  for (; p != end && digit(*p); ++p)
    c = c * 10 + static_cast<std::uint64_t>(*p - '0');
  const auto whole_digits = static_cast<std::size_t>(p - whole);
  std::size_t fraction_digits = 0;
  int scale = 0;
  if (p != end) {
    if (*p != '.') return std::nullopt;
    const char* const fraction = ++p;
    fraction_digits = static_cast<std::size_t>(end - fraction);
    // Trailing fraction zeros do not change the value: they are left out of it.
    while (end != fraction && end[-1] == '0')
      --end;
    for (; p != end; ++p) {
      if (!digit(*p)) return std::nullopt;
      c = c * 10 + static_cast<std::uint64_t>(*p - '0');
    }
    scale = static_cast<int>(end - fraction);
  }
  if (whole_digits + fraction_digits == 0 || whole_digits + static_cast<std::size_t>(scale) > 18)
    return std::nullopt;
  // The shortest text is part of this one unless the whole part has a leading zero
  // ("007") or is missing ("-.5"): up to the last significant fraction digit, or the
  // whole part; zero has no sign ("-0.00" is "0").
  if (shortest && whole_digits != 0 && (whole_digits == 1 || *whole != '0')) {
    const char* last = scale > 0 ? end : whole + whole_digits;
    *shortest = c == 0
                    ? std::string_view(whole, 1)
                    : std::string_view(text.data(), static_cast<std::size_t>(last - text.data()));
  }
  if (c == 0) return decimal(0, 0);
  const auto signed_c = static_cast<std::int64_t>(c);
  return decimal(negative ? -signed_c : signed_c, scale);
}

std::optional<decimal> decimal::parse(std::string_view text) noexcept {
  if (text.size() <= 20) {
    if (const auto quick = parse_short(text, nullptr)) return quick;
  }
  return parse_general(text);
}

std::optional<decimal> decimal::parse(std::string_view text, std::string_view& shortest) noexcept {
  shortest = {};
  if (text.size() <= 20) {
    if (const auto quick = parse_short(text, &shortest)) return quick;
  }
  return parse_general(text);
}

std::optional<decimal> decimal::parse_general(std::string_view text) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int128 c = 0;
  int digits = 0;
  int scale = 0;
  bool any = false;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      any = true;
      if (digits == 0 && ch == '0') {
        if (dot) ++scale;  // leading zeros of a fraction still count toward the scale
        continue;
      }
      if (++digits > max_digits) return std::nullopt;
      c = c * 10 + (ch - '0');
      if (dot) ++scale;
    } else if (ch == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 400) return std::nullopt;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;
  scale -= exponent;
  if (scale < 0) {
    int128 scaled;
    if (!rescale(c, 0, -scale, scaled) || (c != 0 && digits - scale > max_digits)) {
      return std::nullopt;
    }
    c = scaled;
    scale = 0;
  }
  decimal d(negative ? -c : c, scale);
  d = d.normalized();
  if (d.scale_ > max_scale) return std::nullopt;
  return d;
}

decimal decimal::normalized() const noexcept {
  int128 c = coefficient_;
  int s = scale_;
  if (c == 0) return decimal(0, 0);
  constexpr auto fits = static_cast<int128>(std::numeric_limits<std::int64_t>::max());
  if (c > -fits && c < fits) {  // 64-bit division is far cheaper than 128-bit division
    auto small = static_cast<std::int64_t>(c);
    while (s > 0 && small % 10 == 0) {
      small /= 10;
      --s;
    }
    return decimal(small, s);
  }
  while (s > 0 && c % 10 == 0) {
    c /= 10;
    --s;
  }
  return decimal(c, s);
}

namespace {

constexpr std::array<char, 200> digit_pairs = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    t[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

using uint128 = unsigned __int128;
constexpr uint128 max_u64 = std::numeric_limits<std::uint64_t>::max();

/// Writes the decimal digits of `small` so that they end at `end`; returns where they
/// start. Two digits at a time.
[[gnu::always_inline]] inline char* write_digits(std::uint64_t small, char* end) noexcept {
  for (; small >= 100; small /= 100) {
    const std::size_t pair = static_cast<std::size_t>(small % 100) * 2;
    *--end = digit_pairs[pair + 1];
    *--end = digit_pairs[pair];
  }
  if (small >= 10) {
    *--end = digit_pairs[static_cast<std::size_t>(small) * 2 + 1];
    *--end = digit_pairs[static_cast<std::size_t>(small) * 2];
  } else {
    *--end = static_cast<char>('0' + small);
  }
  return end;
}

/// The same for any magnitude: the digits beyond 64 bits one at a time.
char* write_digits(uint128 m, char* end) noexcept {
  for (; m > max_u64; m /= 10)
    *--end = static_cast<char>('0' + static_cast<int>(m % 10));
  return write_digits(static_cast<std::uint64_t>(m), end);
}

constexpr std::array<std::uint64_t, 20> powers_of_ten_64 = [] {
  std::array<std::uint64_t, 20> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i)
    t[i] = t[i - 1] * 10;
  return t;
}();

/// How many decimal digits `m` has (1 for 0): log10 estimated from the bit length
/// (1233 / 4096 is just above log10(2)), then corrected by one comparison.
int digit_count(std::uint64_t m) noexcept {
  if (m < 10) return 1;
  const auto estimate = static_cast<std::size_t>((64 - __builtin_clzll(m)) * 1233 >> 12);
  return static_cast<int>(estimate) + (m >= powers_of_ten_64[estimate] ? 1 : 0);
}

int digit_count(uint128 m) noexcept {
  int beyond = 0;
  for (; m > max_u64; m /= 10)
    ++beyond;
  return beyond + digit_count(static_cast<std::uint64_t>(m));
}

/// The shortest text of m × 10^-scale (m without trailing zeros when scale > 0), written
/// straight into place: digits right to left, the point where it belongs. In 64-bit
/// arithmetic when the magnitude fits (128-bit division is far slower).
template <class Magnitude>
std::size_t place_digits(Magnitude m, int scale, bool negative, char* buf) noexcept {
  const int count = digit_count(m);
  char* out = buf;
  if (negative) *out++ = '-';
  if (scale >= count) {  // 0.000ddd
    *out++ = '0';
    *out++ = '.';
    for (int z = 0; z < scale - count; ++z)
      *out++ = '0';
    out += count;
    write_digits(m, out);
    return static_cast<std::size_t>(out - buf);
  }
  char* const end = out + count + (scale > 0 ? 1 : 0);
  if (scale == 0) {
    write_digits(m, end);
    return static_cast<std::size_t>(end - buf);
  }
  // The fraction's digits (leading zeros kept), the point, the whole digits.
  Magnitude unit;
  if constexpr (sizeof(Magnitude) == sizeof(std::uint64_t)) {
    unit = powers_of_ten_64[static_cast<std::size_t>(scale)];
  } else {
    unit = static_cast<Magnitude>(pow10(scale));
  }
  char* const point = end - scale - 1;
  for (char* f = write_digits(m % unit, end); f > point + 1;)
    *--f = '0';
  *point = '.';
  write_digits(m / unit, point);
  return static_cast<std::size_t>(end - buf);
}

}  // namespace

std::size_t decimal::format(char* buf) const noexcept {
  const bool negative = coefficient_ < 0;
  // The magnitude in unsigned arithmetic, where negating the minimum is defined.
  uint128 magnitude = static_cast<uint128>(coefficient_);
  if (negative) magnitude = -magnitude;
  // Trailing fraction zeros dropped for the shortest form.
  int scale = scale_;
  if (magnitude <= max_u64) {
    auto m = static_cast<std::uint64_t>(magnitude);
    for (; scale > 0 && m % 10 == 0; --scale)
      m /= 10;
    return place_digits(m, scale, negative, buf);
  }
  for (; scale > 0 && magnitude % 10 == 0; --scale)
    magnitude /= 10;
  return place_digits(magnitude, scale, negative, buf);
}

std::string decimal::to_string() const {
  char buf[48];
  return std::string(buf, format(buf));
}

bool decimal::is_integer() const noexcept {
  return scale_ == 0 || coefficient_ % pow10(scale_) == 0;
}

std::optional<std::int64_t> decimal::to_int64() const noexcept {
  if (!is_integer()) return std::nullopt;
  const int128 v = coefficient_ / pow10(scale_);
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

double decimal::to_double() const noexcept {
  return static_cast<double>(coefficient_) / static_cast<double>(pow10(scale_));
}

std::optional<decimal> decimal::add(decimal a, decimal b) noexcept {
  const int s = std::max(a.scale_, b.scale_);
  int128 x, y, r;
  if (!rescale(a.coefficient_, a.scale_, s, x) || !rescale(b.coefficient_, b.scale_, s, y) ||
      add_overflows(x, y, r)) {
    return std::nullopt;
  }
  return decimal(r, s).normalized();
}

std::optional<decimal> decimal::sub(decimal a, decimal b) noexcept {
  return add(a, b.negate());
}

std::optional<decimal> decimal::mul(decimal a, decimal b) noexcept {
  int128 r;
  if (mul_overflows(a.coefficient_, b.coefficient_, r)) return std::nullopt;
  decimal d = decimal(r, a.scale_ + b.scale_).normalized();
  if (d.scale_ > max_scale) d = d.truncate(max_scale);
  return d;
}

std::optional<decimal> decimal::div(decimal a, decimal b) noexcept {
  if (b.coefficient_ == 0) return std::nullopt;
  // a/b = (ca * 10^k / cb) * 10^-(sa + k - sb); pick k for 20 extra fraction digits,
  // as far as 10^k and the scaled dividend fit.
  int k = std::min(20 + b.scale_, max_digits);
  while (k > 0) {
    int128 scaled;
    if (!mul_overflows(a.coefficient_, pow10(k), scaled)) break;
    --k;
  }
  int128 scaled = a.coefficient_ * pow10(k);
  int128 q = scaled / b.coefficient_;
  int s = a.scale_ + k - b.scale_;
  if (s < 0) {
    int128 r;
    if (!rescale(q, 0, -s, r)) return std::nullopt;
    q = r;
    s = 0;
  }
  decimal d = decimal(q, s).normalized();
  if (d.scale_ > max_scale) d = d.truncate(max_scale);
  return d;
}

std::optional<decimal> decimal::mod(decimal a, decimal b) noexcept {
  if (b.coefficient_ == 0) return std::nullopt;
  const int s = std::max(a.scale_, b.scale_);
  int128 x, y;
  if (!rescale(a.coefficient_, a.scale_, s, x) || !rescale(b.coefficient_, b.scale_, s, y)) {
    return std::nullopt;
  }
  return decimal(x % y, s).normalized();
}

decimal decimal::truncate(int digits) const noexcept {
  if (digits < 0) digits = 0;
  if (scale_ <= digits) return *this;
  return decimal(coefficient_ / pow10(scale_ - digits), digits).normalized();
}

decimal decimal::round(int digits) const noexcept {
  if (digits < 0) digits = 0;
  if (scale_ <= digits) return *this;
  const int128 unit = pow10(scale_ - digits);
  int128 q = coefficient_ / unit;
  const int128 r = coefficient_ % unit;  // same sign as the coefficient
  const int128 twice = (r < 0 ? -r : r) * 2;
  if (twice >= unit) q += coefficient_ < 0 ? -1 : 1;
  return decimal(q, digits).normalized();
}

decimal decimal::floor() const noexcept {
  decimal t = truncate(0);
  if (coefficient_ < 0 && !is_integer()) t.coefficient_ -= 1;
  return t.normalized();
}

decimal decimal::ceil() const noexcept {
  decimal t = truncate(0);
  if (coefficient_ > 0 && !is_integer()) t.coefficient_ += 1;
  return t.normalized();
}

int decimal::compare(decimal a, decimal b) noexcept {
  const int s = std::max(a.scale_, b.scale_);
  int128 x, y;
  if (rescale(a.coefficient_, a.scale_, s, x) && rescale(b.coefficient_, b.scale_, s, y)) {
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  // Rescaling overflowed: magnitudes differ enormously, compare as doubles.
  const double da = a.to_double(), db = b.to_double();
  return da < db ? -1 : (da > db ? 1 : 0);
}

}  // namespace ordergate::mapping
