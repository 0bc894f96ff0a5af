#include "jobs/job_run.hpp"

#include "ordergate/codec/tree_writer.hpp"
#include "ordergate/core/backoff.hpp"
#include "ordergate/core/redact.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ordergate::jobs {
namespace {

using mapping::value;
using clock = std::chrono::steady_clock;
using step_kind = pipeline::step_outcome::kind;

constexpr std::size_t max_sent_keys = 100;

/// Text of a key, state or position: strings as they are, numbers in shortest form.
std::optional<std::string> text_of(const value& v) {
  if (v.type() == mapping::vtype::string) return std::string(v.as_string());
  if (const auto d = mapping::numeric(v)) return d->to_string();
  return std::nullopt;
}

std::string why(const pipeline::step_outcome& o, std::string_view otherwise) {
  return o.ended == step_kind::failed ? o.failure.message : std::string(otherwise);
}

asio::awaitable<void> sleep_backoff(const job_settings& settings, unsigned attempt) {
  // Retries of a run wait longer than those of one call: a vendor that failed a call's
  // own retries gets a few seconds to recover.
  constexpr std::chrono::milliseconds cap{30'000};
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           core::backoff_delay(settings.backoff, attempt + 1, cap));
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

job_run::job_run(const mapping::compiled_job& job, pipeline::upstream_caller& caller,
                 const job_settings& settings, const job_metrics* metrics)
    : job_(job),
      caller_(caller),
      settings_(settings),
      metrics_(metrics),
      request_id_("job-" + job.name) {
  summary_.job = job.name;
}

asio::awaitable<run_summary> job_run::run() {
  const auto started = clock::now();
  co_await walk();
  summary_.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
  // Problems and warnings quote vendors, whose error texts may echo a token back.
  for (auto* texts : {&summary_.problems, &summary_.warnings}) {
    for (std::string& text : *texts)
      core::redact(text, job_.secrets);
  }
  co_return std::move(summary_);
}

asio::awaitable<void> job_run::walk() {
  if (!job_.unavailable.empty()) {
    summary_.result = run_summary::outcome::not_configured;
    summary_.problems = job_.unavailable;
    co_return;
  }
  if (settings_.since && !job_.cursor) {
    fail_run("job " + job_.name + " pages by number, not from a cursor: --since does not apply");
    co_return;
  }
  auto opened = state_store::open(settings_.state_dir, job_.name, settings_.reset_state);
  if (!opened) {
    summary_.result = opened.error().what == state_error::code::locked
                          ? run_summary::outcome::locked
                          : run_summary::outcome::failed;
    summary_.problems.push_back(opened.error().message);
    co_return;
  }
  store_ = std::move(*opened);
  new_batch();
  if (job_.cursor) {
    co_await walk_from_cursor();
  } else {
    co_await walk_pages();
  }
  summary_.state_entries = store_->size();
  if (summary_.result == run_summary::outcome::ok &&
      (summary_.skipped > 0 || summary_.failed > 0)) {
    summary_.result = run_summary::outcome::partial;
  }
}

asio::awaitable<void> job_run::walk_pages() {
  bool more = true;
  for (unsigned page = 1; more && page <= job_.max_pages && !stopped_; ++page) {
    std::size_t items = 0;
    more = co_await read_page(page, items);
  }
  if (!stopped_) co_await flush();
}

// Pages are read by position, not by offset: an item updated during the run moves to
// the end instead of shifting a page and hiding another. Each page reads again from
// the largest position handled; only a page whose items all share the position it
// read from moves on by offset within that position.
asio::awaitable<void> job_run::walk_from_cursor() {
  if (settings_.since) {
    from_ = *settings_.since;
  } else if (store_->cursor()) {
    from_ = *store_->cursor();
  } else if (!co_await find_start()) {
    co_return;
  }
  watermark_ = from_;
  handled_position_ = from_;
  bool more = true;
  for (unsigned page = 1; more && page <= job_.max_pages && !stopped_; ++page) {
    std::size_t items = 0;
    page_last_ = from_;
    more = co_await read_page(page, items);
    if (items == 0) break;
    if (page_last_ == from_) {
      offset_ += items;
    } else {
      from_ = page_last_;
      offset_ = 0;
    }
  }
  if (!stopped_) co_await flush();
  // A run stopped by a failure still keeps the watermark of what was accepted before it.
  if (!crashed_) save();
  summary_.cursor = watermark_;
}

/// A first run without a watermark: start at the position the mapping names (e.g. the
/// shop's newest update), and record the items found there as they are.
asio::awaitable<bool> job_run::find_start() {
  const mapping::job_cursor& cursor = *job_.cursor;
  page_scope scope(job_.slot_count);
  pipeline::step_context ctx =
      context(scope, metrics_ ? metrics_->start : pipeline::step_counters{});
  const pipeline::step_outcome o = co_await with_retries(cursor.start, ctx);
  if (o.ended != step_kind::ok) {
    fail_run("start: " + why(o, "the start step did not answer"));
    co_return false;
  }
  const value start = mapping::evaluate(cursor.start_value, scope.frame);
  const auto position = scope.frame.failed() ? std::nullopt : text_of(start);
  if (!position) {
    fail_run("start: " + (scope.frame.failed() ? scope.frame.failure()->message
                                               : std::string("the start value is not text")));
    co_return false;
  }
  from_ = start_ = *position;
  first_run_ = true;
  summary_.first_run = true;
  co_return true;
}

pipeline::step_context job_run::context(page_scope& page, const pipeline::step_counters& counters) {
  return pipeline::step_context{page.frame,       page.arena,  caller_, page.bodies,
                                settings_.limits, request_id_, {},      counters};
}

asio::awaitable<bool> job_run::read_page(unsigned page, std::size_t& items_on_page) {
  page_scope scope(job_.slot_count);
  mapping::frame& frame = scope.frame;
  frame.slot(job_.page_slot) = value::number(mapping::decimal::from_int(page));
  if (job_.cursor) {
    frame.slot(job_.cursor->cursor_slot) = value::string(from_);
    frame.slot(job_.cursor->offset_slot) =
        value::number(mapping::decimal::from_int(static_cast<std::int64_t>(offset_)));
  }
  pipeline::step_context ctx =
      context(scope, metrics_ ? metrics_->source : pipeline::step_counters{});
  const pipeline::step_outcome o = co_await with_retries(job_.source, ctx);
  const std::string where = "page " + std::to_string(page) + ": ";
  if (o.ended != step_kind::ok) {
    fail_run(where + why(o, "the source step did not answer"));
    co_return false;
  }
  ++summary_.pages;
  const value items = mapping::evaluate(job_.items, frame);
  std::vector<value> list;
  if (frame.failed() ||
      !mapping::for_each_item(items, [&](const value& v) { list.push_back(v); })) {
    fail_run(where + (frame.failed() ? frame.failure()->message : "the items are not a list"));
    co_return false;
  }
  items_on_page = list.size();
  for (const value& item : list) {
    co_await take(item, scope);
    if (batch_.size() >= job_.batch_size) co_await flush();
    if (stopped_) co_return false;
  }
  const value next = mapping::evaluate(job_.next_page, frame);
  if (frame.failed()) {
    fail_run(where + frame.failure()->message);
    co_return false;
  }
  co_return mapping::truthy(next);
}

/// Handles one item: unchanged, recorded (a first run), or rendered into the batch.
asio::awaitable<void> job_run::take(const value& item, page_scope& page) {
  mapping::frame& frame = page.frame;
  ++summary_.seen;
  frame.slot(job_.item_slot) = item;
  const value key_value = mapping::evaluate(job_.key, frame);
  const value state_value = frame.failed() ? value() : mapping::evaluate(job_.state, frame);
  const value position_value =
      frame.failed() || !job_.cursor ? value() : mapping::evaluate(job_.cursor->of_item, frame);
  const auto key = text_of(key_value);
  const auto state = text_of(state_value);
  const auto position = job_.cursor ? text_of(position_value) : std::optional<std::string>("");
  if (frame.failed() || !key || !state || !position) {
    skip(
        frame.failed() ? frame.failure()->message : "the item's key, state or position is not text",
        frame);
    co_return;
  }
  if (job_.cursor) {
    page_last_ = std::max(page_last_, *position);
    // Read twice at the same position (pages overlap within one position): handled.
    // At a new position it was updated during the run: compared with what was sent again.
    const auto [at, first_time] = seen_.try_emplace(*key, *position);
    if (!first_time && at->second == *position) co_return;
    at->second = *position;
  }
  const state_store::entry* last = store_->get(*key);
  // A first run records the items at its start position as they are; one updated after
  // the start was found is a change like any other.
  const bool record_only = first_run_ && *position <= start_;
  if (record_only || (last && last->state == *state)) {
    summary_.recorded += record_only ? 1 : 0;
    if (job_.cursor) store_->set(*key, *state, *position);
    handled(*position);
    co_return;
  }
  // Without a cursor, an item shifted to a later page by the walk is queued once.
  if (!job_.cursor && !seen_.try_emplace(*key).second) co_return;
  ++summary_.changed;
  if (!co_await run_item_steps(page, *key)) co_return;
  std::optional<std::string> sent = state;
  if (job_.sent_state) sent = text_of(mapping::evaluate(*job_.sent_state, frame));
  if (frame.failed() || !sent) {
    item_failed(*key, frame.failed() ? frame.failure()->message : "the sent state is not text",
                frame);
    co_return;
  }
  if (last && last->state == *sent) {  // changed back before the item steps read it
    if (job_.cursor) store_->set(*key, *sent, *position);
    handled(*position);
    co_return;
  }
  codec::tree_writer tree(*batch_arena_);
  if (!mapping::render(job_.document, frame, tree)) {
    item_failed(*key, frame.failure()->message, frame);
    co_return;
  }
  batch_.push_back({*key, *sent, *position, tree.result()});
  if (job_.cursor) handled_position_ = std::max(handled_position_, *position);
}

asio::awaitable<bool> job_run::run_item_steps(page_scope& page, const std::string& key) {
  for (std::size_t i = 0; i < job_.item_steps.size(); ++i) {
    pipeline::step_context ctx =
        context(page, metrics_ && i < metrics_->item_steps.size() ? metrics_->item_steps[i]
                                                                  : pipeline::step_counters{});
    const pipeline::step_outcome o = co_await with_retries(job_.item_steps[i], ctx);
    if (o.ended == step_kind::ok || o.ended == step_kind::skipped) continue;
    item_failed(key, why(o, "step " + job_.item_steps[i].name + " did not answer"), page.frame);
    co_return false;
  }
  co_return true;
}

/// An item handled without sending: with an empty batch, the watermark passes it.
void job_run::handled(std::string_view position) {
  if (!job_.cursor) return;
  handled_position_ = std::max(handled_position_, std::string(position));
  if (batch_.empty()) watermark_ = handled_position_;
}

/// Runs a step, retrying transient failures.
asio::awaitable<pipeline::step_outcome> job_run::with_retries(const mapping::step& step,
                                                              pipeline::step_context& ctx) {
  for (unsigned attempt = 1;; ++attempt) {
    pipeline::step_outcome o = co_await pipeline::execute_step(step, ctx);
    if (o.ended != step_kind::failed || !o.transient || attempt >= settings_.attempts) co_return o;
    co_await sleep_backoff(settings_, attempt);
    ctx.frame.clear_failure();
  }
}

/// Sends the current batch through the sink (the frame lives in the batch arena).
asio::awaitable<pipeline::step_outcome> job_run::send_batch() {
  std::pmr::deque<http::answer_body> bodies(batch_arena_.get());
  mapping::frame frame(*batch_arena_, job_.slot_count);
  value* docs = mapping::allocate_values(*batch_arena_, batch_.size());
  for (std::size_t i = 0; i < batch_.size(); ++i)
    docs[i] = value::of(&batch_[i].document);
  frame.slot(job_.batch_slot) = value::array(docs, static_cast<std::uint32_t>(batch_.size()));
  pipeline::step_context ctx{frame,
                             *batch_arena_,
                             caller_,
                             bodies,
                             settings_.limits,
                             request_id_,
                             {},
                             metrics_ ? metrics_->sink : pipeline::step_counters{}};
  pipeline::step_outcome o = co_await with_retries(job_.sink, ctx);
  if (o.ended == step_kind::ok && job_.sink_warning) {
    const value warning = mapping::evaluate(*job_.sink_warning, frame);
    if (const auto text = frame.failed() ? std::nullopt : text_of(warning); text && !text->empty())
      summary_.warnings.push_back(batch_.front().key + ": " + *text);
    frame.clear_failure();
  }
  co_return o;
}

/// Sends the current batch; advances the state when the sink accepts it.
asio::awaitable<void> job_run::flush() {
  if (batch_.empty()) co_return;
  if (!forget_batch()) co_return;
  const pipeline::step_outcome o = co_await send_batch();
  if (o.ended != step_kind::ok) {
    // Not advanced: the next run sends these items again. A job with a cursor stops
    // here: its watermark must not pass an item that was not accepted.
    summary_.failed += batch_.size();
    const std::string problem =
        (batch_.size() == 1 ? "item " + batch_.front().key
                            : "batch of " + std::to_string(batch_.size()) + " items") +
        ": " + why(o, "not sent");
    if (job_.cursor) {
      stopped_ = true;
      fail_run(problem);
    } else {
      summary_.problems.push_back(problem);
    }
    new_batch();
    co_return;
  }
  if (settings_.crash_before_save && settings_.crash_before_save()) {
    stopped_ = crashed_ = true;
    fail_run("stopped before the state was written (simulated crash)");
    co_return;
  }
  for (const pending_item& p : batch_) {
    store_->set(p.key, p.state, p.position);
    if (summary_.sent_keys.size() < max_sent_keys) summary_.sent_keys.push_back(p.key);
  }
  if (job_.cursor) watermark_ = handled_position_;
  if (!save()) co_return;
  summary_.sent += batch_.size();
  new_batch();
}

/// Before a batch goes out, what was recorded for its keys is dropped and the state
/// written: if the run dies after the sink took the batch and before the new states are
/// written, the next run counts these keys as changed and sends them again, even when
/// the source has meanwhile gone back to the state recorded before. Without this, that
/// run would find "unchanged" and the sink would keep the newer state for good. Keys
/// never recorded are sent again anyway, so a batch of only those writes nothing here.
/// Returns false (the batch counted as failed and dropped) if the state cannot be written.
bool job_run::forget_batch() {
  bool forgot = false;
  for (const pending_item& p : batch_)
    forgot = store_->forget(p.key) || forgot;
  if (!forgot || save()) return true;
  summary_.failed += batch_.size();
  new_batch();
  return false;
}

/// Writes the state (with the watermark, and without keys not seen for long).
bool job_run::save() {
  if (job_.cursor) {
    store_->set_cursor(watermark_);
    if (job_.cursor->forget_before) {
      std::pmr::monotonic_buffer_resource arena;
      mapping::frame frame(arena, job_.slot_count);
      frame.slot(job_.cursor->cursor_slot) = value::string(watermark_);
      const auto before = text_of(mapping::evaluate(*job_.cursor->forget_before, frame));
      if (before && !frame.failed()) store_->forget_before(*before);
    }
  }
  if (auto saved = store_->save(); !saved) {
    stopped_ = true;
    fail_run(saved.error().message);
    return false;
  }
  return true;
}

/// An item that cannot be sent: without a cursor it is skipped and reported (and tried
/// again next run); with one, the run stops there, since nothing after it may be
/// recorded before it is sent.
void job_run::item_failed(const std::string& key, std::string problem, mapping::frame& frame) {
  if (!job_.cursor) {
    skip("item " + key + ": " + problem, frame);
    return;
  }
  frame.clear_failure();
  ++summary_.failed;
  stopped_ = true;
  fail_run("item " + key + ": " + problem);
}

void job_run::skip(std::string problem, mapping::frame& frame) {
  ++summary_.skipped;
  summary_.problems.push_back(std::move(problem));
  frame.clear_failure();
}

void job_run::fail_run(std::string problem) {
  summary_.result = run_summary::outcome::failed;
  summary_.problems.push_back(std::move(problem));
}

void job_run::new_batch() {
  batch_.clear();
  batch_arena_ = std::make_unique<std::pmr::monotonic_buffer_resource>();
}

}  // namespace ordergate::jobs
