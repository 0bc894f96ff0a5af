#pragma once
// Where an upstream answer is read: a Beast dynamic buffer whose storage becomes the
// answer body's, and a Beast body type that leaves the body where it was read.

#include "ordergate/http/answer_body.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace ordergate::http {

/// A Beast DynamicBuffer (v1) over one block of memory. Unlike beast::flat_buffer,
/// consumed bytes stay where they are: the body's bytes, read after the header, are
/// never moved by the reads that follow. Growing copies what was read into a larger
/// block; one byte past the readable part is always free for the body's closing NUL.
class answer_buffer {
 public:
  using const_buffers_type = boost::asio::const_buffer;
  using mutable_buffers_type = boost::asio::mutable_buffer;

  /// The first block holds `first_answer_block` bytes less the NUL's: an answer that
  /// fits arrives in one read.
  answer_buffer();

  std::size_t size() const noexcept { return out_ - in_; }
  std::size_t max_size() const noexcept { return max_readable; }
  /// Readable bytes and free room together (what Beast sizes its reads by).
  std::size_t capacity() const noexcept { return room_ - in_; }
  const_buffers_type data() const noexcept { return {base() + in_, size()}; }
  mutable_buffers_type data() noexcept { return {base() + in_, size()}; }
  mutable_buffers_type prepare(std::size_t n);
  void commit(std::size_t n) noexcept { out_ += n < prepared_ ? n : prepared_, prepared_ = 0; }
  void consume(std::size_t n) noexcept { in_ += n < size() ? n : size(); }

  /// A body of `length` bytes follows what was read: if the block must grow, it grows
  /// once, to hold all of it.
  void expect_body(std::size_t length) noexcept {
    if (length <= max_readable) expected_end_ = out_ + length;  // else: grow as it comes
  }

  /// The body so far is followed by `bytes` (a part of data()): they join it. Bytes
  /// that do not follow it directly (chunked framing in between) are moved up to it.
  void append_body(const void* bytes, std::size_t n) noexcept;
  /// The body read, NUL-terminated; empty when there was none. A body takes the block
  /// with it: this is the buffer's last use.
  answer_body body();

 private:
  /// No bound of its own: the parser's header and body limits bound what is read.
  static constexpr std::size_t max_readable = static_cast<std::size_t>(-1) / 4;

  char* base() const noexcept { return block_.get(); }

  answer_block block_;
  std::size_t room_ = 0;          ///< usable bytes of block_ (one more holds the NUL)
  std::size_t in_ = 0;            ///< first readable byte
  std::size_t out_ = 0;           ///< past the last readable byte
  std::size_t prepared_ = 0;      ///< bytes handed out by the last prepare()
  std::size_t expected_end_ = 0;  ///< where a body of known length ends at the latest
  std::size_t body_at_ = 0;
  std::size_t body_size_ = 0;
  bool has_body_ = false;
};

/// A Beast body type for answers read into an answer_buffer: the body's bytes stay in
/// the buffer (answer_buffer::append_body). `value_type` names the buffer; set it before
/// reading (the parser makes its reader before that, so the reader looks it up late).
struct in_place_body {
  struct value_type {
    answer_buffer* buffer = nullptr;
  };

  class reader {
   public:
    template <bool is_request, class Fields>
    reader(boost::beast::http::header<is_request, Fields>& /*header*/, value_type& body)
        : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::system::error_code& ec) {
      // Beast checks the length against the body limit before it gets here.
      if (length) body_.buffer->expect_body(static_cast<std::size_t>(*length));
      ec = {};
    }

    template <class Buffers>
    std::size_t put(const Buffers& buffers, boost::system::error_code& ec) {
      std::size_t taken = 0;
      for (const auto b : boost::beast::buffers_range_ref(buffers)) {
        body_.buffer->append_body(b.data(), b.size());
        taken += b.size();
      }
      ec = {};
      return taken;
    }

    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace ordergate::http
