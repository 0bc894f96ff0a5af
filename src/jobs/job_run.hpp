#pragma once
// One run of a job: the walk over the source's pages, the items, their item steps
// and documents, the batches and the state. Made by run_job for each run.

#include "ordergate/jobs/job_runner.hpp"
#include "ordergate/jobs/state_store.hpp"
#include "ordergate/pipeline/step_executor.hpp"

#include <map>
#include <memory>
#include <memory_resource>
#include <string>
#include <vector>

namespace ordergate::jobs {

class job_run {
 public:
  job_run(const mapping::compiled_job& job, pipeline::upstream_caller& caller,
          const job_settings& settings, const job_metrics* metrics);

  asio::awaitable<run_summary> run();

 private:
  /// An item rendered and waiting in the current batch.
  struct pending_item {
    std::string key;
    std::string state;     ///< recorded once the sink accepted the batch
    std::string position;  ///< the item's position (jobs with a cursor)
    codec::node document;  ///< lives in the batch arena
  };

  /// Where one page is read and its items are handled.
  struct page_scope {
    std::pmr::monotonic_buffer_resource arena;
    std::pmr::deque<http::answer_body> bodies{&arena};
    mapping::frame frame;
    explicit page_scope(std::uint32_t slots) : frame(arena, slots) {}
  };

  asio::awaitable<void> walk();
  asio::awaitable<void> walk_pages();
  asio::awaitable<void> walk_from_cursor();
  asio::awaitable<bool> find_start();
  /// Reads page `page` and handles its items; returns whether the source has more.
  asio::awaitable<bool> read_page(unsigned page, std::size_t& items_on_page);
  asio::awaitable<void> take(const mapping::value& item, page_scope& page);
  asio::awaitable<bool> run_item_steps(page_scope& page, const std::string& key);
  asio::awaitable<pipeline::step_outcome> with_retries(const mapping::step& step,
                                                       pipeline::step_context& ctx);
  asio::awaitable<void> flush();
  bool forget_batch();
  asio::awaitable<pipeline::step_outcome> send_batch();

  pipeline::step_context context(page_scope& page, const pipeline::step_counters&);
  void handled(std::string_view position);
  void item_failed(const std::string& key, std::string problem, mapping::frame& frame);
  void skip(std::string problem, mapping::frame& frame);
  void fail_run(std::string problem);
  bool save();
  void new_batch();

  const mapping::compiled_job& job_;
  pipeline::upstream_caller& caller_;
  const job_settings& settings_;
  const job_metrics* metrics_;
  const std::string request_id_;  ///< X-Request-Id of the job's calls
  run_summary summary_;
  std::unique_ptr<state_store> store_;
  std::unique_ptr<std::pmr::monotonic_buffer_resource> batch_arena_;
  std::vector<pending_item> batch_;
  /// Keys handled in this run, and at which position (jobs with a cursor).
  std::map<std::string, std::string, std::less<>> seen_;
  bool stopped_ = false;
  bool crashed_ = false;  ///< settings.crash_before_save ended the run: nothing more is written
  // Jobs with a cursor.
  bool first_run_ = false;        ///< no watermark yet: record what is at `start_`
  std::string start_;             ///< a first run's start position
  std::string from_;              ///< the position the next page reads from
  std::size_t offset_ = 0;        ///< items already read at `from_`
  std::string page_last_;         ///< the largest position on the current page
  std::string handled_position_;  ///< the largest position of the items handled
  std::string watermark_;         ///< every item before it is sent or unchanged
};

}  // namespace ordergate::jobs
