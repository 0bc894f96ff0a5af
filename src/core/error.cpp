#include "ordergate/core/error.hpp"

#include "ordergate/core/utf8.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ordergate::core {
namespace {

/// Every code with its HTTP status, its name in error answers and its summary: the one
/// table the rest of the file reads.
struct code_info {
  errc code;
  unsigned status;
  std::string_view name;
  std::string_view summary;
};

constexpr code_info codes[] = {
    {errc::bad_request, 400, "bad_request", "bad request"},
    {errc::unauthorized, 401, "unauthorized", "unauthorized"},
    {errc::not_found, 404, "not_found", "not found"},
    {errc::method_not_allowed, 405, "method_not_allowed", "method not allowed"},
    {errc::payload_too_large, 413, "payload_too_large", "payload too large"},
    {errc::unsupported_media_type, 415, "unsupported_media_type", "unsupported media type"},
    {errc::unmappable, 422, "unmappable", "input cannot be mapped"},
    {errc::upstream_error, 502, "upstream_error", "upstream error"},
    {errc::unavailable, 503, "unavailable", "unavailable"},
    {errc::upstream_timeout, 504, "upstream_timeout", "upstream timeout"},
    {errc::internal_error, 500, "internal_error", "internal error"},
};

// The table is in enum order, so a code finds its row by index.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(codes); ++i) {
    if (static_cast<std::size_t>(codes[i].code) != i + 1) return false;
  }
  return true;
}
static_assert(in_enum_order(), "codes[] must list errc in declaration order");

const code_info& info(errc e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i >= 1 && i <= std::size(codes) ? codes[i - 1] : codes[std::size(codes) - 1];
}

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "ordergate"; }
  std::string message(int ev) const override {
    return std::string(info(static_cast<errc>(ev)).summary);
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const category_impl instance;
  return instance;
}

boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

unsigned to_http_status(errc e) noexcept {
  return info(e).status;
}

std::string_view code_name(errc e) noexcept {
  return info(e).name;
}

std::string render_error_body(const failure& f) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  const auto code = code_name(f.code);
  w.StartObject();
  w.Key("error");
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  w.Key("message");
  // Messages quote what clients sent (a path, a value): invalid UTF-8 there would make
  // the body invalid JSON, so it is replaced.
  const std::string message = valid_utf8(
      f.message.empty() ? error_category().message(static_cast<int>(f.code)) : f.message);
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  // "path" names a place in the client's input (docs/flows.md); an upstream's bad value is
  // named in the message only.
  const bool input_error = f.code == errc::bad_request || f.code == errc::unmappable;
  if (input_error && !f.path.empty()) {
    w.Key("path");
    const std::string path = valid_utf8(f.path);
    w.String(path.data(), static_cast<rapidjson::SizeType>(path.size()));
  }
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace ordergate::core
