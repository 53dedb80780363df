#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "spec/internal/interop_common.h"
#include "spec/internal/type_map.h"

namespace tessera::spec::internal {
namespace {

// Every row of the one type table (docs/interop.md, "Types"), imported and exported.
TEST(TypeMap, ImportsEveryRowOfTheTable) {
    std::set<std::pair<TypeSystem, std::string_view>> seen;
    for (const TypeMapping& row : TypeMappings()) {
        if (!seen.insert({row.system, row.name}).second) continue;  // export-only rows repeat a name
        EXPECT_EQ(DuckTypeOf(row.system, row.name), row.duckdb)
                << TypeSystemName(row.system) << " " << row.name;
        // Case and spacing do not matter.
        std::string upper(row.name);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        EXPECT_EQ(DuckTypeOf(row.system, upper), row.duckdb) << upper;
    }
}

TEST(TypeMap, ExportsEveryMarkedRowAndReadsItBack) {
    std::map<std::pair<TypeSystem, std::string_view>, std::string_view> first;
    for (const TypeMapping& row : TypeMappings()) {
        if (!row.exported) continue;
        if (!first.emplace(std::make_pair(row.system, row.duckdb), row.name).second) continue;
        EXPECT_EQ(TypeNameFor(row.system, row.duckdb), row.name) << TypeSystemName(row.system) << " " << row.duckdb;
        // What export writes, import reads (the original spelling itself travels in x-odcs/x-dcs).
        EXPECT_FALSE(DuckTypeOf(row.system, row.name).empty()) << row.name;
    }
}

TEST(TypeMap, MapsTheTypesThatWentWrong) {
    EXPECT_EQ(DuckTypeFor("serial", "integer"), "INTEGER");   // was DOUBLE / BIGINT
    EXPECT_EQ(DuckTypeFor("bigserial", ""), "BIGINT");
    EXPECT_EQ(DuckTypeFor("", "timestamp"), "TIMESTAMP");     // was TIMESTAMP WITH TIME ZONE
    EXPECT_EQ(DuckTypeFor("timestamp", "timestamp"), "TIMESTAMP");
    EXPECT_EQ(DuckTypeFor("timestamptz", ""), "TIMESTAMP WITH TIME ZONE");
    EXPECT_EQ(DuckTypeFor("double precision", "number"), "DOUBLE");
    EXPECT_EQ(DuckTypeFor("varchar(18)", "string"), "VARCHAR");
    EXPECT_EQ(DuckTypeFor("decimal(12,2)", "number"), "DECIMAL(12,2)");
    EXPECT_EQ(DuckTypeFor("no such type", "no such type"), "VARCHAR");
    EXPECT_EQ(DcsDuckType("timestamp"), "TIMESTAMP WITH TIME ZONE");  // DCS: timestamp has a zone
    EXPECT_EQ(DcsDuckType("timestamp_ntz"), "TIMESTAMP");
    EXPECT_EQ(DcsDuckType("int"), "INTEGER");
    EXPECT_EQ(DcsDuckType("long"), "BIGINT");
    EXPECT_EQ(OdcsLogicalType("DECIMAL(12,2)"), "number");
    EXPECT_EQ(OdcsLogicalType("VARCHAR[]"), "array");
    EXPECT_EQ(OdcsLogicalType("STRUCT(a INTEGER)"), "object");
    EXPECT_EQ(OdcsLogicalType("UUID"), "string");
    EXPECT_EQ(DcsType("TIMESTAMP WITH TIME ZONE"), "timestamp_tz");
    EXPECT_EQ(DcsType("BLOB"), "bytes");
}

}  // namespace
}  // namespace tessera::spec::internal
