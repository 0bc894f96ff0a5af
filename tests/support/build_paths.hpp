#pragma once
// Where this build put the gateway binary, the sources and the test data.
// tests/CMakeLists.txt defines ORDERGATE_BINARY, ORDERGATE_SOURCE_DIR and
// ORDERGATE_TEST_DATA for each test program (not for the support library), so the
// support code takes these paths as arguments and test files get them from here.

#include <filesystem>

namespace ordergate::testing {

struct build_paths {
  std::filesystem::path binary;      ///< the ordergate executable
  std::filesystem::path source_dir;  ///< the repository root
  std::filesystem::path test_data;   ///< tests/data

  std::filesystem::path mappings() const { return source_dir / "mappings"; }
  std::filesystem::path tls(const char* file) const { return test_data / "tls" / file; }
};

#if defined(ORDERGATE_BINARY) && defined(ORDERGATE_SOURCE_DIR) && defined(ORDERGATE_TEST_DATA)
/// The paths of the test program including this header.
inline build_paths this_build() {
  return {ORDERGATE_BINARY, ORDERGATE_SOURCE_DIR, ORDERGATE_TEST_DATA};
}
#endif

}  // namespace ordergate::testing
