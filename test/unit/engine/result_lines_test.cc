#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/query.h"

namespace tessera::engine {
namespace {

Table OneRow() {
    Table t;
    t.columns = {"z_id", "amount", "ok", "tags", "attrs", "name", "missing", "ratio", "arr"};
    t.types = {"BIGINT", "DECIMAL(10,2)", "BOOLEAN", "VARCHAR[]", "STRUCT(a INTEGER)", "VARCHAR", "DATE", "DOUBLE", "INTEGER[2]"};
    t.rows.push_back({"7", "12.50", "true", R"(["a, b","c"])", R"({"a":1})", "say \"hi\"", std::nullopt, "nan", "[1,2]"});
    return t;
}

TEST(ResultLines, JsonLineKeepsColumnOrderTypesAndNesting) {
    EXPECT_EQ(JsonLine(OneRow(), 0),
              R"({"z_id":7,"amount":12.5,"ok":true,"tags":["a, b","c"],"attrs":{"a":1},"name":"say \"hi\"",)"
              R"("missing":null,"ratio":"nan","arr":[1,2]})"
              "\n");
}

TEST(ResultLines, CsvLineQuotesOnlyWhatNeedsIt) {
    Table t = OneRow();
    EXPECT_EQ(CsvLine(t.rows[0]),
              "7,12.50,true,\"[\"\"a, b\"\",\"\"c\"\"]\",\"{\"\"a\"\":1}\",\"say \"\"hi\"\"\",,nan,\"[1,2]\"\n");
    EXPECT_EQ(CsvLine({"a\rb", "x\ny", ""}), "\"a\rb\",\"x\ny\",\n");
}

}  // namespace
}  // namespace tessera::engine
