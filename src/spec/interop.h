#pragma once

// Interoperability with the open standards: import of Open Data Contract Standard (ODCS v3.0.x,
// v3.1.0), Open Data Product Standard (ODPS v1.0.0), Data Contract Specification (DCS 1.2.x),
// Data Product Descriptor Specification (DPDS 1.0.0, best effort) and dbt manifests into native
// entities, and export of a product as ODCS, ODPS, DCS, JSON Schema, SQL DDL, dbt YAML or
// Markdown.
//
//   spec::ImportResult r = spec::Import(spec::Standard::kOdcs, {"contract.odcs.yaml"}, {});
//   if (!r.ok()) for (const auto& d : r.diagnostics) std::cerr << d.ToString() << "\n";
//   for (const auto& p : r.products) write(spec::JsonToYaml(spec::EncodeJson(p)));
//   Result<std::string> odcs = spec::Export(r.products[0], spec::ExportFormat::kOdcs, {});
//
// Nothing is dropped: what has no native field is kept in an `x-odcs` / `x-odps` / `x-dcs` /
// `x-dpds` / `x-dbt` extension on the object it belongs to, and export restores it, so that
// import -> export gives back the same document (compared as data). Every input is first
// validated against the official JSON Schema of the version it declares. The mapping tables are
// in docs/interop.md. Stateless functions; safe to call from several threads.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/mesh.h"
#include "spec/descriptor.h"

namespace tessera::spec {

enum class Standard { kOdcs, kOdps, kDcs, kDpds, kDbt };
// "odcs", "odps", "dcs", "dpds", "dbt". kInvalidArgument for anything else.
Result<Standard> ParseStandard(std::string_view name);
std::string_view StandardName(Standard s);

struct ImportOptions {
    std::string domain;  // --domain: overrides the domain the documents declare
    // The domains that exist already (in the workspace import writes into, or the catalog) and
    // their owner teams. A product whose document names no team is owned by its domain's owner;
    // only a product of a new domain gets a new team, `<domain>_team`, to fill in.
    std::map<std::string, std::string> existing_domain_owners;
};

// One line of the import report: which field of the input went where.
struct MappingNote {
    std::string file;
    std::string from;  // e.g. "schema[0].properties[1].physicalType"
    std::string to;    // e.g. "orders.tbl.columns[1].type (x-odcs keeps the original)"
};

struct ImportResult {
    std::vector<model::Domain> domains;  // domains the documents name (written unless they exist)
    std::vector<model::Team> teams;
    std::vector<model::DataProduct> products;
    std::vector<MappingNote> mappings;
    std::vector<Diagnostic> diagnostics;  // errors (nothing may be written) and warnings
    bool ok() const;
};

// Reads, validates and converts `files` (YAML or JSON). For ODPS, files that are ODCS contracts
// (`kind: DataContract`) give the columns of the output ports whose `contractId` names them. A
// file whose declared version is unknown, that breaks its schema, or whose `$ref` cannot be
// resolved is a located error; the result then holds no entities.
ImportResult Import(Standard standard,
                    const std::vector<std::string>& files,
                    const ImportOptions& options);

enum class ExportFormat { kOdcs, kOdps, kDcs, kJsonSchema, kSqlDdl, kDbt, kMarkdown };
Result<ExportFormat> ParseExportFormat(std::string_view name);

enum class SqlDialect { kDuckDb, kPostgres };
Result<SqlDialect> ParseSqlDialect(std::string_view name);

struct ExportOptions {
    SqlDialect dialect = SqlDialect::kDuckDb;
    const model::Team* owner = nullptr;  // the owning team, for ODCS/ODPS `team` (optional)
};

// The product in `format`: YAML for odcs, odps, dcs and dbt; JSON for jsonschema; SQL; Markdown.
// ODCS, ODPS and DCS output is checked against the official schema of the version written
// (the imported one, else ODCS v3.1.0, ODPS v1.0.0, DCS 1.2.1); kInternal names the violation
// if it ever fails, kUnavailable when the schema is not built in.
Result<std::string> Export(const model::DataProduct& product,
                           ExportFormat format,
                           const ExportOptions& options);

}  // namespace tessera::spec
