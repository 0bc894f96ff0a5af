#pragma once
// Compiling whole mapping files: routes, jobs and documents.

#include "compiler.hpp"
#include "ordergate/mapping/mapping.hpp"

namespace ordergate::mapping {

/// A parsed mapping file.
struct mapping_unit {
  source_file file;
  std::unique_ptr<source_node> root;
  enum class kind : std::uint8_t { route, job, document } k = kind::route;
  std::string stem;  ///< file name without folder and extension
};

using document_map = compile_context::document_map;

std::shared_ptr<const compiled_document> compile_document_file(const mapping_unit& unit, const environment& env,
                                                               const document_map& documents, diagnostics& out);
std::shared_ptr<const compiled_route> compile_route_file(const mapping_unit& unit, const environment& env,
                                                         const document_map& documents, diagnostics& out);
std::shared_ptr<const compiled_job> compile_job_file(const mapping_unit& unit, const environment& env,
                                                     const document_map& documents, diagnostics& out);

}  // namespace ordergate::mapping
