#include "ordergate/codec/output_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ordergate::codec {
namespace {

/// The buffer kept between documents on each thread.
struct spare_buffer {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
};
thread_local spare_buffer spare;
constexpr std::size_t first_capacity = 16 * 1024;
constexpr std::size_t kept_capacity = 1024 * 1024;

}  // namespace

void output_buffer::start() {
  std::size_t capacity = std::exchange(spare.capacity, 0);
  data_ = std::move(spare.data);
  if (!data_) {
    data_ = std::make_unique_for_overwrite<char[]>(first_capacity);
    capacity = first_capacity;
  }
  pos_ = data_.get();
  end_ = pos_ + capacity;
}

output_buffer::~output_buffer() {
  if (!data_) return;
  flush();
  const auto capacity = static_cast<std::size_t>(end_ - data_.get());
  if (capacity <= kept_capacity && capacity > spare.capacity) {
    spare.data = std::move(data_);
    spare.capacity = capacity;
  }
}

void output_buffer::flush() {
  out_.append(data_.get(), pending());
  pos_ = data_.get();
}

void output_buffer::grow(std::size_t n) {
  const std::size_t used = pending();
  const std::size_t capacity =
      std::max(static_cast<std::size_t>(end_ - data_.get()) * 2, used + n + 256);
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (used != 0) std::memcpy(bigger.get(), data_.get(), used);
  data_ = std::move(bigger);
  pos_ = data_.get() + used;
  end_ = data_.get() + capacity;
}

}  // namespace ordergate::codec
