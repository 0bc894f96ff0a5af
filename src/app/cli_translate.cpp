// ordergate translate FILE [--input NAME=PATH ...]: evaluate one mapping offline.

#include "app/commands.hpp"
#include "ordergate/codec/json.hpp"
#include "ordergate/core/file.hpp"
#include "ordergate/mapping/mapping.hpp"
#include "ordergate/tooling/offline.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace ordergate::app {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;

constexpr const char* help =
    R"(usage: ordergate translate FILE [--input NAME=PATH ...] [--env NAME=VALUE ...]
                           [--query QUERY] [--header 'Name: value'] [--status STEP=CODE]

Runs the mapping FILE offline and prints every call it would make upstream and
the answer it would give, so that a change can be tried without a server or a
vendor. Other files of FILE's folder are loaded too (documents, tables).

For a route: --input request=PATH is the inbound body; --input STEP=PATH is what
upstream step STEP answers (status 200 unless --status STEP=CODE; a .xml file is
served as XML). The Bearer key of the route is sent unless --header gives one.
For a document mapping: --input input=PATH is its input.

Configuration comes from the environment, overridden by --env.

examples:
  ordergate translate mappings/imshop-order-history.jsonc \
      --env WEBASYST_URL=https://shop.example --env WEBASYST_TOKEN=t --env IMSHOP_KEY=k \
      --input request=request.json --input search=tests/data/webasyst/order_search_c2_default.json
  ordergate translate mappings/giftcard-market-import.jsonc --query format=xml \
      --env MARKET_URL=https://market.example --env MARKET_TOKEN=t --env SHOP_WEBHOOK_KEY=k \
      --input request=page.json --input market=ok.json
  ordergate translate mappings/giftcard-market-order.jsonc --input input=order.json)";

std::string read_file(const std::string& path) {
  auto text = core::read_file(path);
  if (!text) throw std::runtime_error("cannot read " + path);
  return std::move(*text);
}

std::pair<std::string, std::string> split(std::string_view arg, char sep, const char* what) {
  const auto at = arg.find(sep);
  if (at == std::string_view::npos)
    throw std::runtime_error(std::string(what) + " must look like NAME" + sep + "VALUE");
  std::string value(arg.substr(at + 1));
  while (sep == ':' && !value.empty() && value.front() == ' ')
    value.erase(0, 1);
  return {std::string(arg.substr(0, at)), value};
}

/// Pretty JSON when the text is JSON, else the text itself.
std::string pretty(const std::string& text) {
  std::pmr::monotonic_buffer_resource arena;
  auto doc = codec::decode_json_copy(text, arena);
  return doc ? codec::to_json(*doc, codec::json_style::pretty) : text;
}

struct options {
  std::string file;
  std::map<std::string, std::string> inputs;
  std::map<std::string, std::string> env;
  std::map<std::string, unsigned> statuses;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string query;
};

options parse(arguments args) {
  options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--input" && has_value) {
      o.inputs.insert(split(args[++i], '=', "--input"));
    } else if (a == "--env" && has_value) {
      o.env.insert(split(args[++i], '=', "--env"));
    } else if (a == "--status" && has_value) {
      auto [step, code] = split(args[++i], '=', "--status");
      o.statuses[step] = static_cast<unsigned>(std::stoul(code));
    } else if (a == "--header" && has_value) {
      o.headers.push_back(split(args[++i], ':', "--header"));
    } else if (a == "--query" && has_value) {
      o.query = args[++i];
    } else if (!a.starts_with("--") && o.file.empty()) {
      o.file = a;
    } else {
      throw std::runtime_error("unexpected argument '" + std::string(a) + "' (see --help)");
    }
  }
  if (o.file.empty()) throw std::runtime_error("which mapping file? (see --help)");
  return o;
}

