#include "engine/internal/statement_check.h"

#include <gtest/gtest.h>

#include "engine/sql_parser.h"

namespace tessera::engine::internal {
namespace {

using Json = nlohmann::json;

Result<std::vector<TableName>> Check(const std::string& sql) {
    auto text = ParseTree(sql);
    if (!text.ok()) return text.status();
    Json tree = Json::parse(*text);
    if (tree.value("error", false)) return InvalidArgument(tree.value("error_message", std::string("parse error")));
    return CheckStatement(tree["statements"][0], {});
}

struct Refusal {
    const char* sql;
    StatusCode code;
    const char* says;
};

// Each name bound where DuckDB's binder would bind it: a CTE only in its own scope.
TEST(StatementCheck, RefusesNamesThatNoCteInScopeBinds) {
    const Refusal cases[] = {
            {"select * from '/d/x.parquet', (with \"/d/x.parquet\" as (select 1) select 1)", StatusCode::kInvalidArgument,
             "files cannot be read by their path"},
            {"select * from pg_settings, (with pg_settings as (select 1) select 1)", StatusCode::kInvalidArgument,
             "unknown table \"pg_settings\""},
            {"select * from duckdb_views where exists (with duckdb_views as (select 1) select 1)",
             StatusCode::kInvalidArgument, "unknown table \"duckdb_views\""},
            {"(with x as (select 1) select * from x) union all select * from x", StatusCode::kInvalidArgument,
             "unknown table \"x\""},
            {"with a as (select * from b), b as (select 1) select * from a", StatusCode::kInvalidArgument,
             "unknown table \"b\""},
            {"with x as (select * from x) select * from x", StatusCode::kInvalidArgument, "unknown table \"x\""},
            {"with recursive t as (select * from t union all select 1) select * from t", StatusCode::kInvalidArgument,
             "unknown table \"t\""},
            {"select (with x as (select 1) select 1), * from x", StatusCode::kInvalidArgument, "unknown table \"x\""},
            {"select * from a.b l, lateral (with c as (select 1) select 1) r, c", StatusCode::kInvalidArgument,
             "unknown table \"c\""},
            {"select * from information_schema.views", StatusCode::kInvalidArgument, "is not readable in queries"},
            {"select * from pg_catalog.pg_class", StatusCode::kInvalidArgument, "is not readable in queries"},
            {"select * from system.main.duckdb_views", StatusCode::kInvalidArgument, "without a catalog"},
            {"select * from read_csv('/etc/passwd')", StatusCode::kInvalidArgument, "read_csv() is not allowed"},
            {"select * from range(3), glob('/*')", StatusCode::kInvalidArgument, "glob() is not allowed"},
            {"select getenv('HOME')", StatusCode::kInvalidArgument, "getenv() is not allowed"},
            {"select pg_get_viewdef(1)", StatusCode::kInvalidArgument, "pg_get_viewdef() is not allowed"},
            {"select pg_catalog.f(1)", StatusCode::kInvalidArgument, "plain names"},
            {"select * from (summarize a.b)", StatusCode::kInvalidArgument, "DESCRIBE and SUMMARIZE"},
            {"select repeat('x', 1000000000)", StatusCode::kResourceExhausted, "repeat(): the count"},
            {"select repeat('x', n) from range(3) t(n)", StatusCode::kResourceExhausted, "repeat(): the count"},
            {"select lpad('', 100000, 'x')", StatusCode::kResourceExhausted, "lpad(): the length"},
            {"select printf('%*d', 100000, 1)", StatusCode::kResourceExhausted, "widths given as arguments"},
            {"select printf(f, 1) from (select '%09999999d' as f)", StatusCode::kResourceExhausted, "constant string"},
            {"select range(1, 100000000)", StatusCode::kResourceExhausted, "a list of at most"},
            {"select lpad(repeat('x', 10), 10, 'y')", StatusCode::kResourceExhausted, "its arguments cannot call"},
    };
    for (const auto& c : cases) {
        auto r = Check(c.sql);
        ASSERT_FALSE(r.ok()) << c.sql;
        EXPECT_EQ(r.status().code(), c.code) << c.sql << ": " << r.status().message();
        EXPECT_NE(r.status().message().find(c.says), std::string::npos) << c.sql << ": " << r.status().message();
    }
}

TEST(StatementCheck, AcceptsCtesInScopeAndReturnsTheProductsOnce) {
    const char* accepted[] = {
            "with x as (select 1) select * from x",
            "with x as (select 1) select * from x union all select * from x",
            "with x as (select 1) select * from (select * from x) s where exists (select 1 from x)",
            "with a as (select 1), b as (select * from a) select * from b",
            "with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t",
            "select * from (with x as (select 1) select * from x) s",
            "select * from range(3) r, lateral (select r.range * 2) t",
            "select * from information_schema.columns",
            "select lpad('7', 3, '0'), repeat('ab', 3), printf('%05.1f', 1.5), range(10)",
            "values (1), (2)",
    };
    for (const char* sql : accepted) {
        auto r = Check(sql);
        EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
        if (r.ok()) {
            EXPECT_TRUE(r->empty()) << sql;
        }
    }
    auto r = Check("with o as (select * from Orders.Facts) select * from o join orders.facts using (id), users.c");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0], (TableName{"orders", "facts"}));
    EXPECT_EQ((*r)[1], (TableName{"users", "c"}));
}

TEST(StatementCheck, RefusesSelectListsWiderThanTheLimit) {
    std::string sql = "select 1";
    for (int i = 0; i < 1100; ++i) sql += ",1";
    auto r = Check(sql);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(r.status().message().find("selects 1101 expressions"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace tessera::engine::internal
