#pragma once

// The governance review of an apply batch: what `tessera plan`, `tessera apply` and the server's
// `POST /api/v1/apply` all run before anything is written, so that no way into the catalog skips
// it. Two parts: the breaking changes against the published versions (compat.h) and the policies
// on the batch's products (policy_check.h).
//
//   governance::ReviewOptions options{.today = governance::PolicyToday()};
//   TESSERA_ASSIGN_OR_RETURN(auto review, governance::ReviewBatch(*cat, batch, options));
//   if (review.Blocks()) return review.BlockingError();  // kFailedPrecondition: nothing written
//   json["compatibility"] = governance::CompatToJson(review.compat);
//
// The JSON forms are a contract (docs/governance.md, docs/api.md): the server answers them and
// the CLI's remote mode reads them back (`CompatFromJson`, `CheckReportFromJson`) to print exactly
// what local mode prints.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "governance/compat.h"
#include "governance/policy_check.h"
#include "spec/descriptor.h"

namespace tessera::governance {

struct ReviewOptions {
    std::string today;  // YYYY-MM-DD (UTC): deprecation sunsets, enforce_from, waiver expiry
    GrantHoldersFn grant_holders;  // optional: who holds active grants on a port (access module)
};

// The review of one batch against one catalog revision.
struct BatchReview {
    CompatReport compat;
    // The policies on the batch's products (on the whole mesh when the batch changes a policy);
    // absent when the batch holds neither products nor policies. Only the batch's own products'
    // violations are `blocking`: a newly enforced policy reports what the rest must fix.
    std::optional<CheckReport> policies;

    // True when a policy failed to run (its outcome holds the located status).
    bool PolicyFailed() const;
    // True when a policy failed to run or an enforced error of the batch's products is unwaived.
    bool PoliciesBlock() const;
    // True when either part refuses the batch.
    bool Blocks() const { return compat.Blocks() || PoliciesBlock(); }
    // One line per blocking problem: the compatibility errors, then the policy ones.
    std::vector<std::string> Errors() const;
    // The status that refuses the batch: the first failed policy's own status, else
    // kFailedPrecondition listing `Errors()` and saying that nothing was changed. Ok when nothing
    // blocks.
    Status BlockingError() const;
};

// Reviews `batch` against `catalog` (read only): compatibility with column-level consumers from
// lineage, and the active policies (the catalog's, replaced by the batch's) over the catalog with
// the batch laid over it. Returns an error status only when the catalog cannot be read; what
// blocks is in the review.
Result<BatchReview> ReviewBatch(catalog::Catalog& catalog, const spec::Batch& batch, const ReviewOptions& options);

// The compatibility part alone (what `ReviewBatch` runs).
Result<CompatReport> CheckBatchCompatibility(catalog::Catalog& catalog, const spec::Batch& batch,
                                             const std::string& today, GrantHoldersFn grant_holders = {});
// The policy part alone (what `ReviewBatch` runs); nullopt when there is nothing to check.
Result<std::optional<CheckReport>> CheckBatchPolicies(catalog::Catalog& catalog, const spec::Batch& batch,
                                                      const std::string& today);

// kFailedPrecondition: "<errors joined by '; '>; nothing was changed".
Status CompatError(const CompatReport& report);
// kFailedPrecondition: "N violation(s) of enforced policies: fix them, or ask for a waiver (…)".
Status PolicyBlockingError(const CheckReport& report);

// The compatibility report as `tessera plan --json` prints it under "compatibility".
nlohmann::ordered_json CompatToJson(const CompatReport& report);
// Back from `CompatToJson` (without `base_revision`). kInvalidArgument when it is not that shape.
Result<CompatReport> CompatFromJson(const nlohmann::ordered_json& j);
// Back from `ToJson(const CheckReport&)` (report.h): what the text report prints. A policy that
// failed to run comes back with kInvalidArgument and its message. kInvalidArgument when it is not
// that shape.
Result<CheckReport> CheckReportFromJson(const nlohmann::ordered_json& j);

// The day governance takes as today, YYYY-MM-DD: $TESSERA_TODAY when set (to try a date:
// enforcement, waiver expiry, sunsets), else today in UTC.
std::string PolicyToday();

}  // namespace tessera::governance
