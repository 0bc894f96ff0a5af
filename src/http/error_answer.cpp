#include "http/error_answer.hpp"

namespace ordergate::http {

response make_error_answer(core::errc code, std::string message, unsigned version,
                           bool keep_alive) {
  response res{static_cast<beast::http::status>(core::to_http_status(code)), version};
  res.set(beast::http::field::content_type, "application/json");
  res.body() = core::render_error_body(core::failure{code, std::move(message), {}});
  res.keep_alive(keep_alive);
  res.content_length(res.body().size());
  return res;
}

}  // namespace ordergate::http
