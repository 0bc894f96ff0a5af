#pragma once
// Where an encoder writes its bytes before they are appended to the caller's string:
// a buffer of the encoder's own, written through a pointer with no size bookkeeping
// per byte, and kept from one document to the next on each thread.

#include <cstddef>
#include <memory>
#include <string>

namespace ordergate::codec {

/// An encoder's buffer. It takes the thread's spare buffer when it starts (one nested in
/// another encoder's work finds it taken and allocates its own) and gives it back when
/// destroyed, unless it grew past what is worth keeping. Bytes go to the output string
/// at each `flush` and at destruction.
class output_buffer {
 public:
  explicit output_buffer(std::string& out) noexcept : out_(out) {}
  ~output_buffer();
  output_buffer(const output_buffer&) = delete;
  output_buffer& operator=(const output_buffer&) = delete;

  /// Takes a buffer. Nothing is written before; an encoder that never starts (the
  /// pretty JSON writer) costs nothing.
  void start();
  bool started() const noexcept { return data_ != nullptr; }

  /// Where the next byte goes, with room for at least `n` bytes from there. The encoder
  /// writes them and then says how far with `written_to`.
  char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) [[unlikely]]
      grow(n);
    return pos_;
  }
  /// Everything before `p` (a place in the last `room`) is written.
  void written_to(char* p) noexcept { pos_ = p; }

  /// Bytes written, appended to the output string or not yet.
  std::size_t size() const noexcept { return out_.size() + pending(); }
  /// Drops what was written after `size()` was `n`, with no flush in between.
  void cut_to(std::size_t n) noexcept { pos_ = data_.get() + (n - out_.size()); }
  /// Appends the bytes written since the last flush to the output string.
  void flush();

 private:
  std::size_t pending() const noexcept { return static_cast<std::size_t>(pos_ - data_.get()); }
  void grow(std::size_t n);

  std::string& out_;
  std::unique_ptr<char[]> data_;
  char* pos_ = nullptr;
  char* end_ = nullptr;
};

}  // namespace ordergate::codec
