#pragma once
// The commands of the ordergate executable. Each returns the process exit status.

#include <span>
#include <string_view>

namespace ordergate::app {

using arguments = std::span<const std::string_view>;

int run_check(arguments args);
int run_test(arguments args);
int run_translate(arguments args);
int run_serve(arguments args);
int run_sync(arguments args);
int run_playground(arguments args);

/// True when `args` asks for help (-h or --help).
bool wants_help(arguments args);

}  // namespace ordergate::app
