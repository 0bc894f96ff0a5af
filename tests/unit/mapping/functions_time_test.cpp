// Date-time: parse_time, format_time, unix, unix_ms, from_unix, from_unix_ms, now,
// always with explicit IANA zones.

#include "mapping/time_format.hpp"
#include "mapping_harness.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

using namespace ordergate::mapping;
using namespace ordergate::mapping::test;

BOOST_AUTO_TEST_SUITE(functions_time)

BOOST_AUTO_TEST_CASE(giftcard_date_in_moscow_as_rfc3339_with_milliseconds) {
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'Europe/Moscow', 'rfc3339_ms')",
                R"("2020-01-11T16:13:56.814239")") == R"("2020-01-11T16:13:56.814+03:00")");
}

BOOST_AUTO_TEST_CASE(sub_millisecond_digits_are_truncated_never_rounded) {
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'Europe/Moscow', 'rfc3339_ms')",
                R"("2020-01-11T23:59:59.999999")") == R"("2020-01-11T23:59:59.999+03:00")");
  // More than six fraction digits are cut at microseconds.
  BOOST_TEST(on("format_time(parse_time(input.v, 'UTC'), 'UTC', 'rfc3339_us')",
                R"("2020-01-11T10:00:00.1234567")") == R"("2020-01-11T10:00:00.123456Z")");
}

BOOST_AUTO_TEST_CASE(shop_datetime_in_moscow_as_unix_seconds) {
  BOOST_TEST(on("unix(parse_time(input.v, 'Europe/Moscow'))", R"("2026-11-20 10:00:00")") ==
             "1795158000");
  BOOST_TEST(on("unix(parse_time(input.v, 'UTC'))", R"("2026-11-20 07:00:00")") == "1795158000");
  BOOST_TEST(on("unix_ms(parse_time(input.v, 'Europe/Moscow'))",
                R"("2020-01-11T16:13:56.814239")") == "1578748436814");
}

BOOST_AUTO_TEST_CASE(utc_is_written_with_z) {
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'UTC', 'rfc3339_ms')",
                R"("2020-01-11T16:13:56.814239")") == R"("2020-01-11T13:13:56.814Z")");
  BOOST_TEST(eval("string(parse_time('2020-01-11 16:13:56', 'Europe/Moscow'))") ==
             R"("2020-01-11T13:13:56.000Z")");
}

BOOST_AUTO_TEST_CASE(formatting_follows_daylight_saving_changes) {
  BOOST_TEST(eval("format_time(from_unix(1616893199), 'Europe/Berlin', 'rfc3339')") ==
             R"("2021-03-28T01:59:59+01:00")");
  BOOST_TEST(eval("format_time(from_unix(1616893200), 'Europe/Berlin', 'rfc3339')") ==
             R"("2021-03-28T03:00:00+02:00")");
}

BOOST_AUTO_TEST_CASE(an_ambiguous_local_time_reads_as_the_later_instant_as_php_does) {
  // 02:30 happens twice on 2021-10-31 in Berlin: first at +02:00, then at +01:00.
  BOOST_TEST(on("unix(parse_time(input.v, 'Europe/Berlin'))", R"("2021-10-31 02:30:00")") ==
             "1635643800");
  // PHP's reading (Webasyst's; docs/flows.md): 2010-10-31 02:30 in Moscow is 02:30+03:00.
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'Europe/Moscow', 'rfc3339')",
                R"("2010-10-31 02:30:00")") == R"("2010-10-31T02:30:00+03:00")");
}

BOOST_AUTO_TEST_CASE(a_skipped_local_time_moves_forward_by_the_gap_as_php_does) {
  // 02:30 does not exist on 2021-03-28 in Berlin: clocks jumped from 02:00 to 03:00.
  BOOST_TEST(on("unix(parse_time(input.v, 'Europe/Berlin'))", R"("2021-03-28 02:30:00")") ==
             "1616895000");
  // PHP's reading (Webasyst's; docs/flows.md): 2010-03-28 02:30 in Moscow is 03:30+04:00.
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'Europe/Moscow', 'rfc3339')",
                R"("2010-03-28 02:30:00")") == R"("2010-03-28T03:30:00+04:00")");
}

