#include "ordergate/ops/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace ordergate::ops {
namespace {

std::string_view type_name(metric_kind t) noexcept {
  switch (t) {
    case metric_kind::counter:
      return "counter";
    case metric_kind::gauge:
      return "gauge";
    case metric_kind::histogram:
      return "histogram";
  }
  return "untyped";
}

bool is_name_start(char c, bool colon_allowed) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (colon_allowed && c == ':');
}

bool is_name_char(char c, bool colon_allowed) noexcept {
  return is_name_start(c, colon_allowed) || (c >= '0' && c <= '9');
}

/// Metric names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names the same without ':'.
bool valid_name(std::string_view name, bool colon_allowed) noexcept {
  if (name.empty() || !is_name_start(name.front(), colon_allowed)) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return is_name_char(c, colon_allowed); });
}

void validate_metric_name(std::string_view name) {
  if (!valid_name(name, true))
    throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
}

void validate_labels(std::string_view metric, const labels& l, metric_kind type) {
  for (std::size_t i = 0; i < l.size(); ++i) {
    const std::string& name = l[i].first;
    const std::string where = " in metric '" + std::string(metric) + "'";
    if (!valid_name(name, false))
      throw std::invalid_argument("invalid label name '" + name + "'" + where);
    if (name.starts_with("__"))
      throw std::invalid_argument("label name '" + name + "' is reserved" + where);
    if (type == metric_kind::histogram && name == "le")
      throw std::invalid_argument("label name 'le' is reserved for histogram buckets" + where);
    for (std::size_t j = 0; j < i; ++j)
      if (l[j].first == name)
        throw std::invalid_argument("label '" + name + "' given twice" + where);
  }
}

/// Escapes backslash and newline, and with `quote` the double quote too: label values
/// escape all three, HELP text the first two (text format 0.0.4).
void append_escaped(std::string& out, std::string_view v, bool quote) {
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
}

/// `a="x",b="y"` in the order given (no braces).
std::string render_label_pairs(const labels& l) {
  std::string out;
  for (const auto& [name, value] : l) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  }
  return out;
}

/// Identity of a label set whatever order the pairs were given in.
std::string series_key(labels l) {
  std::sort(l.begin(), l.end());
  return render_label_pairs(l);
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), end);
  }
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   std::string_view label_pairs, std::string_view extra_label) {
  out += name;
  out += suffix;
  if (!label_pairs.empty() || !extra_label.empty()) {
    out += '{';
    out += label_pairs;
    if (!label_pairs.empty() && !extra_label.empty()) out += ',';
    out += extra_label;
    out += '}';
  }
  out += ' ';
}

std::vector<double> checked_bounds(std::span<const double> bounds) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]))
      throw std::invalid_argument("histogram bounds must be finite (+Inf is implicit)");
    if (i > 0 && !(bounds[i - 1] < bounds[i]))
      throw std::invalid_argument("histogram bounds must be strictly increasing");
  }
  return {bounds.begin(), bounds.end()};
}

constexpr std::array<double, 13> default_latency_bounds = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

}  // namespace

void gauge::add(double d) noexcept {
  value_.fetch_add(d, std::memory_order_relaxed);
}

