#pragma once
// The fake shop's orders: loaded from the recorded Webasyst answers, served back in
// Webasyst's exact JSON style, and changed in memory by delete actions.

#include "ordergate/codec/document.hpp"
#include "ordergate/codec/writer.hpp"
#include "sandbox/search_hash.hpp"

#include <cstdint>
#include <filesystem>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::sandbox {

/// A recorded answer: the status of its .meta.txt and the bytes of its body.
struct recorded_answer {
  unsigned status = 200;
  std::string body;
};

/// Reads `<dir>/<name>.json` and the status line of `<dir>/<name>.meta.txt`;
/// throws std::runtime_error naming the file when either is missing or unreadable.
recorded_answer load_recorded(const std::filesystem::path& dir, std::string_view name);

/// JSON text as PHP's json_encode writes it: slashes escaped (`<\/b>`).
std::string php_style(std::string json);

class shop_orders {
 public:
  /// Loads the recorded searches of contacts 2, 3, 4 and the recorded getInfo answers
  /// from `dir`; throws std::runtime_error on missing or malformed files.
  explicit shop_orders(const std::filesystem::path& dir);
  shop_orders(const shop_orders&) = delete;
  shop_orders& operator=(const shop_orders&) = delete;

  struct search_query {
    /// From the hash; conditions on fields that are not order columns are ignored.
    std::vector<hash_condition> conditions;
    std::string sort = "create_datetime";  ///< `sort=<column>[ DESC]`
    bool descending = true;
    std::int64_t offset = 0;
    std::int64_t limit = 100;
  };
  /// The whole `{"offset","limit","count","orders"}` answer.
  std::string search(const search_query& q) const;

  /// The `shop.customer.search` answer for `hash=search/phone=<phone>`: the contacts of
  /// the recorded orders whose phone is those digits (a leading '+' is ignored).
  std::string customers_by_phone(std::string_view phone) const;

  /// The current state_id of order `id`, or nullopt when there is no such order.
  std::optional<std::string> state_of(std::uint64_t id) const;

  /// The getInfo answer of order `id`, or nullopt when there is no such order.
  std::optional<std::string> info(std::uint64_t id) const;

  /// Moves order `id` to `state` as a workflow action does (update_datetime = now);
  /// returns the new update_datetime, or nullopt when there is no such order.
  std::optional<std::string> set_state(std::uint64_t id, std::string_view state);

  enum class delete_outcome { deleted, unknown_order, refused };
  struct delete_result {
    delete_outcome outcome = delete_outcome::unknown_order;
    std::string before_state;
    std::string update_datetime;
    std::uint64_t log_id = 0;  ///< the order_log id Webasyst answers as "id"
  };
  /// Moves order `id` to state "deleted". With `refuse_if_deleted` (a workflow
  /// action) an order already deleted is refused; shop.order.delete is not.
  delete_result delete_order(std::uint64_t id, bool refuse_if_deleted);

 private:
  struct order {
    std::uint64_t id = 0;
    std::string contact_id;
    std::string create_datetime;
    codec::node search_view;  // as in search answers
    codec::node info_view;    // as in getInfo answers
    std::string state_id;
    std::optional<std::string> update_datetime;  // as recorded, then set by every action
    bool paid_cleared = false;                   // deleting clears the paid_* columns
    std::string imshop_uuid;                     // params.imshop_uuid ("" = none)
  };
  /// The value of column `field` of `o` (nullopt: NULL), or no value at all when `field`
  /// is not a column (such a condition is ignored, as Webasyst does).
  static std::optional<std::optional<std::string>> column(const order& o, std::string_view field);
  static void write_order(codec::writer& w, const codec::node& doc, const order& o);
  void load_search(const std::filesystem::path& file);
  void load_info(const std::filesystem::path& file);
  void derive_missing_info();
  const order* find(std::uint64_t id) const;
  order* find(std::uint64_t id);

  std::pmr::monotonic_buffer_resource arena_;  // every document's nodes and strings
  std::vector<order> orders_;                  // newest first
  mutable std::mutex mutex_;                   // guards the mutable fields of orders_
  std::uint64_t next_log_id_ = 84;             // after the last id seen in the recordings
};

}  // namespace ordergate::sandbox
