#pragma once

// The converters of each standard. interop.cc reads and validates the files, then calls these.
// Each `…ToProduct` fills a product (and its team) from a validated document and records what
// went where; each `…FromProduct` builds the standard's document from a product, restoring what
// its `x-…` extensions kept.

#include "spec/internal/interop_common.h"

namespace tessera::spec::internal {

// Fixes `rest` so that `built` (what export makes of the native object plus `rest`) equals
// `original` at this level: keys export would add become null ("absent"), keys it would change
// keep their original value. Nested collections the caller builds itself are skipped.
void FixRest(const OrderedJson& original,
             OrderedJson* rest,
             const OrderedJson& built,
             const std::vector<std::string>& skip);

// ODCS v3.0.x / v3.1.0.
bool OdcsToProduct(const StandardDocument& doc,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* product,
                   model::Team* team);
Result<OrderedJson> OdcsFromProduct(const model::DataProduct& p, const model::Team* owner);
// The ODCS schema file for an apiVersion ("v3.1.0" -> odcs/odcs-json-schema-v3.1.0.json), or "".
std::string OdcsSchemaFor(const std::string& api_version);

// Data Contract Specification 1.2.x.
bool DcsToProduct(const StandardDocument& doc,
                  const ImportOptions& options,
                  ImportResult* r,
                  model::DataProduct* product,
                  model::Team* team);
Result<OrderedJson> DcsFromProduct(const model::DataProduct& p, const model::Team* owner);

// ODPS v1.0.0; `contracts` are ODCS documents that ports may name by `contractId`.
bool OdpsToProduct(const StandardDocument& doc,
                   const std::vector<const StandardDocument*>& contracts,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* product,
                   model::Team* team);
Result<OrderedJson> OdpsFromProduct(const model::DataProduct& p, const model::Team* owner);

// DPDS 1.0.0 (import only, best effort), external `$ref`s already resolved.
bool DpdsToProduct(const StandardDocument& doc,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* product,
                   model::Team* team);

// dbt manifest (target/manifest.json): several products and teams.
bool DbtToEntities(const StandardDocument& doc, const ImportOptions& options, ImportResult* r);

// The formats that are not standards' documents.
std::string JsonSchemaOf(const model::DataProduct& p);
std::string SqlDdlOf(const model::DataProduct& p, SqlDialect dialect);
std::string DbtYamlOf(const model::DataProduct& p);
std::string MarkdownOf(const model::DataProduct& p, const model::Team* owner);

// Shared by the ODCS and ODPS converters: a Team from an ODCS/ODPS `team` object (v3.1, ODPS)
// or member list (v3.0). Returns false when there is no team.
bool TeamFromStandard(const OrderedJson& team,
                      const OrderedJson& support,
                      const std::string& domain,
                      model::Team* out);

}  // namespace tessera::spec::internal
