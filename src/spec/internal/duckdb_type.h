#pragma once

#include <string>
#include <string_view>

namespace tessera::spec::internal {

// Checks that `text` names a DuckDB type and returns it the way DuckDB's DESCRIBE prints it
// (aliases resolved: INT -> INTEGER, TEXT -> VARCHAR, TIMESTAMPTZ -> TIMESTAMP WITH TIME ZONE,
// DECIMAL -> DECIMAL(18,3); nested LIST `T[]`, fixed ARRAY `T[n]`, STRUCT(name T, …),
// MAP(K, V)). Returns false with a reason in `error` when it is not a type.
bool NormalizeDuckDbType(std::string_view text, std::string* normalized, std::string* error);

}  // namespace tessera::spec::internal
