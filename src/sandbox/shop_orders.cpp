#include "sandbox/shop_orders.hpp"

#include "ordergate/codec/json.hpp"
#include "ordergate/codec/tree_writer.hpp"
#include "sandbox/reply.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace ordergate::sandbox {
namespace {

namespace fs = std::filesystem;

/// The searches of contacts 2, 3 and 4 as recorded before the POST fixtures changed
/// orders 9, 11 and 12: the sandbox starts from that state and changes it itself.
constexpr std::array<std::string_view, 3> search_files = {
    "order_search_c2_default", "order_search_c3", "order_search_c4_before_mutations"};

/// getInfo answers recorded in the same state as the searches above. Orders with
/// none (1, 2, 6, 9) get one derived from their search entry.
constexpr std::array<std::string_view, 8> info_files = {
    "order_getinfo_3_service_item",
    "order_getinfo_4_tracking",
    "order_getinfo_5_four_items_discount_tracking",
    "order_getinfo_7_deleted",
    "order_getinfo_8_no_items",
    "order_getinfo_10_tracking_company_contact",
    "order_getinfo_11_apostrophe_contact",
    "order_getinfo_12_paid_before_ship"};

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

codec::node decode_file(const fs::path& file, std::pmr::memory_resource& arena) {
  const std::string text = read_file(file);
  auto doc = codec::decode_json_copy(text, arena, {.max_bytes = 64u << 20, .max_depth = 64});
  if (!doc) throw std::runtime_error(file.string() + ": " + doc.error().message);
  if (!doc->is_object()) throw std::runtime_error(file.string() + ": not a JSON object");
  return *doc;
}

std::string_view required_string(const codec::node& n, std::string_view key, const fs::path& file) {
  const codec::node* v = n.find(key);
  if (v == nullptr || !v->is_string())
    throw std::runtime_error(file.string() + ": an order without a string \"" + std::string(key) +
                             "\"");
  return v->text();
}

/// Orders placed through the app (the sandbox's story): their params hold Imshop's
/// order UUID, as the app's order placement stores it. Their getInfo is derived.
constexpr std::array<std::uint64_t, 2> app_orders = {1, 9};

/// `params` with Imshop's order UUID added (`params` may be `[]`, PHP's empty array).
void write_params(codec::writer& w, const codec::node& params, std::string_view uuid) {
  if (uuid.empty()) {
    codec::write(w, params);
    return;
  }
  w.begin_object();
  if (params.is_object()) {
    for (const codec::member& m : params.members()) {
      w.key(m.key);
      codec::write(w, m.value);
    }
  }
  w.key("imshop_uuid");
  w.string(uuid);
  w.end_object();
}

/// A phone as Webasyst matches it: digits, a leading '+' ignored.
std::string phone_digits(std::string_view phone) {
  std::string out;
  for (char c : phone)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace

/// The order object `doc` with the sandbox's changes applied to its columns.
void shop_orders::write_order(codec::writer& w, const codec::node& doc, const order& o) {
  w.begin_object();
  for (const codec::member& m : doc.members()) {
    w.key(m.key);
    if (m.key == "state_id") {
      w.string(o.state_id);
    } else if (m.key == "update_datetime" && o.update_datetime) {
      w.string(*o.update_datetime);
    } else if (o.paid_cleared && m.key.starts_with("paid_")) {
      w.null();
    } else if (m.key == "params") {
      write_params(w, m.value, o.imshop_uuid);
    } else {
      codec::write(w, m.value);
    }
  }
  w.end_object();
}

namespace {

/// getInfo escapes with ENT_QUOTES where search uses ENT_COMPAT: apostrophes differ.
std::string escape_apostrophes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\'')
      out += "&#039;";
    else
      out += c;
  }
  return out;
}

/// Columns getInfo adds to product items (the catalog has no images or files).
void write_product_extras(codec::writer& w) {
  w.key("image_id");
  w.null();
  w.key("image_filename");
  w.string("");
  w.key("sku_image_id");
  w.null();
  w.key("ext");
  w.null();
  w.key("file_name");
  w.string("");
  w.key("file_size");
  w.string("0");
}