int translate_document(const mapping::compiled_document& doc, const options& o) {
  const auto in = o.inputs.find("input");
  if (in == o.inputs.end()) throw std::runtime_error("a document mapping needs --input input=PATH");
  std::pmr::monotonic_buffer_resource arena;
  auto input = codec::decode_json_copy(read_file(in->second), arena);
  if (!input) throw std::runtime_error(in->second + ": " + input.error().message);
  auto out = tooling::run_document(doc, *input);
  if (!out) {
    std::printf("error %s: %s\n", std::string(core::code_name(out.error().code)).c_str(),
                out.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", pretty(*out).c_str());
  return 0;
}

int translate_route(std::shared_ptr<const mapping::compiled_route> route, const options& o) {
  http::request req;
  req.version(11);
  req.method_string(route->method);
  req.target(route->path + (o.query.empty() ? "" : "?" + o.query));
  req.set(beast::http::field::host, "ordergate.local");
  if (route->auth.scheme == mapping::auth_spec::kind::bearer)
    req.set(beast::http::field::authorization, "Bearer " + route->auth.key);
  for (const auto& [k, v] : o.headers)
    req.set(k, v);
  if (const auto in = o.inputs.find("request"); in != o.inputs.end()) {
    req.body() = read_file(in->second);
    if (req.find(beast::http::field::content_type) == req.end()) {
      req.set(beast::http::field::content_type,
              in->second.ends_with(".xml") ? "application/xml" : "application/json");
    }
  }
  req.prepare_payload();
  auto caller = std::make_shared<tooling::recording_caller>();
  for (const auto& [name, path] : o.inputs) {
    if (name == "request") continue;
    tooling::recorded_answer a;
    a.body = read_file(path);
    a.headers.set(beast::http::field::content_type,
                  path.ends_with(".xml") ? "text/xml; charset=utf-8" : "application/json");
    if (const auto s = o.statuses.find(name); s != o.statuses.end()) a.status = s->second;
    caller->answers[name] = std::move(a);
  }
  const http::response res = tooling::run_offline(route, std::move(req), caller);
  for (const auto& call : caller->calls) {
    std::printf("=> call %s: %s %s\n", call.step.c_str(),
                std::string(beast::http::to_string(call.request.method)).c_str(),
                std::string(call.request.url.buffer()).c_str());
    for (const auto& h : call.request.headers) {
      std::printf("   %s: %s\n", std::string(h.name_string()).c_str(),
                  std::string(h.value()).c_str());
    }
    if (!call.request.body.empty()) std::printf("%s\n", pretty(call.request.body).c_str());
  }
  for (const std::string& step : caller->unanswered) {
    std::printf("(no answer given for step '%s': pass --input %s=FILE)\n", step.c_str(),
                step.c_str());
  }
  std::printf("<= answer %u\n", res.result_int());
  for (const auto& h : res.base()) {
    std::printf("   %s: %s\n", std::string(h.name_string()).c_str(),
                std::string(h.value()).c_str());
  }
  std::printf("%s\n", pretty(res.body()).c_str());
  return res.result_int() < 400 ? 0 : 1;
}

}  // namespace

int run_translate(arguments args) {
  if (wants_help(args)) {
    std::puts(help);
    return 0;
  }
  const options o = parse(args);
  const fs::path file = fs::absolute(o.file);
  const auto base_env = mapping::process_environment();
  const auto env = [&](std::string_view name) -> std::optional<std::string> {
    if (const auto it = o.env.find(std::string(name)); it != o.env.end()) return it->second;
    return base_env(name);
  };
  const auto loaded = mapping::load_folder(file.parent_path().string(), env);
  if (!loaded.mappings) {
    for (const auto& d : loaded.errors.items())
      std::fprintf(stderr, "%s\n", d.to_string().c_str());
    return 1;
  }
  const std::string stem = file.stem().string();
  for (const auto& r : loaded.mappings->routes) {
    if (r->name == stem) return translate_route(r, o);
  }
  for (const auto& [name, doc] : loaded.mappings->documents) {
    if (fs::path(doc->where.file ? *doc->where.file : "").stem() == stem)
      return translate_document(*doc, o);
  }
  std::fprintf(stderr, "ordergate translate: %s is not a route or document mapping\n",
               o.file.c_str());
  return 1;
}

}  // namespace ordergate::app
