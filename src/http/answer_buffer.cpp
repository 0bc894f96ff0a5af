#include "http/answer_buffer.hpp"

#include <boost/assert.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ordergate::http {

answer_buffer::answer_buffer()
    : block_(allocate_answer_block(first_answer_block)), room_(first_answer_block - 1) {}

boost::asio::mutable_buffer answer_buffer::prepare(std::size_t n) {
  if (n > max_readable - size()) throw std::length_error("answer_buffer: too large");
  if (n > room_ - out_) {
    // Once, to hold the whole body when its length is known; else doubling.
    const std::size_t room = std::max(out_ + n, expected_end_ > out_ ? expected_end_ : 2 * room_);
    answer_block larger = allocate_answer_block(room + 1);
    // What is still needed keeps its offset: the body's bytes and the unread ones.
    const std::size_t keep = has_body_ ? std::min(body_at_, in_) : in_;
    std::memcpy(larger.get() + keep, base() + keep, out_ - keep);
    block_ = std::move(larger);
    room_ = room;
  }
  prepared_ = n;
  return {base() + out_, n};
}

void answer_buffer::append_body(const void* bytes, std::size_t n) noexcept {
  const auto* p = static_cast<const char*>(bytes);
  // Beast hands over parts of data(), which is one block: never bytes of its own.
  BOOST_ASSERT(p >= base() + in_ && p + n <= base() + out_);
  const auto at = static_cast<std::size_t>(p - base());
  if (!has_body_) {
    has_body_ = true;
    body_at_ = at;
  } else if (at != body_at_ + body_size_) {
    // Framing in between (a chunk's size line), already parsed: the bytes move down
    // over it, never past the end of their own place.
    std::memmove(base() + body_at_ + body_size_, p, n);
  }
  body_size_ += n;
}

answer_body answer_buffer::body() {
  if (!has_body_ || body_size_ == 0) return {};
  block_[body_at_ + body_size_] = '\0';  // past the body, within the block's spare byte
  return answer_body(std::move(block_), body_at_, body_size_);
}

}  // namespace ordergate::http
