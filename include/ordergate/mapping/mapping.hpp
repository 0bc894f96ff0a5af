#pragma once
// Compiled mapping files: routes, jobs and reusable documents. Loaded and
// validated once into immutable objects shared by every thread; what the pipeline
// and the job engine run.

#include "ordergate/codec/format.hpp"
#include "ordergate/codec/projection.hpp"
#include "ordergate/mapping/diagnostics.hpp"
#include "ordergate/mapping/output_template.hpp"
#include "ordergate/mapping/validation.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ordergate::mapping {

/// A reusable document mapping (kind "document"): one input value -> one document.
struct compiled_document {
  std::string name;
  location where;
  std::uint32_t input_slot = 0;
  std::uint32_t slot_count = 0;
  std::vector<binding> lets;
  template_node output;
  std::vector<std::string> unavailable;  ///< why it cannot run (missing configuration)
  std::vector<std::string> secrets;      ///< values of `"secret": true` config entries
  std::shared_ptr<void> storage;         ///< constants and compiled tables
};

/// A body format fixed in the file, or chosen per request by an expression that
/// yields "json", "xml", "form" or "text".
struct format_choice {
  codec::format fixed = codec::format::json;
  std::unique_ptr<expr> chosen;
  codec::xml_encode_options xml;
};

/// Slots where the pipeline puts an upstream answer: `<step>.status/.headers/.body`.
struct answer_slots {
  std::uint32_t status = 0;
  std::uint32_t headers = 0;
  std::uint32_t body = 0;
};

/// An HTTP call to a vendor, rendered per request.
struct call_spec {
  std::string service;  ///< label for metrics and logs
  std::string method;   ///< "GET", "POST"...
  expr url;             ///< absolute URL without the query
  std::optional<template_node> query;
  std::optional<template_node> headers;
  std::optional<template_node> body;
  format_choice body_format;
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connect_timeout{3'000};
  unsigned attempts = 1;  ///< retries happen only for GET (the client enforces it)
  std::optional<codec::format> answer_format;  ///< nullopt: from the answer's Content-Type
  codec::xml_decode_options answer_xml;
  location where;
};

/// What a route answers: status, headers, body and its format.
struct response_spec {
  expr status;
  std::optional<template_node> headers;
  std::optional<template_node> body;
  format_choice body_format;
  location where;
};

/// What to do when a step failed; the first rule whose `when` holds applies.
struct failure_rule {
  std::optional<expr> when;
  std::optional<response_spec> respond;  ///< answer this instead of an error
  core::errc error = core::errc::upstream_error;
  std::optional<expr> message;
  location where;
};

struct step {
  std::string name;
  answer_slots answer;
  /// What the mapping reads of the answer body (found at load); null: everything.
  std::shared_ptr<const codec::projection> answer_keep;
  call_spec call;
  std::optional<expr> skip_when;  ///< true: no call, the step's slots stay null
  std::optional<expr>
      dry_run_when;                ///< true: answer the rendered request body instead of sending it
  std::optional<expr> fails_when;  ///< default: status >= 400
  std::vector<failure_rule> on_failure;
  location where;
};

/// Slots of the inbound request: request.body/.query/.headers/.method/.path.
struct request_slots {
  std::uint32_t body = 0;
  std::uint32_t query = 0;
  std::uint32_t headers = 0;
  std::uint32_t method = 0;
  std::uint32_t path = 0;
};

struct auth_spec {
  enum class kind : std::uint8_t { none, bearer };
  kind scheme = kind::none;
  std::string key;         ///< expected bearer key (a secret; never log it)
  std::string body_field;  ///< JSON body field that may carry the key instead ("" = not allowed)
};

struct compiled_route {
  std::string name;  ///< file name without extension
  std::string file;
  std::string method;
  std::string path;
  location where;
  auth_spec auth;
  codec::format input_format = codec::format::json;
  std::optional<check> body_check;
  std::optional<check> query_check;
  request_slots request;
  std::vector<binding> lets;
  std::vector<step> steps;
  response_spec response;
  std::uint32_t slot_count = 0;
  std::vector<std::string> unavailable;  ///< e.g. "WEBASYST_URL is not set": the route answers 503
  /// Values of `"secret": true` config entries: never in an answer (see redact_secrets).
  std::vector<std::string> secrets;
  std::shared_ptr<void> storage;

