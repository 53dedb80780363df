#pragma once

// Locks a DuckDB connection's database down to a list of files: after `LockToFiles`, SQL on it
// can open those files and nothing else (no directory, no other path, no network, no extension),
// and cannot change any setting back. The consumer query sandbox calls it once its views exist.

#include <string>
#include <vector>

#include "common/status.h"
#include "engine/internal/duckdb.h"

namespace tessera::engine::internal {

// `allowed_directories` empty, `allowed_paths` = `files`, `enable_external_access = false`,
// `lock_configuration = true`. DuckDB still lets the database's own `temp_directory` be used
// (give it a private one). Errors as `Connection::Execute`.
Status LockToFiles(Connection& con, const std::vector<std::string>& files);

}  // namespace tessera::engine::internal
