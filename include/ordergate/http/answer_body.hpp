#pragma once
// The body of an upstream answer, kept in the memory it was read into: the kernel
// writes the bytes there and the decoders read them there, with no copy in between.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ordergate::http {

/// Frees a block of answer memory, or keeps it for the thread's next answer.
struct answer_block_release {
  std::size_t size = 0;
  void operator()(char* block) const noexcept;
};
/// Memory an answer is read into (answer_buffer.hpp).
using answer_block = std::unique_ptr<char[], answer_block_release>;

/// A block of `size` bytes, uninitialised. Blocks of the size answers are first read
/// into are kept by each thread, a few at most, and handed out again: no 64 KB
/// allocation and release for each answer.
answer_block allocate_answer_block(std::size_t size);
/// The size of the blocks answers are first read into (and that threads keep).
inline constexpr std::size_t first_answer_block = 64 * 1024 + 1;

/// Bytes followed by a NUL byte (the JSON reader stops on it). Decoding may rewrite the
/// bytes in place (JSON that the fast reader refuses goes to RapidJSON's in-situ
/// parser), so a body is decoded once.
class answer_body {
 public:
  answer_body() noexcept = default;
  /// A copy of `text` in a block of its own (recorded answers, tests).
  answer_body(std::string_view text);
  answer_body(const std::string& text) : answer_body(std::string_view(text)) {}
  answer_body(const char* text) : answer_body(std::string_view(text)) {}
  /// The `size` bytes at `offset` of `block`, which holds a NUL byte right after them.
  answer_body(answer_block block, std::size_t offset, std::size_t size) noexcept
      : block_(std::move(block)), data_(block_.get() + offset), size_(size) {}
  /// The `size` bytes at `data` (followed by a NUL byte), which the caller owns and keeps
  /// while the body is used: the same bytes handed over again and again (benchmarks).
  static answer_body borrow(char* data, std::size_t size) noexcept;

  answer_body(answer_body&&) noexcept = default;
  answer_body& operator=(answer_body&&) noexcept = default;

  char* data() noexcept { return data_; }
  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view view() const noexcept { return {data_, size_}; }
  operator std::string_view() const noexcept { return view(); }

  friend bool operator==(const answer_body& a, std::string_view b) noexcept {
    return a.view() == b;
  }

 private:
  static char* no_bytes() noexcept;  ///< a NUL byte, for empty bodies

  answer_block block_;
  char* data_ = no_bytes();
  std::size_t size_ = 0;
};

}  // namespace ordergate::http
