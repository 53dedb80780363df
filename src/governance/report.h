#pragma once

// A check's results in the formats CI systems read (docs/governance.md):
// JSON (Tessera's own), SARIF 2.1.0 (code scanning: one rule per policy, one result per
// violation, waived ones as suppressed results) and JUnit XML (one test case per policy, failing
// when it has an unwaived error, erroring when its SQL failed).
//
//   std::cout << governance::ToSarif(report, "0.1.0");

#include <string>

#include <nlohmann/json.hpp>

#include "governance/policy_check.h"

namespace tessera::governance {

nlohmann::ordered_json ToJson(const CheckReport& report);
std::string ToSarif(const CheckReport& report, const std::string& tool_version);
std::string ToJunit(const CheckReport& report);

// Where a violation is: "domain.product.port.column" as far as known.
std::string AddressOf(const Violation& v);

}  // namespace tessera::governance
