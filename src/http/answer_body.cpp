#include "ordergate/http/answer_body.hpp"

#include <cstring>
#include <vector>

namespace ordergate::http {
namespace {

/// Set once the thread's spares are destroyed (at its exit): a block released after that
/// is freed. Trivially destructible, so it outlives the spares.
thread_local bool spares_gone = false;

/// Each thread's spare first blocks: as many as answers it holds at once, in the
/// common case; a few at most.
class spare_blocks {
 public:
  spare_blocks() { blocks_.reserve(max_kept); }
  ~spare_blocks() {
    spares_gone = true;
    for (char* b : blocks_)
      delete[] b;
  }
  char* take() noexcept {
    if (blocks_.empty()) return nullptr;
    char* b = blocks_.back();
    blocks_.pop_back();
    return b;
  }
  bool keep(char* b) noexcept {
    if (blocks_.size() >= max_kept) return false;
    blocks_.push_back(b);  // never allocates: room for max_kept was reserved
    return true;
  }

 private:
  static constexpr std::size_t max_kept = 4;
  std::vector<char*> blocks_;
};

thread_local spare_blocks spares;

}  // namespace

void answer_block_release::operator()(char* block) const noexcept {
  if (size == first_answer_block && !spares_gone && spares.keep(block)) return;
  delete[] block;
}

answer_block allocate_answer_block(std::size_t size) {
  char* b = size == first_answer_block && !spares_gone ? spares.take() : nullptr;
  if (!b) b = new char[size];
  return answer_block(b, answer_block_release{size});
}

answer_body::answer_body(std::string_view text) {
  if (text.empty()) return;
  block_ = allocate_answer_block(text.size() + 1);
  std::memcpy(block_.get(), text.data(), text.size());
  block_[text.size()] = '\0';
  data_ = block_.get();
  size_ = text.size();
}

answer_body answer_body::borrow(char* data, std::size_t size) noexcept {
  answer_body b;
  b.data_ = data;
  b.size_ = size;
  return b;
}

char* answer_body::no_bytes() noexcept {
  // Never written: a decoder given no bytes writes none.
  static char nul = '\0';
  return &nul;
}

}  // namespace ordergate::http