BOOST_AUTO_TEST_CASE(an_explicit_offset_wins_over_the_zone) {
  BOOST_TEST(on("unix(parse_time(input.v, 'Europe/Moscow'))", R"("2020-01-11T13:13:56Z")") ==
             "1578748436");
  BOOST_TEST(on("unix(parse_time(input.v, 'Europe/Moscow'))", R"("2020-01-11T18:13:56+05:00")") ==
             "1578748436");
  BOOST_TEST(on("unix(parse_time(input.v, 'UTC'))", R"("2020-01-11T08:13:56-0500")") ==
             "1578748436");
}

BOOST_AUTO_TEST_CASE(dates_and_short_times) {
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'UTC', 'rfc3339')",
                R"("2020-01-11")") == R"("2020-01-10T21:00:00Z")");
  BOOST_TEST(on("format_time(parse_time(input.v, 'UTC'), 'UTC', 'datetime')",
                R"("2020-01-11 16:13")") == R"("2020-01-11 16:13:00")");
  BOOST_TEST(on("format_time(parse_time(input.v, 'Europe/Moscow'), 'Europe/Moscow', 'date')",
                R"("2020-01-11 00:30:00")") == R"("2020-01-11")");
}

BOOST_AUTO_TEST_CASE(times_before_1970) {
  BOOST_TEST(eval("format_time(from_unix(-1), 'UTC', 'rfc3339_ms')") ==
             R"("1969-12-31T23:59:59.000Z")");
  BOOST_TEST(eval("format_time(from_unix_ms(-1), 'UTC', 'rfc3339_ms')") ==
             R"("1969-12-31T23:59:59.999Z")");
  BOOST_TEST(eval("unix(from_unix_ms(-1))") == "-1");
}

BOOST_AUTO_TEST_CASE(years_are_written_with_four_digits_or_as_many_as_they_need) {
  BOOST_TEST(eval("format_time(from_unix(-62135596800), 'UTC', 'date')") == R"("0001-01-01")");
  BOOST_TEST(eval("format_time(from_unix(-30610224000), 'UTC', 'date')") == R"("1000-01-01")");
  BOOST_TEST(eval("format_time(from_unix(253402300799), 'UTC', 'datetime')") ==
             R"("9999-12-31 23:59:59")");
  BOOST_TEST(eval("format_time(from_unix(253402300800), 'UTC', 'rfc3339')") ==
             R"("10000-01-01T00:00:00Z")");
  BOOST_TEST(eval("format_time(from_unix(-62167219200), 'UTC', 'date')") == R"("0000-01-01")");
  BOOST_TEST(eval("format_time(from_unix(-62198755200), 'UTC', 'date')") == R"("-001-01-01")");
}

BOOST_AUTO_TEST_CASE(from_unix_accepts_fractional_seconds) {
  BOOST_TEST(eval("format_time(from_unix(1578748436.8142399), 'UTC', 'rfc3339_us')") ==
             R"("2020-01-11T13:13:56.814239Z")");
}

BOOST_AUTO_TEST_CASE(malformed_dates_fail_clearly) {
  const auto doc = expression("parse_time(input.v, 'Europe/Moscow')");
  const std::string at = " (" + doc.at("parse_time") + ")";
  BOOST_TEST(doc.failure(R"({"v": "11.01.2020"})").message ==
             "v: parse_time(): \"11.01.2020\" is not a date-time (expected YYYY-MM-DD HH:MM:SS or "
             "RFC 3339)" +
                 at);
  BOOST_TEST(
      doc.failure(R"({"v": "2020-02-30 10:00:00"})")
          .message.starts_with("v: parse_time(): \"2020-02-30 10:00:00\" is not a date-time"));
  BOOST_TEST(
      doc.failure(R"({"v": "2020-01-11 25:00:00"})").message.starts_with("v: parse_time(): "));
  BOOST_TEST(
      doc.failure(R"({"v": "2020-01-11T10:00:00.Z"})").message.starts_with("v: parse_time(): "));
  BOOST_TEST(doc.failure(R"({"v": "2020-01-11 10:00:00 extra"})")
                 .message.starts_with("v: parse_time(): "));
  BOOST_TEST(doc.failure(R"({"v": null})").message ==
             "v: parse_time(): expected a date-time string, got null" + at);
}

