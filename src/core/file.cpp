#include "ordergate/core/file.hpp"

#include <fstream>
#include <sstream>

namespace ordergate::core {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

}  // namespace ordergate::core
