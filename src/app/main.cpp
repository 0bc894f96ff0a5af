// ordergate: the command line. Wiring only; every command lives in its own file.

#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: ordergate <command> [options]\n", stderr);
    return 2;
  }
  std::fprintf(stderr, "ordergate: unknown command '%s'\n", argv[1]);
  return 2;
}
