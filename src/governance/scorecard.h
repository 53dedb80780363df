#pragma once

// Scorecards: a score from 0 to 100 per product, per property and per domain, from one check's
// policy results (docs/governance.md).
//
//   auto card = governance::ComputeScorecard(mesh, report, now_ms);
//   card.products[0].score;  // 100 * passed weight / applicable weight - 5 per overdue issue
//
// A policy applies to a product when it is active (warn or enforce), ran without error, and is
// global or scoped to the product's domain. Its weight is its severity's: error 3, warning 2,
// info 1. A product passes it when no unwaived violation names the product; a waived violation
// leaves the policy out of that product's score. Every overdue quality issue takes 5 points off
// (down to 0). Per property, the same over the policies that list the property. A domain's
// scores are the means of its products'.

#include <map>
#include <string>
#include <vector>

#include "governance/policy_check.h"
#include "store/store.h"

namespace tessera::governance {

struct Score {
    std::string scope;  // product | domain
    std::string name;
    double score = 100;
    std::map<std::string, double> properties;  // property -> score, only properties with rules
    int64_t violations = 0;
    int64_t overdue_issues = 0;
    int64_t products = 0;  // domain: how many products
};

struct Scorecard {
    std::vector<Score> products;  // by name
    std::vector<Score> domains;   // by name
};

Scorecard ComputeScorecard(const MeshState& mesh, const CheckReport& report, int64_t now_ms);

// The mesh's score: the mean of its products' scores, computed from the domains' (each weighted by
// its products; a property's by the products of the domains that have it). Scope "mesh", name "".
Score MeshScore(const std::vector<Score>& domains);

// One policy's verdict on one product: what a product page shows beside its score.
struct ProductPolicyResult {
    const PolicyOutcome* outcome = nullptr;   // in the report it came from
    bool passed = true;                       // no unwaived violation names the product; false when the policy failed to run
    bool waived = false;                      // a waiver exempts one of its violations of the product
    std::vector<const Violation*> violations;  // of the product, waived ones included
};

// The policies that apply to `product` ("domain.name") as ComputeScorecard counts them (active,
// global or of the product's domain), by policy name; a policy that failed to run is listed as
// not passed (its outcome holds the error). Pointers are into `report`.
std::vector<ProductPolicyResult> ProductPolicies(const CheckReport& report, const std::string& product);

// The records to store for one check, and back.
std::vector<store::ScoreRecord> ToRecords(const Scorecard& card);
Score FromRecord(const store::ScoreRecord& record);

}  // namespace tessera::governance
