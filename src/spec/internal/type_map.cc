#include "spec/internal/type_map.h"

#include <cctype>

#include "spec/internal/duckdb_type.h"

namespace tessera::spec::internal {
namespace {

using S = TypeSystem;
constexpr bool kOut = true;

// Import reads every row; export writes the rows marked kOut. docs/interop.md prints this table.
constexpr TypeMapping kTable[] = {
        // Physical SQL types that DuckDB spells differently or not at all (the rest: DuckDB's own).
        {S::kSql, "serial", "INTEGER"},
        {S::kSql, "serial4", "INTEGER"},
        {S::kSql, "smallserial", "SMALLINT"},
        {S::kSql, "serial2", "SMALLINT"},
        {S::kSql, "bigserial", "BIGINT"},
        {S::kSql, "serial8", "BIGINT"},
        {S::kSql, "int64", "BIGINT"},
        {S::kSql, "int32", "INTEGER"},
        {S::kSql, "long", "BIGINT"},
        {S::kSql, "float64", "DOUBLE"},
        {S::kSql, "float32", "FLOAT"},
        {S::kSql, "double precision", "DOUBLE"},
        {S::kSql, "numeric", "DECIMAL(38,9)"},  // BigQuery NUMERIC; PostgreSQL: any precision
        {S::kSql, "decimal", "DECIMAL(38,9)"},
        {S::kSql, "string", "VARCHAR"},
        {S::kSql, "nvarchar", "VARCHAR"},
        {S::kSql, "nchar", "VARCHAR"},
        {S::kSql, "character varying", "VARCHAR"},
        {S::kSql, "timestamp", "TIMESTAMP"},  // SQL: without time zone
        {S::kSql, "timestamp without time zone", "TIMESTAMP"},
        {S::kSql, "timestamp_ntz", "TIMESTAMP"},
        {S::kSql, "datetime", "TIMESTAMP"},
        {S::kSql, "timestamptz", "TIMESTAMP WITH TIME ZONE"},
        {S::kSql, "timestamp_tz", "TIMESTAMP WITH TIME ZONE"},
        {S::kSql, "timestamp_ltz", "TIMESTAMP WITH TIME ZONE"},
        {S::kSql, "timestamp with time zone", "TIMESTAMP WITH TIME ZONE"},
        {S::kSql, "bytes", "BLOB"},
        {S::kSql, "binary", "BLOB"},
        {S::kSql, "varbinary", "BLOB"},
        {S::kSql, "bytea", "BLOB"},
        {S::kSql, "jsonb", "JSON"},
        {S::kSql, "variant", "JSON"},
        {S::kSql, "object", "JSON"},
        {S::kSql, "array", "JSON"},
        {S::kSql, "record", "JSON"},
        {S::kSql, "struct", "JSON"},
        {S::kSql, "map", "JSON"},
        {S::kSql, "geography", "VARCHAR"},

        // ODCS logicalType.
        {S::kOdcsLogical, "string", "VARCHAR", kOut},
        {S::kOdcsLogical, "date", "DATE", kOut},
        // ODCS v3.1: a timestamp carries a zone only with logicalTypeOptions.timezone: true.
        {S::kOdcsLogical, "timestamp", "TIMESTAMP", kOut},
        {S::kOdcsLogical, "time", "TIME", kOut},
        {S::kOdcsLogical, "integer", "BIGINT", kOut},
        {S::kOdcsLogical, "number", "DOUBLE", kOut},
        {S::kOdcsLogical, "boolean", "BOOLEAN", kOut},
        {S::kOdcsLogical, "object", "JSON", kOut},
        {S::kOdcsLogical, "array", "JSON"},
        // Export only: the logical type of the other DuckDB types.
        {S::kOdcsLogical, "timestamp", "TIMESTAMP WITH TIME ZONE", kOut},
        {S::kOdcsLogical, "timestamp", "TIMESTAMP_S", kOut},
        {S::kOdcsLogical, "timestamp", "TIMESTAMP_MS", kOut},
        {S::kOdcsLogical, "timestamp", "TIMESTAMP_NS", kOut},
        {S::kOdcsLogical, "time", "TIME WITH TIME ZONE", kOut},
        {S::kOdcsLogical, "integer", "TINYINT", kOut},
        {S::kOdcsLogical, "integer", "SMALLINT", kOut},
        {S::kOdcsLogical, "integer", "INTEGER", kOut},
        {S::kOdcsLogical, "integer", "HUGEINT", kOut},
        {S::kOdcsLogical, "integer", "UTINYINT", kOut},
        {S::kOdcsLogical, "integer", "USMALLINT", kOut},
        {S::kOdcsLogical, "integer", "UINTEGER", kOut},
        {S::kOdcsLogical, "integer", "UBIGINT", kOut},
        {S::kOdcsLogical, "integer", "UHUGEINT", kOut},
        {S::kOdcsLogical, "number", "FLOAT", kOut},
        {S::kOdcsLogical, "number", "DECIMAL", kOut},
        {S::kOdcsLogical, "object", "STRUCT", kOut},
        {S::kOdcsLogical, "object", "MAP", kOut},
        {S::kOdcsLogical, "array", "LIST", kOut},

        // Data Contract Specification field types (1.2.1: "int" is 32 bits, "timestamp" has a zone).
        {S::kDcs, "string", "VARCHAR", kOut},
        {S::kDcs, "text", "VARCHAR"},
        {S::kDcs, "varchar", "VARCHAR"},
        {S::kDcs, "number", "DECIMAL(38,9)"},
        {S::kDcs, "decimal", "DECIMAL(38,9)"},
        {S::kDcs, "numeric", "DECIMAL(38,9)"},
        {S::kDcs, "int", "INTEGER", kOut},
        {S::kDcs, "integer", "INTEGER"},
        {S::kDcs, "long", "BIGINT", kOut},
        {S::kDcs, "bigint", "BIGINT"},
        {S::kDcs, "float", "FLOAT", kOut},
        {S::kDcs, "double", "DOUBLE", kOut},
        {S::kDcs, "boolean", "BOOLEAN", kOut},
        {S::kDcs, "timestamp", "TIMESTAMP WITH TIME ZONE"},
        {S::kDcs, "timestamp_tz", "TIMESTAMP WITH TIME ZONE", kOut},
        {S::kDcs, "timestamp_ntz", "TIMESTAMP", kOut},
        {S::kDcs, "date", "DATE", kOut},
        {S::kDcs, "time", "TIME", kOut},
        {S::kDcs, "array", "JSON"},
        {S::kDcs, "map", "JSON"},
        {S::kDcs, "object", "JSON", kOut},
        {S::kDcs, "record", "JSON"},
        {S::kDcs, "struct", "JSON"},
        {S::kDcs, "variant", "JSON"},
        {S::kDcs, "json", "JSON"},
        {S::kDcs, "bytes", "BLOB", kOut},
        {S::kDcs, "null", "VARCHAR"},
        // Export only.
        {S::kDcs, "int", "TINYINT", kOut},
        {S::kDcs, "int", "SMALLINT", kOut},
        {S::kDcs, "int", "UTINYINT", kOut},
        {S::kDcs, "int", "USMALLINT", kOut},
        {S::kDcs, "long", "UINTEGER", kOut},
        {S::kDcs, "long", "HUGEINT", kOut},
        {S::kDcs, "long", "UBIGINT", kOut},
        {S::kDcs, "decimal", "DECIMAL", kOut},
        {S::kDcs, "decimal", "UHUGEINT", kOut},
        {S::kDcs, "timestamp_ntz", "TIMESTAMP_S", kOut},
        {S::kDcs, "timestamp_ntz", "TIMESTAMP_MS", kOut},
        {S::kDcs, "timestamp_ntz", "TIMESTAMP_NS", kOut},
        {S::kDcs, "time", "TIME WITH TIME ZONE", kOut},
        {S::kDcs, "object", "STRUCT", kOut},
        {S::kDcs, "map", "MAP", kOut},
        {S::kDcs, "array", "LIST", kOut},
};

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "timestamp  with time zone" and "timestamp with time zone" are one spelling.
    std::string squeezed;
    for (char c : out) {
        if (c == ' ' && (squeezed.empty() || squeezed.back() == ' ')) continue;
        squeezed += c;
    }
    while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
    return squeezed;
}

// The key a DuckDB type is exported by: DECIMAL(p,s) -> DECIMAL, T[] / T[n] -> LIST,
// STRUCT(…) -> STRUCT, MAP(…) -> MAP.
std::string ExportKey(std::string_view duck) {
    std::string t(duck);
    if (!t.empty() && t.back() == ']') return "LIST";
    for (const char* base : {"DECIMAL", "STRUCT", "MAP"}) {
        if (t.rfind(base, 0) == 0 && (t.size() == std::string(base).size() || t[std::string(base).size()] == '('))
            return base;
    }
    return t;
}

}  // namespace

std::string_view TypeSystemName(TypeSystem s) {
    switch (s) {
        case TypeSystem::kSql: return "sql";
        case TypeSystem::kOdcsLogical: return "odcs logicalType";
        case TypeSystem::kDcs: return "dcs";
    }
    return "";
}

std::span<const TypeMapping> TypeMappings() { return kTable; }

std::string DuckTypeOf(TypeSystem system, std::string_view name) {
    std::string key = Lower(name);
    if (key.empty()) return "";
    for (const auto& row : kTable) {  // import rows come first: the first match is the type
        if (row.system == system && row.name == key) return std::string(row.duckdb);
    }
    if (system != TypeSystem::kSql) return "";
    std::string normalized, error;
    if (NormalizeDuckDbType(name, &normalized, &error)) return normalized;
    return "";
}

std::string TypeNameFor(TypeSystem system, std::string_view duck_type) {
    std::string key = ExportKey(duck_type);
    for (const auto& row : kTable) {
        if (row.system == system && row.exported && row.duckdb == key) return std::string(row.name);
    }
    return "string";
}

}  // namespace tessera::spec::internal
