// ordergate serve: placeholder until the server lands (issue 3).

#include "commands.hpp"

#include <cstdio>

namespace ordergate::app {

int run_serve(arguments) {
  std::fputs("ordergate serve: the server is not part of this build yet\n", stderr);
  return 2;
}

int run_sync(arguments) {
  std::fputs("ordergate sync: jobs are not part of this build yet\n", stderr);
  return 2;
}

}  // namespace ordergate::app
