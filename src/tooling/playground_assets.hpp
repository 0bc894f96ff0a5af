#pragma once
// The files of the playground's page, built into the binary (cmake/embed-assets.cmake
// generates their definition from src/tooling/playground/ and Debian's CodeMirror).

#include <span>
#include <string_view>

namespace ordergate::tooling::playground {

struct asset {
  std::string_view path;          ///< where the page asks for it, e.g. "/playground.js"
  std::string_view content_type;  ///< e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

/// Every asset, the page ("/") first.
std::span<const asset> assets();

}  // namespace ordergate::tooling::playground
