#pragma once

// Quality checks of one output port. Column declarations give checks of their own
// (`<column>.required`, `.unique`, `.accepted_values`, `.range`); the port's `quality` list adds
// SQL, row count and freshness checks. `PlanChecks` turns the declaration into SQL (in the process
// that reads the catalog); `RunCheck` runs one against the table named like the port, before it is
// published (in the build's sandbox). Every check returns how many rows fail and, when samples are
// kept, a few of them.

#include <ctime>
#include <vector>

#include "engine/internal/build.h"
#include "engine/internal/duckdb.h"
#include "model/mesh.h"
#include "store/store.h"

namespace tessera::engine::internal {

// The checks of `port`, in the order they are reported; `now` dates freshness checks.
std::vector<CheckPlan> PlanChecks(const model::OutputPort& port, std::time_t now);

// Runs one check. A check that cannot run has status "error" with DuckDB's reason. The sample
// holds up to five failing rows when `keep_samples`, else stays "[]" (a count's sample is kept:
// it is not a row).
store::CheckRecord RunCheck(Connection& con, const CheckPlan& check, bool keep_samples);

// True when a check failed that must stop the publish: an error-severity failure, or a check
// that could not run.
bool BlocksPublish(const std::vector<store::CheckRecord>& checks);

}  // namespace tessera::engine::internal