BOOST_AUTO_TEST_CASE(zone_from_configuration_is_resolved_at_load) {
  const std::string extra =
      R"("config": {"tz": {"env": "SHOP_TZ", "type": "timezone", "default": "Europe/Moscow"}},)";
  const auto moscow = expression("unix(parse_time(input.v, config.tz))", extra);
  BOOST_TEST(moscow.output(R"({"v": "2026-11-20 10:00:00"})") == "1795158000");
  const auto utc = expression("unix(parse_time(input.v, config.tz))", extra, {{"SHOP_TZ", "UTC"}});
  BOOST_TEST(utc.output(R"({"v": "2026-11-20 07:00:00"})") == "1795158000");
}

BOOST_AUTO_TEST_CASE(zone_from_input_is_checked_at_run_time) {
  const auto doc = expression("unix(parse_time('2026-11-20 10:00:00', input.tz))");
  BOOST_TEST(doc.output(R"({"tz": "Europe/Moscow"})") == "1795158000");
  BOOST_TEST(doc.failure(R"({"tz": "Mars/Olympus"})").message ==
             "tz: parse_time(): unknown time zone \"Mars/Olympus\" (" + doc.at("parse_time") + ")");
}

BOOST_AUTO_TEST_CASE(time_functions_refuse_other_values) {
  const auto doc = expression("unix(input.v)");
  BOOST_TEST(doc.failure(R"({"v": "2020-01-11"})").message ==
             "v: unix(): expected a time (from parse_time or from_unix), got \"2020-01-11\" (" +
                 doc.at("unix") + ")");
  const auto fmt = expression("format_time(input.v, 'UTC', 'date')");
  BOOST_TEST(fmt.failure(R"({"v": 5})").message.starts_with("v: format_time(): expected a time"));
  const auto from = expression("from_unix(input.v)");
  BOOST_TEST(
      from.failure(R"({"v": "5"})").message.starts_with("v: from_unix(): expected a number"));
  BOOST_TEST(
      from.failure(R"({"v": 1e30})").message.starts_with("v: from_unix(): 1e30 is out of range"));
}

BOOST_AUTO_TEST_CASE(times_compare_and_write_as_utc) {
  BOOST_TEST(eval("{t: from_unix_ms(1578748436814)}") == R"({"t":"2020-01-11T13:13:56.814Z"})");
  BOOST_TEST(eval("from_unix(1) > from_unix(0)") == "true");
  BOOST_TEST(eval("from_unix(1) == from_unix_ms(1000)") == "true");
}

namespace {

/// Reads `local` in `zone` with parse_time and checks it against the time zone
/// database's own answer for that one time; false (with a test failure) when they differ.
bool reads_as_the_database_says(const date::time_zone& zone, date::local_seconds local) {
  const date::local_info info = zone.get_info(local);
  const auto offset =
      info.result == date::local_info::ambiguous ? info.second.offset : info.first.offset;
  const std::int64_t expected = (local.time_since_epoch() - offset).count() * 1'000'000;
  const std::string text = date::format("%F %T", local);
  const auto got = parse_time(text, zone);
  if (got == expected) return true;
  BOOST_TEST(got.value_or(0) == expected, zone.name() << " " << text);
  return false;
}

/// Formats `at` in `zone` with format_time and checks it against the time zone
/// database's own answer; false (with a test failure) when they differ.
bool formats_as_the_database_says(const date::time_zone& zone, date::sys_seconds at) {
  const date::zoned_seconds zoned{&zone, at};
  const bool utc = zoned.get_info().offset.count() == 0;
  const std::string expected = date::format(utc ? "%FT%TZ" : "%FT%T%Ez", zoned);
  char buf[48];
  const std::size_t n =
      format_time(at.time_since_epoch().count() * 1'000'000, zone, time_style::rfc3339, buf);
  const std::string got(buf, n);
  if (got == expected) return true;
  BOOST_TEST(got == expected, zone.name() << " " << at.time_since_epoch().count());
  return false;
}

}  // namespace

