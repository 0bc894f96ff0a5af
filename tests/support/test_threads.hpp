#pragma once
// How many threads run the io_context of every server and client a test starts: 1 when
// ORDERGATE_TEST_THREADS is 1, else 2. With 1 they are told so (`single_thread`) and
// run without strands, as `ordergate serve` does with ORDERGATE_THREADS=1; CTest runs
// the network tests once more that way (tests/CMakeLists.txt).

#include <cstdlib>
#include <string_view>

namespace ordergate::testing {

inline unsigned test_threads() {
  const char* value = std::getenv("ORDERGATE_TEST_THREADS");
  return value && std::string_view(value) == "1" ? 1 : 2;
}

}  // namespace ordergate::testing
