#pragma once
// Whole files read into memory (mapping files, golden cases, job state).

#include <optional>
#include <string>

namespace ordergate::core {

/// The bytes of the file at `path`, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::string& path);

}  // namespace ordergate::core
