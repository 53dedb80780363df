#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/internal/duckdb.h"
#include "model/mesh.h"

namespace tessera::engine::internal {

// "name" with embedded quotes doubled: safe as a SQL identifier.
std::string QuoteIdent(std::string_view name);
// 'text' with embedded quotes doubled: safe as a SQL string literal.
std::string QuoteLiteral(std::string_view text);
// The DuckDB table function that reads files of `format` matching `glob`.
std::string ReadFiles(model::DataFormat format, const std::string& glob);
// `sql` without trailing whitespace and semicolons, to be wrapped: `COPY (<sql>) TO …`.
std::string WithoutTrailingSemicolons(std::string_view sql);
// DuckDB's parse tree of `sql` as JSON (`json_serialize_sql`); errors are inside the JSON.
Result<std::string> SerializeSql(Connection& con, std::string_view sql);
// The file extension of a port's snapshot files: "parquet", "csv", "json".
std::string FileExtension(model::DataFormat format);

}  // namespace tessera::engine::internal
