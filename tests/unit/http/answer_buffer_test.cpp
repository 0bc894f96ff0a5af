// Answers read into an answer_buffer through Beast's parser, as the upstream connection
// reads them but from memory, in reads of any size: the body stays where it was read,
// is NUL-terminated, outlives the buffer, and comes out whole however it is framed.
#include "http/answer_buffer.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>

using namespace ordergate::http;
namespace bhttp = boost::beast::http;

namespace {

struct read_result {
  answer_body body;
  unsigned status = 0;
  std::size_t leftover = 0;
};

/// Feeds `wire` to a parser over `buffer` in reads of at most `piece` bytes, as Beast's
/// read loop does: prepare, commit, parse what is readable, consume what was parsed.
read_result read_answer(answer_buffer& buffer, const std::string& wire, std::size_t piece,
                        std::size_t& at) {
  bhttp::response_parser<in_place_body> parser;
  parser.get().body().buffer = &buffer;
  parser.eager(true);
  read_result r;
  for (;;) {
    if (buffer.size() > 0) {
      boost::system::error_code ec;
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (parser.is_done()) break;
      BOOST_REQUIRE_MESSAGE(!ec || ec == bhttp::error::need_more, ec.message());
      if (!ec && used > 0) continue;
    }
    if (at == wire.size()) {  // the peer closed: the end of a body framed by the close
      boost::system::error_code ec;
      parser.put_eof(ec);
      BOOST_REQUIRE_MESSAGE(!ec, ec.message());
      break;
    }
    const std::size_t n = std::min(piece, wire.size() - at);
    const auto room = buffer.prepare(n);
    std::memcpy(room.data(), wire.data() + at, n);
    buffer.commit(n);
    at += n;
  }
  BOOST_REQUIRE(parser.is_done());
  r.status = parser.get().result_int();
  r.body = buffer.body();
  r.leftover = buffer.size();
  return r;
}

std::string every_byte(std::size_t size) {
  std::string s;
  for (std::size_t i = 0; s.size() < size; ++i)
    s += static_cast<char>((i * 7 + i / 256) % 256);
  return s;
}

std::string chunked(const std::string& body, std::size_t chunk) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::string piece = body.substr(at, chunk);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(answer_buffer_reads)

// The common case: the whole answer in the first read. The body is a view of the block
// it was read into, right after the header, with a NUL after it.
BOOST_AUTO_TEST_CASE(an_answer_that_fits_is_read_in_place) {
  const std::string body = R"({"orders":[1,2,3]})";
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  answer_buffer buffer;
  const char* block = static_cast<const char*>(buffer.prepare(1).data());
  std::size_t at = 0;
  const read_result r = read_answer(buffer, wire, 4096, at);
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body.view() == body);
  BOOST_TEST(r.body.data() == block + (wire.size() - body.size()));  // not copied
  BOOST_TEST(r.body.data()[r.body.size()] == '\0');
  BOOST_TEST(r.leftover == 0u);
}

// Bodies larger than the first block, in reads of every size, framed by length, by
// chunks (the framing squeezed out in place) and by the close; every byte value.
BOOST_AUTO_TEST_CASE(larger_answers_come_out_whole_however_framed_and_read) {
  const std::string body = every_byte(200'000);
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
  const std::string framings[] = {
      head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
      head + "Transfer-Encoding: chunked\r\n\r\n" + chunked(body, 1000),
      head + "Transfer-Encoding: chunked\r\n\r\n" + chunked(body, 7),
      head + "Connection: close\r\n\r\n" + body,
  };
  for (const std::string& wire : framings) {
    for (const std::size_t piece : {1u, 13u, 512u, 4096u, 65536u, 1u << 20}) {
      BOOST_TEST_CONTEXT("framing of " << wire.size() << " bytes, reads of " << piece) {
        answer_buffer buffer;
        std::size_t at = 0;
        const read_result r = read_answer(buffer, wire, piece, at);
        BOOST_TEST((r.body.view() == body));
        BOOST_TEST(r.body.data()[r.body.size()] == '\0');
        BOOST_TEST(r.leftover == 0u);
      }
    }
  }
}

// The body shares the buffer's memory: it stays valid once the buffer is gone.
BOOST_AUTO_TEST_CASE(the_body_outlives_the_buffer) {
  const std::string body = every_byte(10'000);
  const std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  answer_body kept;
  {
    answer_buffer buffer;
    std::size_t at = 0;
    kept = read_answer(buffer, wire, 700, at).body;
  }
  BOOST_TEST((kept.view() == body));
  BOOST_TEST(kept.data()[kept.size()] == '\0');
}

// An interim answer first, then the final one on the same buffer; bytes after the final
// answer are left unread (the connection is then not reused).
BOOST_AUTO_TEST_CASE(interim_answers_and_leftover_bytes) {
  const std::string wire =
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 200 OK\r\n";
  answer_buffer buffer;
  std::size_t at = 0;
  const read_result interim = read_answer(buffer, wire, wire.size(), at);
  BOOST_TEST(interim.status == 103u);
  BOOST_TEST(interim.body.empty());
  const read_result final_answer = read_answer(buffer, wire, wire.size(), at);
  BOOST_TEST(final_answer.status == 200u);
  BOOST_TEST(final_answer.body.view() == "hello");
  BOOST_TEST(final_answer.body.data()[5] == '\0');
  BOOST_TEST(final_answer.leftover == std::string("HTTP/1.1 200 OK\r\n").size());
}

// No body: the empty body still reads as a NUL-terminated empty text.
BOOST_AUTO_TEST_CASE(an_answer_without_body) {
  answer_buffer buffer;
  std::size_t at = 0;
  const read_result r = read_answer(buffer, "HTTP/1.1 204 No Content\r\n\r\n", 1000, at);
  BOOST_TEST(r.status == 204u);
  BOOST_TEST(r.body.empty());
  BOOST_TEST(r.body.data()[0] == '\0');
}

// Blocks of the first size come back from the thread's spares, others are freed: a
// spare is always a whole first block (under AddressSanitizer, writing all of it would
// catch a smaller one).
BOOST_AUTO_TEST_CASE(blocks_kept_for_the_next_answer_are_whole) {
  {
    answer_block other = allocate_answer_block(100);
    answer_block first = allocate_answer_block(first_answer_block);
  }
  for (int i = 0; i < 3; ++i) {
    answer_block b = allocate_answer_block(first_answer_block);
    std::memset(b.get(), 'x', first_answer_block);
    BOOST_TEST(b.get_deleter().size == first_answer_block);
  }
}

// Copies of recorded text own theirs; borrowed bytes are the caller's.
BOOST_AUTO_TEST_CASE(a_body_made_from_text_is_a_copy) {
  std::string text = "{\"a\":1}";
  const answer_body body(text);
  text[2] = 'b';
  BOOST_TEST(body.view() == "{\"a\":1}");
  BOOST_TEST(body.data()[body.size()] == '\0');
  BOOST_TEST(answer_body(std::string()).empty());
  const answer_body borrowed = answer_body::borrow(text.data(), text.size());
  BOOST_TEST(borrowed.data() == text.data());
}

BOOST_AUTO_TEST_SUITE_END()
