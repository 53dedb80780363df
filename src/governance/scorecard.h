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

// The records to store for one check, and back.
std::vector<store::ScoreRecord> ToRecords(const Scorecard& card);
Score FromRecord(const store::ScoreRecord& record);

}  // namespace tessera::governance
