#pragma once

// Breaking changes: what a new version of a data product does to the consumers of its output
// ports. Every kind of change (a removed column, a narrowed type, a tightened accepted-values
// list, a looser SLA…) has a rule and a level, after the Data Contract CLI's breaking-change
// rules; docs/governance.md lists them and says where Tessera grades differently and why.
//
//   auto changes = governance::CompareProducts(stored, proposed, "2026-11-26");
//   // changes[0] = {kBreaking, "column_removed", port "daily", column "amount", …}
//   TESSERA_ASSIGN_OR_RETURN(auto report, governance::CheckCompatibility(catalog, batch, {.today = "2026-11-26"}));
//   if (report.Blocks()) …  // apply refuses: kFailedPrecondition, nothing written
//
// A breaking change needs a major version bump (`metadata.version`; in 0.y.z the minor number is
// the major one, as Cargo reads semver). Removing a deprecated port or column before its sunset
// date is refused whatever the version. `CompareProducts` and the version helpers are pure;
// `CheckCompatibility` reads the catalog (the published versions, their consumers and owners).

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "model/mesh.h"
#include "spec/descriptor.h"

namespace tessera::governance {

// How a change treats consumers. kRefused: not allowed even with a major version (a deprecated
// port or column removed before its sunset). kBreaking: allowed with a major version bump.
// kWarning: shown, never blocks. kInfo: compatible (additions, widenings, stronger promises).
enum class CompatLevel { kRefused, kBreaking, kWarning, kInfo };
std::string_view CompatLevelName(CompatLevel level);  // "refused", "breaking", "warning", "info"

// A product that reads a changed output port, directly (depth 1) or through other products.
struct Consumer {
    std::string product;  // "domain.name"
    std::string owner;    // its owning team
    int depth = 1;        // 1: reads the port; 2: reads a product that reads it; …
    std::string via;      // for depth > 1: the product it reads on the way to the changed one
    // For a column change, from column lineage: "uses", "does not use", or "unknown" (lineage cannot
    // tell, e.g. a script transform). Empty for port-level changes or without lineage.
    std::string column_use;
    // Holders of grants on the port (access requests are not built yet: `CompatOptions::grant_holders`
    // is the seam that fills this when they are).
    std::vector<std::string> grant_holders;
};

// One change of an output port's contract.
struct CompatChange {
    CompatLevel level = CompatLevel::kInfo;
    std::string rule;     // e.g. "column_removed", "column_type_narrowed" (docs/governance.md)
    std::string port;
    std::string column;   // empty for a change of the port itself
    std::string path;     // where in the descriptor: spec.outputs[daily].columns[amount].type
    std::string message;  // what changed, before -> after, for people
    std::vector<Consumer> consumers;  // filled by CheckCompatibility for refused and breaking changes
};

// The changes of `after` against `before` (the same product), in port and column order. `today`
// (YYYY-MM-DD, UTC) decides whether a deprecation's sunset has passed.
std::vector<CompatChange> CompareProducts(const model::DataProduct& before, const model::DataProduct& after,
                                          std::string_view today);

// True when `to` holds every value of `from` exactly (INTEGER -> BIGINT, FLOAT -> DOUBLE,
// DECIMAL(10,2) -> DECIMAL(12,2), SMALLINT -> DECIMAL(8,2), INTEGER[] -> BIGINT[]…). Types are
// DuckDB's, as the descriptor decoder normalises them.
bool IsWideningType(const std::string& from, const std::string& to);

// True when `after` is a new major version of `before`: a greater MAJOR, or for 0.y.z a greater
// MAJOR or MINOR. False when either is not a semantic version.
bool IsMajorBump(const std::string& before, const std::string& after);
// The smallest major bump of `version`: "1.4.2" -> "2.0.0", "0.3.1" -> "0.4.0".
std::string NextMajor(const std::string& version);

// One product of a batch against its published version.
struct ProductCompat {
    std::string product;
    std::string version_before;
    std::string version_after;
    bool major_bump = false;
    std::vector<CompatChange> changes;
    bool HasRefused() const;
    bool HasBreaking() const;
    // Refused changes, or breaking ones without a major bump.
    bool Blocked() const { return HasRefused() || (HasBreaking() && !major_bump); }
};

// A product of the batch that reads a deprecated port or column of another product.
struct DeprecationNotice {
    std::string product;    // the reader
    std::string input;      // its input's name
    std::string upstream;   // "domain.product.port", or "domain.product.port.column"
    model::Deprecation deprecation;
    bool sunset_passed = false;
    std::string column_use;  // for a column: "uses" or "unknown" (lineage cannot tell)
};

struct CompatReport {
    int64_t base_revision = 0;  // the catalog revision compared against
    std::vector<ProductCompat> products;  // products of the batch that exist in the catalog and changed
    std::vector<DeprecationNotice> notices;
    bool Blocks() const;
    // One line per blocking problem: "orders.order_facts: 2 breaking change(s) need a major version…"
    std::vector<std::string> Errors() const;
};

// Who uses a column of a product, downstream, from column lineage (search/): products whose
// transform reads it (`users`) and products for which lineage cannot tell (`unknown`).
struct ColumnUsers {
    std::set<std::string> users;
    std::set<std::string> unknown;
};
using ColumnUsersFn = std::function<Result<ColumnUsers>(const std::string& product, const std::string& column)>;
// Who holds grants on an output port ("domain.product.port"). The seam for access requests.
using GrantHoldersFn = std::function<Result<std::vector<std::string>>(const std::string& port)>;

struct CompatOptions {
    std::string today;                 // YYYY-MM-DD, UTC; empty: the current date
    ColumnUsersFn column_users;        // optional: column-level consumer detail
    GrantHoldersFn grant_holders;      // optional: grant holders per port
};

// Compares every product of `batch` that the catalog holds with its published version, lists the
// consumers of each refused or breaking change (transitively, with their owners), and the
// deprecated ports and columns the batch's products read. Returns an error status only when the
// catalog cannot be read; what blocks is in the report.
Result<CompatReport> CheckCompatibility(catalog::Catalog& catalog, const spec::Batch& batch,
                                        const CompatOptions& options);

// Today's date, YYYY-MM-DD in UTC.
std::string TodayUtc();

}  // namespace tessera::governance
