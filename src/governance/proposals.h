#pragma once

// Collaborative change of the rules (docs/governance.md): a policy is proposed from a file, its
// impact previewed (every product that would violate it, and its owner), approved by
// representatives of the domains until a quorum of domains agrees; it then enters the catalog in
// state `warn`, and moves to `enforce` (from a date) by `Enforce`. Waivers exempt one product
// from one policy until an expiry date.
//
//   TESSERA_ASSIGN_OR_RETURN(auto p, governance::Propose(*cat, "policies/ids.yaml", {.proposer = "ann"}));
//   TESSERA_ASSIGN_OR_RETURN(auto impact, governance::Preview(*cat, p.id, "2026-11-26"));
//   TESSERA_ASSIGN_OR_RETURN(auto state, governance::Approve(*cat, p.id, "bob", ""));

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "governance/policy_check.h"

namespace tessera::governance {

struct ProposeOptions {
    std::string proposer;
    int64_t quorum = 0;  // approving domains needed; 0: a majority of the mesh's domains
};

// Reads one Policy from `file` (every descriptor error located) and stores it as an open
// proposal. kInvalidArgument for a file that is not exactly one valid Policy; kAlreadyExists when
// an open proposal for the same policy exists.
Result<store::ProposalRecord> Propose(catalog::Catalog& cat, const std::string& file, const ProposeOptions& options);

struct Impact {
    std::string product;
    std::string owner;
    std::vector<std::string> messages;
};
struct PreviewResult {
    store::ProposalRecord proposal;
    model::Policy policy;
    std::vector<Impact> impact;  // by product
    size_t products = 0;         // products checked
    Status error;                // the policy's SQL failed (located)
};

// What the proposed policy would report over today's mesh. kNotFound for an unknown id.
Result<PreviewResult> Preview(catalog::Catalog& cat, int64_t id, const std::string& today);

struct ApprovalResult {
    store::ProposalRecord proposal;
    std::string domain;       // the domain the representative approved for
    bool accepted = false;    // the quorum is reached: the policy was applied in state warn
    int64_t revision = 0;     // the catalog revision that applied it
};

// Records `representative`'s approval for their domain: a member of a team of that domain.
// `domain` chooses when they represent several. kPermissionDenied when they represent none;
// kAlreadyExists when their domain approved already; kFailedPrecondition when the proposal is not
// open. When the quorum is reached the policy is applied to the catalog (state `warn` unless the
// file said `enforce`) and the proposal is accepted.
Result<ApprovalResult> Approve(catalog::Catalog& cat, int64_t id, const std::string& representative,
                               const std::string& domain);

// Moves a policy of the catalog to state enforce, from `from` (YYYY-MM-DD or days from
// `PolicyToday()` as `ResolveDay` reads them; today when empty),
// as a new revision. kNotFound for an unknown policy; kInvalidArgument for a bad date.
Result<int64_t> Enforce(catalog::Catalog& cat, const std::string& policy, const std::string& from,
                        const std::string& author);

struct WaiverRequest {
    std::string policy;
    std::string product;
    std::string reason;
    std::string approver;
    std::string author;
    std::string expires;  // YYYY-MM-DD, or days or weeks from today (`30d`, `2w`: see ResolveDay)
};

// Records a waiver after checking it: the policy and product exist, a reason and approver are
// given, and `expires` is a date from `today` on (at most a year ahead). kInvalidArgument,
// kNotFound otherwise.
Result<store::WaiverRecord> AddWaiver(catalog::Catalog& cat, const WaiverRequest& request, const std::string& today);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(const std::string& s);

// A day given on the command line: `YYYY-MM-DD` as it is, or `30d` / `+30d` / `2w`, that many
// days or weeks after `today` (YYYY-MM-DD), so that scripts and docs do not go stale. Returns
// YYYY-MM-DD; kInvalidArgument naming `option` and the accepted forms otherwise.
Result<std::string> ResolveDay(const std::string& option, const std::string& text, const std::string& today);

}  // namespace tessera::governance
