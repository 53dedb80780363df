#pragma once

// The metadata tables policies query, built from a MeshState. Their columns are specified in
// docs/governance.md; keep the two in step.

#include <vector>

#include "engine/sql_sandbox.h"
#include "governance/policy_check.h"

namespace tessera::governance::internal {

std::vector<engine::InputTable> MetadataTables(const MeshState& mesh);

// "2026-11-26 08:19:53.123" for Unix milliseconds (a DuckDB TIMESTAMP literal), or nullopt for 0.
std::optional<std::string> TimestampText(int64_t unix_ms);

}  // namespace tessera::governance::internal
