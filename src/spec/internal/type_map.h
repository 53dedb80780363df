#pragma once

// The one table that maps the types of the standards to DuckDB types, both ways. docs/interop.md
// ("Types") prints it; test/unit/spec/type_map_test.cc imports and exports it row by row.
//
//   DuckTypeOf(TypeSystem::kOdcsLogical, "timestamp");  // "TIMESTAMP"
//   DuckTypeOf(TypeSystem::kSql, "serial");              // "INTEGER"
//   TypeNameFor(TypeSystem::kDcs, "DECIMAL(12,2)");      // "decimal"

#include <span>
#include <string>
#include <string_view>

namespace tessera::spec::internal {

// Whose type names a row spells.
enum class TypeSystem {
    kSql,          // physical SQL types: ODCS `physicalType`, dbt `data_type`, DPDS column types
    kOdcsLogical,  // ODCS `logicalType` (v3.0: string…boolean; v3.1 adds timestamp, time)
    kDcs,          // Data Contract Specification field `type`
};
std::string_view TypeSystemName(TypeSystem s);  // "sql", "odcs logicalType", "dcs"

struct TypeMapping {
    TypeSystem system;
    std::string_view name;    // as the standard spells it, lower case (matched case-insensitively)
    std::string_view duckdb;  // the DuckDB type, as DESCRIBE prints it
    // True on the row export uses to write `duckdb` back in `system` (one per DuckDB type and
    // system; `duckdb` "DECIMAL" stands for every DECIMAL(p,s), "LIST" for every T[]).
    bool exported = false;
};

// Every row, grouped by system.
std::span<const TypeMapping> TypeMappings();

// The DuckDB type of `name` in `system`: the table's row; for kSql, when no row names it, any type
// DuckDB knows (normalised: `varchar(18)` -> VARCHAR, `decimal(12,2)` -> DECIMAL(12,2)). "" when
// nothing matches.
std::string DuckTypeOf(TypeSystem system, std::string_view name);

// The name `system` gives a DuckDB type on export ("string" when no row says otherwise).
std::string TypeNameFor(TypeSystem system, std::string_view duck_type);

}  // namespace tessera::spec::internal