/// getInfo's `items`: an object keyed by item id, `[]` when there are none.
void write_info_items(codec::writer& w, const codec::node& items) {
  if (items.size() == 0) {
    w.begin_array();
    w.end_array();
    return;
  }
  w.begin_object();
  for (const codec::node& item : items.items()) {
    const codec::node* id = item.find("id");
    w.key(id != nullptr ? id->text() : "");
    w.begin_object();
    for (const codec::member& m : item.members()) {
      if (m.key == "sort") continue;  // computed by search only
      w.key(m.key);
      if (m.key == "name" && m.value.is_string())
        w.string(escape_apostrophes(m.value.text()));
      else
        codec::write(w, m.value);
    }
    const codec::node* type = item.find("type");
    if (type != nullptr && type->text() == "product") write_product_extras(w);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

recorded_answer load_recorded(const fs::path& dir, std::string_view name) {
  recorded_answer answer;
  answer.body = read_file(dir / (std::string(name) + ".json"));
  const fs::path meta_file = dir / (std::string(name) + ".meta.txt");
  std::istringstream meta(read_file(meta_file));
  std::string line;
  constexpr std::string_view key = "status_line: HTTP/1.1 ";
  while (std::getline(meta, line)) {
    if (line.starts_with(key)) {
      answer.status = static_cast<unsigned>(std::stoul(line.substr(key.size(), 3)));
      return answer;
    }
  }
  throw std::runtime_error(meta_file.string() + ": no status_line");
}

std::string php_style(std::string json) {
  // Outside strings JSON has no slash, so every slash is inside a string.
  std::string out;
  out.reserve(json.size() + 16);
  for (char c : json) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

shop_orders::shop_orders(const fs::path& dir) {
  for (std::string_view name : search_files)
    load_search(dir / (std::string(name) + ".json"));
  for (std::string_view name : info_files)
    load_info(dir / (std::string(name) + ".json"));
  derive_missing_info();
  // Webasyst's default order: create_datetime DESC.
  std::stable_sort(orders_.begin(), orders_.end(), [](const order& a, const order& b) {
    return a.create_datetime != b.create_datetime ? a.create_datetime > b.create_datetime
                                                  : a.id > b.id;
  });
}

void shop_orders::load_search(const fs::path& file) {
  const codec::node doc = decode_file(file, arena_);
  const codec::node* list = doc.find("orders");
  if (list == nullptr || !list->is_array())
    throw std::runtime_error(file.string() + ": no \"orders\" array");
  for (const codec::node& o : list->items()) {
    if (!o.is_object()) throw std::runtime_error(file.string() + ": an order is not an object");
    const auto id = parse_id(required_string(o, "id", file));
    if (!id) throw std::runtime_error(file.string() + ": an order id is not a number");
    if (find(*id) != nullptr) continue;
    order rec;
    rec.id = *id;
    rec.contact_id = required_string(o, "contact_id", file);
    rec.create_datetime = required_string(o, "create_datetime", file);
    rec.state_id = required_string(o, "state_id", file);
    if (const codec::node* updated = o.find("update_datetime"); updated && updated->is_string())
      rec.update_datetime = std::string(updated->text());
    if (std::find(app_orders.begin(), app_orders.end(), *id) != app_orders.end())
      rec.imshop_uuid = name_uuid("imshop-order:" + std::to_string(*id));
    // Keep the default fields (*,items,params) only: some recordings asked for more.
    codec::tree_writer tree(arena_);
    tree.begin_object();
    for (const codec::member& m : o.members()) {
      if (m.key == "contact" || m.key == "state") continue;
      tree.key(m.key);
      codec::write(tree, m.value);
    }
    tree.end_object();
    rec.search_view = tree.result();
    orders_.push_back(std::move(rec));
  }
}

void shop_orders::load_info(const fs::path& file) {
  const codec::node doc = decode_file(file, arena_);
  const auto id = parse_id(required_string(doc, "id", file));
  auto it = std::find_if(orders_.begin(), orders_.end(),
                         [&](const order& o) { return id && o.id == *id; });
  if (it == orders_.end())
    throw std::runtime_error(file.string() + ": no recorded search has this order");
  if (required_string(doc, "state_id", file) != it->state_id)
    throw std::runtime_error(file.string() + ": its state differs from the recorded search");
  it->info_view = doc;
}

void shop_orders::derive_missing_info() {
  for (order& o : orders_) {
    if (!o.info_view.is_null()) continue;
    const auto same_contact = std::find_if(orders_.begin(), orders_.end(), [&](const order& x) {
      return x.contact_id == o.contact_id && !x.info_view.is_null() && x.info_view.find("contact");
    });
    if (same_contact == orders_.end())
      throw std::runtime_error("no recorded getInfo of contact " + o.contact_id +
                               " to derive order " + std::to_string(o.id) + " from");
    // getInfo's shape: the columns, params, contact, items keyed by id, no id_encoded.
    codec::tree_writer tree(arena_);
    tree.begin_object();
    for (const codec::member& m : o.search_view.members()) {
      if (m.key == "items" || m.key == "params" || m.key == "id_encoded") continue;
      tree.key(m.key);
      codec::write(tree, m.value);
    }
    tree.key("params");
    const codec::node* params = o.search_view.find("params");
    codec::write(tree, params != nullptr ? *params : codec::node{});
    tree.key("contact");
    codec::write(tree, *same_contact->info_view.find("contact"));
    tree.key("items");
    const codec::node* items = o.search_view.find("items");
    write_info_items(tree, items != nullptr ? *items : codec::node{});
    tree.key("items_total_discount");
    tree.number("0");
    tree.end_object();
    o.info_view = tree.result();
  }
}

shop_orders::order* shop_orders::find(std::uint64_t id) {
  return const_cast<order*>(std::as_const(*this).find(id));
}

const shop_orders::order* shop_orders::find(std::uint64_t id) const {
  for (const order& o : orders_)
    if (o.id == id) return &o;
  return nullptr;
}

std::optional<std::optional<std::string>> shop_orders::column(const order& o,
                                                              std::string_view field) {
  if (field == "state_id") return std::optional<std::string>(o.state_id);
  if (field == "update_datetime") return o.update_datetime;
  const codec::node* v = o.search_view.find(field);
  if (v == nullptr || v->is_object() || v->is_array()) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(v->text()));
}

std::string shop_orders::search(const search_query& q) const {
  std::lock_guard lock(mutex_);
  std::vector<const order*> matched;
  for (const order& o : orders_) {
    const bool all = std::all_of(q.conditions.begin(), q.conditions.end(), [&](const auto& c) {
      const auto value = column(o, c.field);
      return !value || satisfies(c, *value);  // not a column: ignored
    });
    if (all) matched.push_back(&o);
  }
  // Ties keep the recorded order (newest first), as MySQL happens to.
  std::stable_sort(matched.begin(), matched.end(), [&](const order* a, const order* b) {
    const auto x = column(*a, q.sort), y = column(*b, q.sort);
    const int c = x && y ? compare_columns(*x, *y) : 0;
    return q.descending ? c > 0 : c < 0;
  });
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("offset");
  w.number(std::to_string(q.offset));
  w.key("limit");
  w.number(std::to_string(q.limit));
  w.key("count");
  w.number(std::to_string(matched.size()));
  w.key("orders");
  w.begin_array();
  const auto first = static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0));
  const auto take = static_cast<std::size_t>(std::max<std::int64_t>(q.limit, 0));
  for (std::size_t i = first; i < matched.size() && i - first < take; ++i)
    write_order(w, matched[i]->search_view, *matched[i]);
  w.end_array();
  w.end_object();
  return php_style(std::move(out));
}