namespace {

/// Requires `holds(zone, i)` for every half hour `i` of 2010 and 2011, forwards and then
/// backwards, in zones with daylight saving, a 30-minute change, a day skipped (Samoa,
/// 2011-12-30) and none; then in two zones in turn.
template <class Check>
void every_half_hour_of_2010_and_2011(Check holds) {
  constexpr int half_hours = 2 * 365 * 48;
  std::vector<const date::time_zone*> zones;
  for (const char* name : {"Europe/Berlin", "Europe/Moscow", "America/New_York",
                           "Australia/Lord_Howe", "Pacific/Apia", "UTC"}) {
    zones.push_back(find_zone(name));
    BOOST_REQUIRE(zones.back());
  }
  for (const date::time_zone* zone : zones) {
    for (int i = 0; i < half_hours; ++i)
      BOOST_REQUIRE(holds(*zone, i));
    for (int i = half_hours - 1; i >= 0; --i)
      BOOST_REQUIRE(holds(*zone, i));
  }
  for (int i = 0; i < half_hours; i += 5)
    BOOST_REQUIRE(holds(*zones[i % 2], i));
}

}  // namespace

BOOST_AUTO_TEST_CASE(fractions_of_a_second_are_written_digit_for_digit_and_truncated) {
  const date::time_zone* utc = find_zone("UTC");
  BOOST_REQUIRE(utc);
  for (const int us : {0, 1, 9, 10, 99, 100, 999, 1000, 10203, 99999, 100000, 123456, 999999}) {
    for (const std::int64_t second : {std::int64_t{0}, std::int64_t{-1}}) {
      char buf[48];
      char expected[16];
      const std::int64_t micros = second * 1'000'000 + us;
      std::snprintf(expected, sizeof expected, ".%06d", us);
      std::string got(buf, format_time(micros, *utc, time_style::rfc3339_us, buf));
      BOOST_TEST(got.substr(19, 7) == expected, micros);
      got.assign(buf, format_time(micros, *utc, time_style::rfc3339_ms, buf));
      BOOST_TEST(got.substr(19, 4) == std::string(expected, 4), micros);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_instant_formats_as_the_time_zone_database_says) {
  // format_time keeps the last period between two transitions it found: each half hour,
  // and the second before it, must format as the database says.
  const date::sys_seconds first{date::sys_days{date::year{2010} / date::January / 1}};
  every_half_hour_of_2010_and_2011([&](const date::time_zone& zone, int i) {
    const date::sys_seconds at = first + std::chrono::minutes{30 * i};
    return formats_as_the_database_says(zone, at - std::chrono::seconds{1}) &&
           formats_as_the_database_says(zone, at);
  });
}

BOOST_AUTO_TEST_CASE(every_local_time_reads_as_the_time_zone_database_says) {
  // parse_time keeps the last period between two transitions it found: each half hour
  // must read as the database says.
  const auto first = date::local_seconds{date::local_days{date::year{2010} / date::January / 1}};
  every_half_hour_of_2010_and_2011([&](const date::time_zone& zone, int i) {
    return reads_as_the_database_says(zone, first + std::chrono::minutes{30 * i});
  });
}

BOOST_AUTO_TEST_SUITE_END()