  /// "POST /imshop/order-history": how logs, metrics and errors name the route.
  std::string label() const { return method + " " + path; }
};

/// How a job with a cursor pages: by the position of the last item handled (e.g. an
/// order's update_datetime) instead of by page number, so that items changing during a
/// run cannot shift a page and hide others. The position is also the job's watermark
/// between runs.
struct job_cursor {
  std::uint32_t cursor_slot = 0;  ///< `cursor`: the position a page reads from
  std::uint32_t offset_slot = 0;  ///< `offset`: items to skip at that position
  expr of_item;                   ///< an item's position; items come in this order
  /// First run without a watermark: one call whose `value` is where to start (the
  /// items at that position are recorded as they are, nothing is sent).
  step start;
  expr start_value;
  /// Evaluated with `cursor` = the watermark: ids last handled at a position sorting
  /// before it are dropped from the state.
  std::optional<expr> forget_before;
};

/// A scheduled job (kind "job"): page through a source, keep state, send batches.
struct compiled_job {
  std::string name;
  std::string file;
  location where;
  std::optional<std::chrono::seconds> interval;  ///< run inside `serve` this often
  // Source: one call per page; `page` holds the page number (from 1).
  std::uint32_t page_slot = 0;
  std::optional<job_cursor> cursor;  ///< set: page by position, keep a watermark
  step source;
  expr items;      ///< the items of one page answer
  expr next_page;  ///< true when another page should be read
  unsigned max_pages = 1000;
  // Per item: `item` is bound.
  std::uint32_t item_slot = 0;
  expr key;
  expr state;
  std::vector<step> item_steps;    ///< run for changed items, before the document
  std::optional<expr> sent_state;  ///< the state recorded once sent (default: `state`)
  template_node document;
  // Sink: `batch` holds the rendered documents of one batch.
  std::uint32_t batch_slot = 0;
  std::size_t batch_size = 100;
  step sink;
  std::optional<expr> sink_warning;  ///< text: an accepted batch is reported with it
  std::uint32_t slot_count = 0;
  std::vector<std::string> unavailable;
  std::vector<std::string> secrets;  ///< values of `"secret": true` config entries
  std::shared_ptr<void> storage;
};

/// Everything loaded from one mapping folder.
struct mapping_set {
  std::vector<std::shared_ptr<const compiled_route>> routes;
  std::vector<std::shared_ptr<const compiled_job>> jobs;
  std::map<std::string, std::shared_ptr<const compiled_document>, std::less<>> documents;
};

/// Reads environment variables (injectable for tests and golden cases).
using environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment.
environment process_environment();

struct load_result {
  std::shared_ptr<const mapping_set> mappings;  ///< null when there were errors
  diagnostics errors;
  std::vector<std::string> files;  ///< mapping files read
};

/// Loads every *.json / *.jsonc mapping file directly in `folder` (the `tests` and
/// `schema` subfolders are not mapping files). All errors of all files are reported.
load_result load_folder(const std::string& folder, const environment& env);

/// Loads the given files as one set (documents may be used across them).
load_result load_files(const std::vector<std::string>& files, const environment& env);

/// A mapping file's name (a path; its stem names the mapping) and its text.
struct mapping_text {
  std::string name;
  std::string text;
};

/// Loads mapping files given as text, as load_files does with files read from disk.
load_result load_mapping_texts(std::vector<mapping_text> texts, const environment& env);

}  // namespace ordergate::mapping