std::string shop_orders::customers_by_phone(std::string_view phone) const {
  if (phone.starts_with('+')) phone.remove_prefix(1);
  std::vector<const codec::node*> found;
  std::vector<std::string_view> ids;
  for (const order& o : orders_) {
    const codec::node* contact = o.info_view.find("contact");
    const codec::node* id = contact ? contact->find("id") : nullptr;
    const codec::node* number = contact ? contact->find("phone") : nullptr;
    if (!id || !number || !number->is_string() || phone.empty()) continue;
    if (phone_digits(number->text()) != phone || phone_digits(phone) != phone) continue;
    if (std::find(ids.begin(), ids.end(), id->text()) != ids.end()) continue;
    ids.push_back(id->text());
    found.push_back(contact);
  }
  std::string out;
  codec::json_writer w(out);
  w.begin_object();
  w.key("offset");
  w.number("0");
  w.key("limit");
  w.number("100");
  w.key("sort");
  w.string("name ASC");
  w.key("count");
  w.number(std::to_string(found.size()));
  w.key("customers");
  w.begin_array();
  for (const codec::node* contact : found) {
    // The recorded answer's shape, with the columns the sandbox knows.
    w.begin_object();
    for (std::string_view key : {"id", "name"}) {
      w.key(key);
      codec::write(w, *contact->find(key));
    }
    w.key("contact_id");
    codec::write(w, *contact->find("id"));
    w.key("phone");
    w.begin_array();
    w.begin_object();
    w.key("value");
    w.string(phone_digits(contact->find("phone")->text()));
    w.key("ext");
    w.string("");
    w.key("status");
    w.null();
    w.end_object();
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return php_style(std::move(out));
}

std::optional<std::string> shop_orders::state_of(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  const order* o = find(id);
  if (o == nullptr) return std::nullopt;
  return o->state_id;
}

std::optional<std::string> shop_orders::info(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  const order* o = find(id);
  if (o == nullptr) return std::nullopt;
  std::string out;
  codec::json_writer w(out);
  write_order(w, o->info_view, *o);
  return php_style(std::move(out));
}

std::optional<std::string> shop_orders::set_state(std::uint64_t id, std::string_view state) {
  std::lock_guard lock(mutex_);
  order* it = find(id);
  if (it == nullptr) return std::nullopt;
  it->state_id = std::string(state);
  it->update_datetime = moscow_time(std::chrono::system_clock::now(), ' ', 0);
  return it->update_datetime;
}

shop_orders::delete_result shop_orders::delete_order(std::uint64_t id, bool refuse_if_deleted) {
  std::lock_guard lock(mutex_);
  delete_result result;
  order* it = find(id);
  if (it == nullptr) return result;
  if (refuse_if_deleted && it->state_id == "deleted") {
    result.outcome = delete_outcome::refused;
    return result;
  }
  result.outcome = delete_outcome::deleted;
  result.before_state = it->state_id;
  result.update_datetime = moscow_time(std::chrono::system_clock::now(), ' ', 0);
  result.log_id = next_log_id_++;
  it->state_id = "deleted";
  it->update_datetime = result.update_datetime;
  it->paid_cleared = true;
  return result;
}

}  // namespace ordergate::sandbox