histogram::histogram(std::span<const double> bounds)
    : bounds_(checked_bounds(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void histogram::observe(double v) noexcept {
  // The first bucket whose bound is >= v: a value equal to a bound belongs to it.
  // NaN compares false with every bound and so lands in +Inf, as Prometheus clients do.
  const auto it = std::find_if(bounds_.begin(), bounds_.end(), [v](double b) { return v <= b; });
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::bucket_counts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  for (std::size_t i = 0; i < counts.size(); ++i)
    counts[i] = buckets_[i].load(std::memory_order_relaxed);
  return counts;
}

std::span<const double> latency_buckets() noexcept {
  return default_latency_bounds;
}

struct registry::family {
  struct series {
    std::string label_pairs;  // rendered once at registration
    std::unique_ptr<counter> c;
    std::unique_ptr<gauge> g;
    std::unique_ptr<histogram> h;
  };

  std::string name;
  std::string help;
  metric_kind type;
  std::vector<double> bounds;  // histograms: every series of the family shares them
  std::vector<std::unique_ptr<series>> series_list;
  std::unordered_map<std::string, series*> by_key;

  void render(std::string& out) const;
};

void registry::family::render(std::string& out) const {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type_name(type);
  out += '\n';
  for (const auto& s : series_list) {
    switch (type) {
      case metric_kind::counter:
        append_sample(out, name, "", s->label_pairs, "");
        out += std::to_string(s->c->value());
        out += '\n';
        break;
      case metric_kind::gauge:
        append_sample(out, name, "", s->label_pairs, "");
        append_double(out, s->g->value());
        out += '\n';
        break;
      case metric_kind::histogram: {
        // _count is the cumulative total of the buckets read here, so the output
        // is self-consistent even while observations race with rendering.
        const auto counts = s->h->bucket_counts();
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < counts.size(); ++i) {
          cumulative += counts[i];
          std::string le = "le=\"";
          if (i < bounds.size())
            append_double(le, bounds[i]);
          else
            le += "+Inf";
          le += '"';
          append_sample(out, name, "_bucket", s->label_pairs, le);
          out += std::to_string(cumulative);
          out += '\n';
        }
        append_sample(out, name, "_sum", s->label_pairs, "");
        append_double(out, s->h->sum());
        out += '\n';
        append_sample(out, name, "_count", s->label_pairs, "");
        out += std::to_string(cumulative);
        out += '\n';
        break;
      }
    }
  }
}

namespace {

/// Finds or creates the family `name` of `type`, and in it the series for `l`.
template <typename Family, typename Families, typename Make>
auto& get_or_create(Families& families, std::string_view name, std::string_view help,
                    metric_kind type, const labels& l, std::span<const double> bounds, Make make) {
  validate_metric_name(name);
  validate_labels(name, l, type);
  Family* fam = nullptr;
  for (auto& f : families)
    if (f->name == name) fam = f.get();
  if (fam == nullptr) {
    auto created = std::make_unique<Family>();
    created->name = std::string(name);
    created->help = std::string(help);
    created->type = type;
    if (type == metric_kind::histogram) created->bounds = checked_bounds(bounds);
    fam = created.get();
    families.push_back(std::move(created));
  } else if (fam->type != type) {
    throw std::invalid_argument("metric '" + std::string(name) + "' is a " +
                                std::string(type_name(fam->type)) + ", not a " +
                                std::string(type_name(type)));
  } else if (type == metric_kind::histogram &&
             !std::equal(bounds.begin(), bounds.end(), fam->bounds.begin(), fam->bounds.end())) {
    throw std::invalid_argument("histogram '" + std::string(name) +
                                "' registered again with other bounds");
  }
  std::string key = series_key(l);
  auto found = fam->by_key.find(key);
  if (found == fam->by_key.end()) {
    auto s = std::make_unique<typename Family::series>();
    s->label_pairs = render_label_pairs(l);
    make(*s, fam->bounds);
    found = fam->by_key.emplace(std::move(key), s.get()).first;
    fam->series_list.push_back(std::move(s));
  }
  return *found->second;
}

}  // namespace

registry::registry() = default;
registry::~registry() = default;

counter& registry::get_counter(std::string_view name, std::string_view help, const labels& l) {
  std::lock_guard lock(mutex_);
  auto& s = get_or_create<family>(families_, name, help, metric_kind::counter, l, {},
                                  [](auto& s, auto&) { s.c = std::make_unique<counter>(); });
  return *s.c;
}

gauge& registry::get_gauge(std::string_view name, std::string_view help, const labels& l) {
  std::lock_guard lock(mutex_);
  auto& s = get_or_create<family>(families_, name, help, metric_kind::gauge, l, {},
                                  [](auto& s, auto&) { s.g = std::make_unique<gauge>(); });
  return *s.g;
}

histogram& registry::get_histogram(std::string_view name, std::string_view help, const labels& l,
                                   std::span<const double> bounds) {
  std::lock_guard lock(mutex_);
  auto& s = get_or_create<family>(
      families_, name, help, metric_kind::histogram, l, bounds,
      [](auto& s, const std::vector<double>& b) { s.h = std::make_unique<histogram>(b); });
  return *s.h;
}

std::size_t metric_def::label_count() const noexcept {
  std::size_t n = 0;
  while (n < label_names.size() && !label_names[n].empty())
    ++n;
  return n;
}

namespace {

labels labels_of(const metric_def& def, metric_kind kind,
                 std::initializer_list<std::string_view> values) {
  if (def.kind != kind || values.size() != def.label_count()) {
    throw std::invalid_argument("metric '" + std::string(def.name) +
                                "' registered with another kind or number of labels");
  }
  labels l;
  std::size_t i = 0;
  for (std::string_view v : values)
    l.emplace_back(std::string(def.label_names[i++]), std::string(v));
  return l;
}

}  // namespace

counter& registry::counter_of(const metric_def& def,
                              std::initializer_list<std::string_view> values) {
  return get_counter(def.name, def.help, labels_of(def, metric_kind::counter, values));
}

gauge& registry::gauge_of(const metric_def& def, std::initializer_list<std::string_view> values) {
  return get_gauge(def.name, def.help, labels_of(def, metric_kind::gauge, values));
}

histogram& registry::histogram_of(const metric_def& def,
                                  std::initializer_list<std::string_view> values) {
  return get_histogram(def.name, def.help, labels_of(def, metric_kind::histogram, values));
}

std::string registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& f : families_)
    f->render(out);
  return out;
}

}  // namespace ordergate::ops
