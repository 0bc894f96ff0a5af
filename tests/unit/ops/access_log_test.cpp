#include "ordergate/ops/access_log.hpp"

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace ordergate::ops;
using namespace std::chrono;

namespace {

/// 2026-11-23 09:23:05.123456 UTC.
system_clock::time_point fixed_time() {
  return sys_days{year{2026} / November / 23} + hours{9} + minutes{23} + seconds{5} +
         microseconds{123456};
}

access_entry sample_entry() {
  access_entry e;
  e.time = fixed_time();
  e.request_id = "req-1";
  e.method = "POST";
  e.path = "/imshop/order-history";
  e.route = "imshop_order_history";
  e.status = 200;
  e.duration = microseconds{12345};
  e.upstream = microseconds{7000};
  e.bytes_in = 42;
  e.bytes_out = 1024;
  e.remote = "127.0.0.1:50000";
  return e;
}

/// Everything written to a temporary FILE* by `produce`.
template <typename F>
std::string capture(F produce) {
  std::FILE* f = std::tmpfile();
  BOOST_REQUIRE(f != nullptr);
  produce(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  std::fclose(f);
  return out;
}

bool is_valid_json(const std::string& line) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str(), line.size());
  return !d.HasParseError() && d.IsObject();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(access_log_lines)

BOOST_AUTO_TEST_CASE(access_line_has_keys_in_order_with_exact_values) {
  BOOST_TEST(format_access_line(sample_entry()) ==
             R"({"time":"2026-11-23T09:23:05.123Z","request_id":"req-1","method":"POST",)"
             R"("path":"/imshop/order-history","route":"imshop_order_history","status":200,)"
             R"("duration_ms":12.345,"upstream_ms":7.000,"bytes_in":42,"bytes_out":1024,)"
             R"("remote":"127.0.0.1:50000"})");
}

BOOST_AUTO_TEST_CASE(time_truncates_sub_millisecond_digits) {
  auto e = sample_entry();
  e.time = sys_days{year{1999} / December / 31} + hours{23} + minutes{59} + seconds{59} +
           microseconds{999999};
  BOOST_TEST(format_access_line(e).starts_with(R"({"time":"1999-12-31T23:59:59.999Z",)"));
}

BOOST_AUTO_TEST_CASE(durations_have_three_decimals) {
  auto e = sample_entry();
  e.duration = microseconds{5};
  e.upstream = microseconds{0};
  const auto line = format_access_line(e);
  BOOST_TEST(line.find(R"("duration_ms":0.005,"upstream_ms":0.000,)") != std::string::npos);
  e.duration = microseconds{61'000'001};
  BOOST_TEST(format_access_line(e).find(R"("duration_ms":61000.001,)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_strings_are_escaped) {
  auto e = sample_entry();
  e.request_id = "a\"b\\c\nd\te\x01";
  e.path = "/x\"},\"status\":1,\"y\":\"";
  e.method = std::string_view("G\0T", 3);
  const auto line = format_access_line(e);
  BOOST_TEST(line.find(R"("request_id":"a\"b\\c\nd\te\u0001")") != std::string::npos);
  BOOST_TEST(line.find(R"("path":"/x\"},\"status\":1,\"y\":\"")") != std::string::npos);
  BOOST_TEST(line.find(R"("method":"G\u0000T")") != std::string::npos);
  BOOST_TEST(line.find('\n') == std::string::npos);
  BOOST_TEST(is_valid_json(line));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_and_valid_utf8_kept) {
  auto e = sample_entry();
  e.path = "/\xff\xfe/\xd0\xbf\xd1\x80\xd0\xb8/\xe2\x82";  // junk, "при", a cut sequence
  const auto line = format_access_line(e);
  BOOST_TEST(line.find("\"path\":\"/\xEF\xBF\xBD\xEF\xBF\xBD/\xd0\xbf\xd1\x80\xd0\xb8/"
                       "\xEF\xBF\xBD\xEF\xBF\xBD\"") != std::string::npos);
  BOOST_TEST(is_valid_json(line));
}

BOOST_AUTO_TEST_CASE(overlong_and_surrogate_sequences_are_replaced) {
  auto e = sample_entry();
  e.path = "\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80";
  const auto line = format_access_line(e);
  BOOST_TEST(is_valid_json(line));
  BOOST_TEST(line.find("\xc0") == std::string::npos);
  BOOST_TEST(line.find("\xed\xa0") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(write_appends_one_line_with_newline) {
  const auto text = capture([](std::FILE* f) {
    access_log log(f);
    log.write(sample_entry());
  });
  BOOST_TEST(text == format_access_line(sample_entry()) + "\n");
}

BOOST_AUTO_TEST_CASE(concurrent_writes_never_interleave) {
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  const auto text = capture([](std::FILE* f) {
    access_log log(f);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i)
          log.write(sample_entry());
      });
    for (auto& th : pool)
      th.join();
  });
  const std::string expected = format_access_line(sample_entry()) + "\n";
  std::string all;
  for (int i = 0; i < threads * per_thread; ++i)
    all += expected;
  BOOST_TEST(text == all);
}

BOOST_AUTO_TEST_CASE(log_event_has_time_level_event_then_fields) {
  const auto text = capture([](std::FILE* f) {
    log_event("info", "started", R"("listen":"127.0.0.1:8080","routes":5)", f);
  });
  BOOST_REQUIRE(text.ends_with("\n"));
  const std::string line = text.substr(0, text.size() - 1);
  BOOST_TEST(is_valid_json(line));
  BOOST_TEST(line.starts_with(R"({"time":")"));
  BOOST_TEST(line.ends_with(
      R"(Z","level":"info","event":"started","listen":"127.0.0.1:8080","routes":5})"));
  // "YYYY-MM-DDTHH:MM:SS.mmmZ" is 24 characters.
  BOOST_TEST(line.find("\",\"level\"") == std::string(R"({"time":")").size() + 24);
}

BOOST_AUTO_TEST_CASE(log_event_without_fields_is_a_closed_object) {
  const auto text = capture([](std::FILE* f) { log_event("warn", "reload \"failed\"", {}, f); });
  BOOST_TEST(text.ends_with(R"(,"level":"warn","event":"reload \"failed\""})"
                            "\n"));
  BOOST_TEST(is_valid_json(text.substr(0, text.size() - 1)));
}

BOOST_AUTO_TEST_SUITE_END()
