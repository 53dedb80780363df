#pragma once

// Policy evaluation: every policy is a DuckDB query over the metadata tables of the mesh
// (docs/governance.md); each row it returns is a violation. Evaluated in engine::SqlSandbox, so a
// policy reads nothing but those tables, within a time limit.
//
//   TESSERA_ASSIGN_OR_RETURN(auto mesh, governance::LoadMesh(*cat, &batch));  // batch over catalog
//   governance::CheckOptions options{.today = "2026-11-26"};
//   options.products = {"orders.order_facts"};                                 // changed products
//   TESSERA_ASSIGN_OR_RETURN(auto report, governance::CheckPolicies(mesh, options));
//   if (report.Blocking() > 0) …                                               // apply refuses
//
// Levels: a policy in state `warn` (or `enforce` before its `enforce_from` date) reports its
// violations as warnings (info stays info); in state `enforce` a violation has the policy's
// severity, and an `error` blocks apply unless a waiver exempts the product. `proposed` policies
// are evaluated only when asked (`include_proposed`: the impact preview).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "model/mesh.h"
#include "spec/descriptor.h"
#include "store/store.h"

namespace tessera::governance {

// A policy with where it was written (for located errors; `at` may be unknown).
struct PolicySource {
    model::Policy policy;
    std::string origin;
    spec::Position at;  // the policy's `query` (or `sql`) field
};

// What policies see: the catalog's entities with an apply batch laid over them, and the data
// plane's records.
struct MeshState {
    std::vector<model::Domain> domains;
    std::vector<model::Team> teams;
    std::vector<model::DataProduct> products;
    std::vector<PolicySource> policies;
    std::vector<store::RunRecord> runs;
    std::vector<store::SnapshotRecord> snapshots;
    std::vector<store::IssueRecord> issues;  // unresolved quality issues
};

// Reads the mesh from `cat`; entities of `overlay` replace or add to the catalog's.
Result<MeshState> LoadMesh(catalog::Catalog& cat, const spec::Batch* overlay = nullptr);

enum class Level { kError, kWarning, kNote };
std::string_view LevelName(Level level);  // "error", "warning", "note" (SARIF's names)

struct Violation {
    std::string policy;
    std::string product;  // "domain.name", or empty when the row has no `product` column
    std::string port;
    std::string column;
    std::string message;  // the template filled from the row
    Level level = Level::kWarning;
    bool blocking = false;        // an enforced error, not waived
    int64_t waiver_id = 0;        // the waiver that exempts it, or 0
    std::string waiver_reason;
};

struct PolicyOutcome {
    PolicySource source;
    enum class Result { kPassed, kFailed, kError } result = Result::kPassed;
    bool enforced = false;  // in state enforce and past enforce_from
    Status error;           // for kError: the located reason
    int64_t duration_ms = 0;
    std::vector<Violation> violations;  // waived ones included (waiver_id set)
};

struct CheckReport {
    std::string today;
    size_t products_checked = 0;
    std::vector<PolicyOutcome> outcomes;  // by policy name
    size_t Count(Level level) const;      // violations not waived, by level
    size_t Blocking() const;
    size_t Errors() const;                // policies that failed to run
    size_t Waived() const;
};

struct CheckOptions {
    std::string today;                 // YYYY-MM-DD (UTC): enforce_from and waiver expiry
    std::set<std::string> products;    // when not empty, only violations of these products count
    bool include_proposed = false;
    std::set<std::string> only;        // when not empty, only these policies
    int64_t default_timeout_ms = 10000;
    std::vector<store::WaiverRecord> waivers;
    int threads = 0;
};

// Evaluates the mesh's policies. kInvalidArgument only when the metadata cannot be loaded; a
// policy whose SQL fails is an outcome of kind kError with a located message
// (`file:line:col: error: spec.query: policy NAME: …`), and the others still run.
Result<CheckReport> CheckPolicies(const MeshState& mesh, const CheckOptions& options);

// Fills `{column}` placeholders of `message` from a row; unknown ones stay as written, NULL
// cells read "NULL".
std::string FillTemplate(const std::string& message, const std::vector<std::string>& columns,
                         const std::vector<std::optional<std::string>>& row);

// True when `waiver` applies on `today`: not revoked and `today` <= its `expires` date.
bool WaiverActive(const store::WaiverRecord& waiver, const std::string& today);

// Today's date (UTC) as YYYY-MM-DD for Unix milliseconds.
std::string DateOf(int64_t unix_ms);

}  // namespace tessera::governance
