#include "support/scratch_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace ordergate::testing {

namespace fs = std::filesystem;

scratch_dir::scratch_dir() {
  std::string pattern = (fs::temp_directory_path() / "ordergate-it-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

scratch_dir::~scratch_dir() {
  std::error_code ignored;  // a leftover temp dir must not fail the test
  fs::remove_all(path_, ignored);
}

fs::path copy_mappings(const fs::path& from, const fs::path& into) {
  const fs::path target = into / "mappings";
  fs::copy(from, target, fs::copy_options::recursive);
  return target;
}

void replace_in_file(const fs::path& file, std::string_view from, std::string_view to) {
  std::ifstream in(file, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto at = text.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error(file.string() + " does not contain '" + std::string(from) + "'");
  }
  text.replace(at, from.size(), to);
  write_file(file, text);
}

void write_file(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace ordergate::testing
