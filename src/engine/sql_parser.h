#pragma once

// DuckDB's parse tree of SQL, as JSON (`json_serialize_sql`), for analyses that read SQL without
// running it (column lineage). Only SELECT statements serialize; anything else gives a tree with
// `"error": true` and DuckDB's reason.

#include <string>

#include "common/result.h"

namespace tessera::engine {

// kInternal when DuckDB cannot be opened; otherwise the JSON text, errors included.
Result<std::string> ParseTree(const std::string& sql);

}  // namespace tessera::engine
