#pragma once
// Compiling whole mapping files: routes, jobs and documents.

#include "mapping/compiler.hpp"
#include "ordergate/mapping/mapping.hpp"

namespace ordergate::mapping {

/// A parsed mapping file.
struct mapping_unit {
  source_file file;
  std::unique_ptr<source_node> root;
  enum class kind : std::uint8_t { route, job, document, library } file_kind = kind::route;
  std::string stem;  ///< file name without folder and extension
};

using document_map = compile_context::document_map;

/// What every file of a folder can use: documents and table libraries.
struct shared_definitions {
  document_map documents;
  std::vector<std::shared_ptr<const file_storage>> libraries;
};

/// The start of every file kind but libraries: storage, context, config, tables.
struct file_start {
  std::shared_ptr<file_storage> storage = std::make_shared<file_storage>();
  compile_context ctx;
  std::vector<std::string> unavailable;
  std::vector<std::string> secrets;  ///< values of the file's secret config entries
  bool ok = true;

  file_start(const mapping_unit& unit, const environment& env, const shared_definitions& shared,
             diagnostics& out);

  /// Hands what the compiled file `unit` (a document, route or job) keeps to it: its
  /// slot count, configuration problems, secrets and storage. Called once, at the end.
  template <class Unit>
  void hand_over(Unit& unit) {
    unit.slot_count = ctx.slot_count();
    unit.unavailable = std::move(unavailable);
    unit.secrets = std::move(secrets);
    unit.storage = storage;
  }
};

/// Compiles a table library (a file with only "tables"): its tables are visible to
/// every mapping of the folder.
std::shared_ptr<const file_storage> compile_library_file(const mapping_unit& unit,
                                                         diagnostics& out);

std::shared_ptr<const compiled_document> compile_document_file(const mapping_unit& unit,
                                                               const environment& env,
                                                               const shared_definitions& shared,
                                                               diagnostics& out);
std::shared_ptr<const compiled_route> compile_route_file(const mapping_unit& unit,
                                                         const environment& env,
                                                         const shared_definitions& shared,
                                                         diagnostics& out);
/// Compiles a job file (job_compiler.cpp).
std::shared_ptr<const compiled_job> compile_job_file(const mapping_unit& unit,
                                                     const environment& env,
                                                     const shared_definitions& shared,
                                                     diagnostics& out);

}  // namespace ordergate::mapping
