#pragma once
// A small Prometheus metrics registry. Series are registered at load time (the
// returned references stay valid for the registry's life) and updated lock-free on
// the request path; only registration and rendering take a lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ordergate::ops {

using label = std::pair<std::string, std::string>;
using labels = std::vector<label>;

/// A monotonically increasing count.
class counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down.
class gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double d) noexcept;
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// Observations counted into fixed upper bounds (cumulative on output).
class histogram {
 public:
  explicit histogram(std::span<const double> bounds);
  void observe(double v) noexcept;
  std::span<const double> bounds() const noexcept { return bounds_; }
  /// Per-bucket (non-cumulative) counts; the last one is +Inf.
  std::vector<std::uint64_t> bucket_counts() const;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

/// Default latency buckets in seconds (1 ms .. 10 s).
std::span<const double> latency_buckets() noexcept;

/// What kind of series a metric has.
enum class metric_kind : std::uint8_t { counter, gauge, histogram };

/// A metric as its module declares it, once: each module keeps a table of these that
/// registration, docs/operations.md's list and a test all read.
struct metric_def {
  std::string_view name;
  metric_kind kind;
  std::array<std::string_view, 3> label_names;  ///< the used ones first, then empty
  std::string_view help;

  std::size_t label_count() const noexcept;
};

class registry {
 public:
  registry();
  ~registry();
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  /// Returns the series `name{labels}`, creating it (and its family) on first use.
  /// Calling again with the same name and labels returns the same object, so a
  /// reload keeps counting into the same series. A name used with another type throws.
  counter& get_counter(std::string_view name, std::string_view help, const labels& l = {});
  gauge& get_gauge(std::string_view name, std::string_view help, const labels& l = {});
  histogram& get_histogram(std::string_view name, std::string_view help, const labels& l = {},
                           std::span<const double> bounds = latency_buckets());

  /// The series of `def` with `values` for its label names, in order (load time: a
  /// wrong kind or count of values throws).
  counter& counter_of(const metric_def& def, std::initializer_list<std::string_view> values = {});
  gauge& gauge_of(const metric_def& def, std::initializer_list<std::string_view> values = {});
  histogram& histogram_of(const metric_def& def,
                          std::initializer_list<std::string_view> values = {});

  /// Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct family;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<family>> families_;
};

}  // namespace ordergate::ops
