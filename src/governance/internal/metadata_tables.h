#pragma once

// The metadata tables policies query, built from a MeshState. Their columns are specified in
// docs/governance.md; keep the two in step.

#include <vector>

#include "engine/sql_sandbox.h"
#include "governance/policy_check.h"

namespace tessera::governance::internal {

std::vector<engine::InputTable> MetadataTables(const MeshState& mesh);

}  // namespace tessera::governance::internal
