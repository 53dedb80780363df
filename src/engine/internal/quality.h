#pragma once

// Quality checks of one output port, run against the table named like the port before it is
// published. Column declarations give checks of their own (`<column>.required`, `.unique`,
// `.accepted_values`, `.range`); the port's `quality` list adds SQL, row count and freshness
// checks. Every check returns how many rows fail and a few of them.

#include <ctime>
#include <vector>

#include "engine/internal/duckdb.h"
#include "model/mesh.h"
#include "store/store.h"

namespace tessera::engine::internal {

std::vector<store::CheckRecord> RunChecks(Connection& con, const model::OutputPort& port, std::time_t now);

// True when a check failed that must stop the publish: an error-severity failure, or a check
// that could not run.
bool BlocksPublish(const std::vector<store::CheckRecord>& checks);

}  // namespace tessera::engine::internal
