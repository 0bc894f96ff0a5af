#include "http/escape_report.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace ordergate::http {

void report_escaped_exception(std::string_view where, const std::exception_ptr& error) noexcept {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    // `what` already says it: the type carries no message.
  }
  for (char& c : what) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  std::fprintf(
      stderr,
      "{\"level\":\"error\",\"event\":\"exception_escaped\",\"where\":\"%.*s\",\"what\":\"%s\"}\n",
      static_cast<int>(where.size()), where.data(), what.c_str());
}

}  // namespace ordergate::http
