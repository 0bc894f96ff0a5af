#pragma once
// A temporary directory for one test (state files, an editable copy of the mappings),
// removed with everything in it when the test ends.

#include <filesystem>
#include <string_view>

namespace ordergate::testing {

class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Copies the mappings folder `from` (with its schema/ and tests/) to `into`/mappings
/// and returns that folder.
std::filesystem::path copy_mappings(const std::filesystem::path& from,
                                    const std::filesystem::path& into);

/// Replaces the first `from` in the file with `to`; throws when `from` is not there,
/// so that a test never silently edits nothing.
void replace_in_file(const std::filesystem::path& file, std::string_view from, std::string_view to);

void write_file(const std::filesystem::path& file, std::string_view text);

}  // namespace ordergate::testing
