#pragma once

#include <string>
#include <string_view>

#include "model/mesh.h"

namespace tessera::engine::internal {

// "name" with embedded quotes doubled: safe as a SQL identifier.
std::string QuoteIdent(std::string_view name);
// 'text' with embedded quotes doubled: safe as a SQL string literal.
std::string QuoteLiteral(std::string_view text);
// The DuckDB table function that reads files of `format` matching `glob`.
std::string ReadFiles(model::DataFormat format, const std::string& glob);
// The file extension of a port's snapshot files: "parquet", "csv", "json".
std::string FileExtension(model::DataFormat format);

}  // namespace tessera::engine::internal
