#include "pipeline/render.hpp"

#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/core/short_bytes.hpp"
#include "ordergate/mapping/answer_status.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <optional>

namespace ordergate::pipeline {

codec::node headers_node(const http::fields& fields, std::pmr::memory_resource& arena,
                         bool copy_values) {
  std::size_t n = 0;
  for (auto it = fields.begin(); it != fields.end(); ++it)
    ++n;
  auto* members = static_cast<codec::member*>(
      arena.allocate(sizeof(codec::member) * (n + 1), alignof(codec::member)));
  std::size_t i = 0;
  for (const auto& f : fields) {
    // Lower-cased straight into the arena: no temporary string per header.
    const std::string_view name = f.name_string();
    auto* lower = static_cast<char*>(arena.allocate(name.size(), 1));
    for (std::size_t c = 0; c < name.size(); ++c)
      lower[c] = core::lower_ascii(name[c]);
    const std::string_view value = f.value();
    members[i++] = {{lower, name.size()},
                    codec::node::make_string(copy_values ? codec::store(arena, value) : value)};
  }
  return codec::node::make_object(members, static_cast<std::uint32_t>(n));
}

core::failure to_failure(const mapping::eval_failure& e) {
  return {e.code, e.message, e.path};
}

http::response make_response(const http::request& req, unsigned status, std::string body,
                             std::string_view content_type) {
  http::response res;
  res.version(req.version());
  res.result(status);
  res.keep_alive(req.keep_alive());
  // 1xx, 204 and 304 never carry a body; Beast would throw from prepare_payload.
  if (mapping::answerable_status(status) && mapping::status_has_body(status)) {
    if (!content_type.empty()) res.set(beast::http::field::content_type, content_type);
    res.body() = std::move(body);
  }
  res.prepare_payload();
  return res;
}

http::response error_response(const http::request& req, const core::failure& failure) {
  return make_response(req, core::to_http_status(failure.code), core::render_error_body(failure),
                       "application/json");
}

namespace {

/// RFC 9110 5.6.2: the characters of a token, which a header name is.
bool token_char(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c != 0 &&
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

/// Why a rendered header cannot be sent, if it cannot. Names and values can come from
/// input (a template expression yielding an object), so they are checked like input: a
/// name that is not a token or a value with a line break could inject headers (request
/// smuggling), and Beast refuses values of 64 KiB by throwing.
std::optional<std::string> header_problem(std::string_view name, std::string_view value) {
  const auto printable = [](std::string_view s) {
    std::string out;
    for (const char c : s.substr(0, 64))
      out += token_char(static_cast<unsigned char>(c)) ? c : '?';
    return out;
  };
  if (name.empty() || name.size() > max_header_name_bytes ||
      !std::all_of(name.begin(), name.end(),
                   [](char c) { return token_char(static_cast<unsigned char>(c)); })) {
    return "header name '" + printable(name) + "' is not a valid HTTP header name";
  }
  // Built only for a refusal: an accepted header costs no allocation.
  const auto what = [name] { return "header " + std::string(name); };
  // The gateway frames every message itself; a mapping's Content-Length or
  // Transfer-Encoding would desynchronise the connection, and the other hop-by-hop
  // headers belong to the connection, not to the message (RFC 9110 7.6.1).
  static constexpr std::string_view connection_headers[] = {
      "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
      "trailer",        "proxy-connection"};
  for (const std::string_view h : connection_headers) {
    if (boost::beast::iequals(name, h)) return what() + " is set by the gateway, not by a mapping";
  }
  if (value.find_first_of("\r\n") != std::string_view::npos) return what() + " holds a line break";
  if (std::any_of(value.begin(), value.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
      })) {
    return what() + " holds a control character";
  }
  if (value.size() > max_header_value_bytes) {
    return what() + " is longer than " + std::to_string(max_header_value_bytes) + " bytes";
  }
  return std::nullopt;
}

}  // namespace

core::result<void> render_headers(const mapping::template_node& headers, mapping::frame& frame,
                                  http::fields& out) {
  // Reused by each thread: its stacks allocate nothing once they have grown.
  thread_local codec::tree_writer tree(*std::pmr::null_memory_resource());
  tree.reset(frame.arena());
  if (!mapping::render(headers, frame, tree)) return to_failure(*frame.failure());
  const codec::node& rendered = tree.result();
  if (!rendered.is_object())
    return core::failure{core::errc::internal_error, "headers must be an object", {}};
  for (const codec::member& m : rendered.members()) {
    const codec::node& v = m.value;
    if (v.is_null()) continue;
    if (!v.is_string() && !v.is_number()) {
      return core::failure{
          core::errc::unmappable, "header " + std::string(m.key) + " must be text", {}};
    }
    if (const auto problem = header_problem(m.key, v.text()))
      return core::failure{core::errc::unmappable, *problem, {}};
    out.set(m.key, v.text());
  }
  return {};
}

core::result<rendered_body> render_body(const mapping::template_node& body,
                                        const mapping::format_choice& choice, mapping::frame& frame,
                                        std::size_t max_bytes) {
  rendered_body out;
  out.format = choice.fixed;
  if (choice.chosen) {
    const mapping::value name = mapping::evaluate(*choice.chosen, frame);
    if (frame.failed()) return to_failure(*frame.failure());
    const auto chosen = codec::format_from_name(name.as_string());
    if (!chosen) {
      return core::failure{
          core::errc::unmappable,
          "format must be json, xml, form or text, got " + mapping::describe_value(name),
          {}};
    }
    out.format = *chosen;
  }
  codec::encode_options options;
  options.xml = &choice.xml;
  options.max_bytes = max_bytes;
  {
    // The writer completes `out.text` when it goes, so it goes before `out` is returned.
    const auto writer = codec::make_writer(out.format, out.text, options);
    if (!mapping::render(body, frame, *writer)) return to_failure(*frame.failure());
    if (writer->failed()) return core::failure{core::errc::unmappable, *writer->error(), {}};
  }
  return out;
}

http::response render_response(const mapping::response_spec& spec, exchange_state& state) {
  mapping::frame& frame = state.frame;
  const mapping::value status = mapping::evaluate(spec.status, frame);
  if (frame.failed()) return error_response(state.req, to_failure(*frame.failure()));
  const auto code = mapping::numeric(status);
  const auto number = code ? code->to_int64() : std::nullopt;
  if (!number || !mapping::answerable_status(*number)) {
    return error_response(state.req,
                          {core::errc::internal_error, "the mapping chose an invalid status", {}});
  }
  // A 204 or 304 chosen at run time is sent without a body, which is then not rendered.
  const bool with_body = spec.body && mapping::status_has_body(*number);
  rendered_body body;
  if (with_body) {
    auto rendered = render_body(*spec.body, spec.body_format, frame, state.limits.max_output_bytes);
    if (!rendered) return error_response(state.req, rendered.error());
    body = std::move(*rendered);
  }
  http::response res =
      make_response(state.req, static_cast<unsigned>(*number), std::move(body.text),
                    with_body ? codec::media_type(body.format) : std::string_view());
  if (spec.headers) {
    if (auto rendered = render_headers(*spec.headers, frame, res.base()); !rendered)
      return error_response(state.req, rendered.error());
  }
  return res;
}

}  // namespace ordergate::pipeline
