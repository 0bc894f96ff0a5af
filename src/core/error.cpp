#include "ordergate/core/error.hpp"

#include "ordergate/core/utf8.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ordergate::core {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "ordergate"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::bad_request:
        return "bad request";
      case errc::unauthorized:
        return "unauthorized";
      case errc::not_found:
        return "not found";
      case errc::method_not_allowed:
        return "method not allowed";
      case errc::payload_too_large:
        return "payload too large";
      case errc::unsupported_media_type:
        return "unsupported media type";
      case errc::unmappable:
        return "input cannot be mapped";
      case errc::upstream_error:
        return "upstream error";
      case errc::unavailable:
        return "unavailable";
      case errc::upstream_timeout:
        return "upstream timeout";
      case errc::internal_error:
        return "internal error";
    }
    return "unknown error";
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
  switch (e) {
    case errc::bad_request:
      return 400;
    case errc::unauthorized:
      return 401;
    case errc::not_found:
      return 404;
    case errc::method_not_allowed:
      return 405;
    case errc::payload_too_large:
      return 413;
    case errc::unsupported_media_type:
      return 415;
    case errc::unmappable:
      return 422;
    case errc::upstream_error:
      return 502;
    case errc::unavailable:
      return 503;
    case errc::upstream_timeout:
      return 504;
    case errc::internal_error:
      return 500;
  }
  return 500;
}

std::string_view code_name(errc e) noexcept {
  switch (e) {
    case errc::bad_request:
      return "bad_request";
    case errc::unauthorized:
      return "unauthorized";
    case errc::not_found:
      return "not_found";
    case errc::method_not_allowed:
      return "method_not_allowed";
    case errc::payload_too_large:
      return "payload_too_large";
    case errc::unsupported_media_type:
      return "unsupported_media_type";
    case errc::unmappable:
      return "unmappable";
    case errc::upstream_error:
      return "upstream_error";
    case errc::unavailable:
      return "unavailable";
    case errc::upstream_timeout:
      return "upstream_timeout";
    case errc::internal_error:
      return "internal_error";
  }
  return "internal_error";
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
