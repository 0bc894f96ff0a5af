#pragma once
// A writer that builds a document in an arena, so that rendered output can be
// kept as data (jobs render one document per item, then batch them).

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/writer.hpp"

#include <memory_resource>
#include <vector>

namespace ordergate::codec {

class tree_writer final : public writer {
 public:
  /// With `copy_strings` false, strings and keys are kept as given: the caller
  /// guarantees they outlive the tree (in-situ decoding).
  explicit tree_writer(std::pmr::memory_resource& arena, bool copy_strings = true);

  /// Forgets any partial document and builds the next one into `arena`.
  void reset(std::pmr::memory_resource& arena);

  void null() override;
  void boolean(bool b) override;
  void number(std::string_view literal) override;
  void string(std::string_view s) override;
  void begin_object() override;
  void key(std::string_view k) override;
  void end_object() override;
  void begin_array() override;
  void end_array() override;

  /// The finished document (null until a complete value was written).
  const node& result() const noexcept { return root_; }

 private:
  void place(node n);
  std::string_view keep(std::string_view s) { return copy_strings_ ? store(*arena_, s) : s; }
  std::pmr::memory_resource* arena_;
  bool copy_strings_;
  struct frame {
    bool object;
    bool awaiting_value;  // a key was written and its value has not come yet
    std::size_t first;    // index into members_ or items_
  };
  std::vector<frame> frames_;
  std::vector<member> members_;
  std::vector<node> items_;
  node root_;
};

}  // namespace ordergate::codec
