#include "engine/internal/duckdb.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

namespace tessera::engine::internal {
namespace {

namespace fs = std::filesystem;

Connection Connect(Database& db) {
    Result<Connection> con = db.Connect();
    EXPECT_TRUE(con.ok()) << con.status().ToString();
    return std::move(con).value();
}

Database OpenMemory(const ConfigOptions& config = {}) {
    Result<Database> db = Database::Open("", config);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
}

QueryResult MustQuery(Connection& con, std::string_view sql) {
    Result<QueryResult> r = con.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : QueryResult();
}

TEST(DuckDb, QueryReturnsColumnNamesTypesAndCells) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r = MustQuery(con, "select 42 as answer, 'forty-two' as spelled from range(3)");
    EXPECT_EQ(r.kind(), ResultKind::kRows);
    ASSERT_EQ(r.column_count(), 2u);
    EXPECT_EQ(r.column_names(), (std::vector<std::string>{"answer", "spelled"}));
    EXPECT_EQ(r.column_types(), (std::vector<std::string>{"INTEGER", "VARCHAR"}));
    ASSERT_EQ(r.row_count(), 3u);
    EXPECT_EQ(r.Cell(2, 0), "42");
    EXPECT_EQ(r.Cell(2, 1), "forty-two");
}

TEST(DuckDb, ColumnTypesArePrintedAsDuckDbPrintsThem) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r = MustQuery(con, R"(select
            12.5::DECIMAL(12,2) as amount,
            ['a', 'b'] as tags,
            {'id': 1, 'Label': 'x'} as point,
            MAP {'k': 1.5::DOUBLE} as weights,
            [1, 2, 3]::INTEGER[3] as triple,
            TIMESTAMP '2025-03-01 10:00:00' as ordered_at,
            TIMESTAMPTZ '2025-03-01 10:00:00+00' as paid_at,
            DATE '2025-03-01' as order_date,
            true as is_paid,
            'a'::ENUM('a', 'b') as grade,
            uuid '6b1f7a36-0d1b-4bd7-9a3e-0a6d8c1f2e3d' as token,
            1::HUGEINT as big,
            '{}'::JSON as doc,
            [[1]] as nested)");
    EXPECT_EQ(r.column_types(),
              (std::vector<std::string>{
                      "DECIMAL(12,2)", "VARCHAR[]", "STRUCT(id INTEGER, \"Label\" VARCHAR)",
                      "MAP(VARCHAR, DOUBLE)", "INTEGER[3]", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
                      "DATE", "BOOLEAN", "ENUM('a', 'b')", "UUID", "HUGEINT", "JSON",
                      "INTEGER[][]"}));
}

TEST(DuckDb, ColumnTypesMatchDescribe) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    ASSERT_TRUE(
            con.Execute("create table t (a DECIMAL(18,3), b VARCHAR[], c STRUCT(x INT, y STRUCT(z "
                        "DATE)), "
                        "d MAP(INT, VARCHAR[]), e TIME, f INTERVAL, g BLOB, h UBIGINT, i FLOAT)")
                    .ok());
    QueryResult described = MustQuery(con, "select column_type from (describe t)");
    QueryResult r = MustQuery(con, "select * from t");
    ASSERT_EQ(described.row_count(), r.column_count());
    for (size_t i = 0; i < r.column_count(); ++i) {
        EXPECT_EQ(r.column_type(i), described.Cell(i, 0)) << r.column_name(i);
    }
}

TEST(DuckDb, CellsAreTheTextOfACastToVarchar) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    const char* expressions[] = {
            "12.5::DECIMAL(12,2)",
            "-0.05::DECIMAL(4,2)",
            "123456789012345678.9::DECIMAL(38,1)",
            "TIMESTAMP '2025-03-01 10:00:00.25'",
            "DATE '2025-03-01'",
            "TIME '23:59:59'",
            "INTERVAL 14 MONTH + INTERVAL 3 DAY",
            "3.0::DOUBLE",
            "0.1::FLOAT",
            "uuid '6b1f7a36-0d1b-4bd7-9a3e-0a6d8c1f2e3d'",
            "uuid 'ffffffff-ffff-ffff-ffff-fffffffffffe'",
            "'b'::ENUM('a', 'b')",
            "'\\xAA\\x00'::BLOB",
            "'0101'::BIT",
            "-170141183460469231731687303715884105727::HUGEINT",
            "union_value(num := 2)::UNION(num INTEGER, str VARCHAR)",
            "true",
            "(-128)::TINYINT",
            "18446744073709551615::UBIGINT",
    };
    for (const char* e : expressions) {
        std::string sql = std::string("select ") + e + ", (" + e + ")::VARCHAR";
        QueryResult r = MustQuery(con, sql);
        ASSERT_EQ(r.row_count(), 1u) << e;
        EXPECT_EQ(r.Cell(0, 0), r.Cell(0, 1)) << e;
        EXPECT_FALSE(r.IsNull(0, 0)) << e;
    }
}

// Lists, arrays, structs and maps are JSON (DuckDB's own text `[a, b c]` cannot tell the list
// ['a, b'] from ['a', 'b']): the same text as DuckDB's to_json.
TEST(DuckDb, NestedCellsAreJsonAsToJsonWritesIt) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    const char* expressions[] = {
            "['a', NULL, 'b c']",
            "['a, b', 'quote \"q\" and \\\\ backslash', 'tab\tnewline\n']",
            "[]::VARCHAR[]",  // an empty list (a policy may return an empty `tags`)
            "[[], [1]]::INTEGER[][]",
            "{'id': 1, 'name': 'x', 'ok': true, 'at': DATE '2025-03-01'}",
            "MAP {'k': 1.5, 'l': NULL}",
            "[1, 2]::INTEGER[2]",
            "[{'a': [1, 2]}, NULL]",
            "{'tags': ['x'], 'n': 18446744073709551615::UBIGINT}",
    };
    for (const char* e : expressions) {
        std::string sql = std::string("select ") + e + ", to_json(" + e + ")::VARCHAR";
        QueryResult r = MustQuery(con, sql);
        ASSERT_EQ(r.row_count(), 1u) << e;
        EXPECT_EQ(r.Cell(0, 0), r.Cell(0, 1)) << e;
    }
}

TEST(DuckDb, DecimalsInNestedCellsKeepTheirScale) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r = MustQuery(con, "select [12.5::DECIMAL(12,2), -0.05], {'nan': 'nan'::DOUBLE}");
    EXPECT_EQ(r.Cell(0, 0), "[12.50,-0.05]");
    EXPECT_EQ(r.Cell(0, 1), R"({"nan":"nan"})");  // not a JSON number: a string
}

TEST(DuckDb, KeyedHashIsHmacSha256UnderItsKey) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    ASSERT_TRUE(con.RegisterKeyedHash("keyed", "Jefe").ok());
    // RFC 4231, test case 2.
    QueryResult r = MustQuery(con, "select keyed('what do ya want for nothing?'), keyed(NULL), "
                                   "keyed(x) from (values ('a'), ('b')) t(x) order by 3");
    EXPECT_EQ(r.Cell(0, 0), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_TRUE(r.IsNull(0, 1));
    EXPECT_NE(r.Cell(0, 2), r.Cell(1, 2));
    EXPECT_EQ(con.RegisterKeyedHash("empty", "").code(), StatusCode::kInvalidArgument);
    // RFC 4231, test case 6: a key longer than SHA-256's block is hashed first.
    ASSERT_TRUE(con.RegisterKeyedHash("long_keyed", std::string(131, '\xaa')).ok());
    QueryResult long_key =
            MustQuery(con, "select long_keyed('Test Using Larger Than Block-Size Key - Hash Key First')");
    EXPECT_EQ(long_key.Cell(0, 0), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    // The key is not in any SQL text the database can show.
    QueryResult fns = MustQuery(con, "select count(*) from duckdb_functions() where function_name = 'keyed' "
                                     "and (coalesce(macro_definition, '') like '%Jefe%')");
    EXPECT_EQ(fns.Cell(0, 0), "0");
}

TEST(DuckDb, NullCellsAreReportedAsNullAtEveryLevel) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r =
            MustQuery(con,
                      "select NULL::INTEGER as a, NULL as b, '' as c, [NULL::INTEGER, 1] as d, "
                      "{'x': NULL::VARCHAR} as e");
    EXPECT_TRUE(r.IsNull(0, 0));
    EXPECT_EQ(r.Cell(0, 0), "");
    EXPECT_TRUE(r.IsNull(0, 1));
    EXPECT_EQ(r.column_type(1), "INTEGER");  // DuckDB types an untyped NULL column as INTEGER
    EXPECT_FALSE(r.IsNull(0, 2));
    EXPECT_EQ(r.Cell(0, 2), "");
    EXPECT_EQ(r.Cell(0, 3), "[null,1]");
    EXPECT_EQ(r.Cell(0, 4), R"({"x":null})");
}

TEST(DuckDb, ReadsResultsLargerThanOneChunk) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r = MustQuery(
            con, "select i, i::VARCHAR || 'x' as s, i % 7 = 0 as b from range(10000) t(i)");
    ASSERT_EQ(r.row_count(), 10000u);
    EXPECT_EQ(r.Cell(9999, 0), "9999");
    EXPECT_EQ(r.Cell(9999, 1), "9999x");
    EXPECT_EQ(r.Cell(7000, 2), "true");
}

TEST(DuckDb, SyntaxErrorIsInvalidArgumentWithDuckDbsMessage) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Result<QueryResult> r = con.Query("selec 1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("Parser Error: syntax error at or near \"selec\"", 0), 0u)
            << r.status().message();
}

TEST(DuckDb, UnknownTableIsInvalidArgumentWithDuckDbsMessage) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Status s = con.Execute("select * from missing_table");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("Catalog Error: Table with name missing_table does not exist"),
              std::string::npos)
            << s.message();
}

TEST(DuckDb, MissingFileIsNotFound) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Status s = con.Execute("select * from read_csv('/nonexistent/tessera/*.csv')");
    EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.message();
    EXPECT_NE(s.message().find("No files found that match the pattern"), std::string::npos)
            << s.message();
}

TEST(DuckDb, ConversionErrorAtRunTimeIsInvalidArgument) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Result<QueryResult> r = con.Query("select 'abc'::INTEGER");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind("Conversion Error:", 0), 0u) << r.status().message();
}

TEST(DuckDb, ConfigOptionsApplyAtOpen) {
    Database db = OpenMemory({{"threads", "3"}, {"enable_external_access", "false"}});
    Connection con = Connect(db);
    QueryResult r = MustQuery(con, "select current_setting('threads')");
    EXPECT_EQ(r.Cell(0, 0), "3");
    Status s = con.Execute("select * from read_csv('/etc/hostname')");
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.message();
}

TEST(DuckDb, UnknownConfigOptionIsInvalidArgument) {
    Result<Database> db = Database::Open("", {{"no_such_setting", "1"}});
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(db.status().message().find("no_such_setting"), std::string::npos);
}

TEST(DuckDb, OpeningAFileInAMissingFolderIsNotFound) {
    Result<Database> db = Database::Open("/nonexistent/tessera/mesh.duckdb");
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), StatusCode::kNotFound) << db.status().message();
    EXPECT_NE(db.status().message().find("/nonexistent/tessera/mesh.duckdb"), std::string::npos);
}

TEST(DuckDb, FileDatabaseKeepsDataAcrossOpens) {
    fs::path dir =
            fs::temp_directory_path() / ("tessera_duckdb_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string path = (dir / "mesh.duckdb").string();
    {
        Database db = std::move(Database::Open(path)).value();
        Connection con = Connect(db);
        ASSERT_TRUE(con.Execute("create table t as select 7 as n").ok());
    }
    {
        Database db = std::move(Database::Open(path)).value();
        Connection con = Connect(db);
        EXPECT_EQ(MustQuery(con, "select n from t").Cell(0, 0), "7");
    }
    fs::remove_all(dir);
}

TEST(DuckDb, ResultKindTellsRowsFromChangesAndNothing) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    EXPECT_EQ(MustQuery(con, "create table t (a INTEGER)").kind(), ResultKind::kNothing);
    QueryResult inserted = MustQuery(con, "insert into t values (1), (2)");
    EXPECT_EQ(inserted.kind(), ResultKind::kChangedRows);
    EXPECT_EQ(inserted.Cell(0, 0), "2");
    EXPECT_EQ(MustQuery(con, "select * from t where a > 5").kind(), ResultKind::kRows);
    EXPECT_EQ(MustQuery(con, "select * from t where a > 5").row_count(), 0u);
}

TEST(DuckDb, QueryRunsEveryStatementAndReturnsTheLast) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    QueryResult r = MustQuery(
            con, "create table t (a INTEGER); insert into t values (5); select a * 2 from t");
    EXPECT_EQ(r.Cell(0, 0), "10");
}

TEST(DuckDb, QueryEachRunsStatementsInOrderWithSemicolonsInStrings) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    std::vector<std::string> seen;
    Status s = con.QueryEach(
            "create table t (s VARCHAR); -- a comment; with a semicolon\n"
            "insert into t values ('a;b');\n"
            "select s from t;\n",
            [&](size_t index, const QueryResult& r) {
                seen.push_back(std::to_string(index) + ":" + std::to_string(r.row_count()));
                if (r.kind() == ResultKind::kRows) {
                    seen.emplace_back(r.Cell(0, 0));
                }
                return Status::Ok();
            });
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(seen, (std::vector<std::string>{"0:0", "1:1", "2:1", "a;b"}));
}

TEST(DuckDb, QueryEachStopsAtTheFirstFailingStatement) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    size_t visited = 0;
    Status s = con.QueryEach(
            "create table t (a INTEGER); select * from nope; create table u (b INTEGER)",
            [&](size_t, const QueryResult&) {
                ++visited;
                return Status::Ok();
            });
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("Table with name nope does not exist"), std::string::npos)
            << s.message();
    EXPECT_EQ(visited, 1u);
    EXPECT_FALSE(con.Execute("select * from u").ok());
}

TEST(DuckDb, QueryEachRunsNothingWhenTheScriptDoesNotParse) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Status s = con.QueryEach("create table t (a INTEGER); selec 1",
                             [](size_t, const QueryResult&) { return Status::Ok(); });
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("syntax error"), std::string::npos) << s.message();
    EXPECT_FALSE(con.Execute("select * from t").ok());
}

TEST(DuckDb, QueryEachReturnsTheVisitorsError) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    Status s = con.QueryEach("select 1; select 2", [](size_t index, const QueryResult&) {
        return index == 0 ? FailedPrecondition("stop here") : Status::Ok();
    });
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(s.message(), "stop here");
}

TEST(DuckDb, QueryEachAcceptsAnEmptyScript) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    EXPECT_TRUE(con.QueryEach("  -- nothing here\n", [](size_t, const QueryResult&) {
                       return Status::Ok();
                   }).ok());
}

TEST(DuckDb, InterruptStopsARunningQueryWithDeadlineExceeded) {
    Database db = OpenMemory({{"threads", "1"}});
    Connection con = Connect(db);
    std::atomic<bool> done = false;
    Status status;
    std::thread runner([&] {
        status = con.Execute("select count(*) from range(1000000000000) t(a) where a % 7 = 3");
        done = true;
    });
    // An interrupt that lands before the query starts is forgotten, so keep asking until it stops.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        con.Interrupt();
    }
    runner.join();
    EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.ToString();
    EXPECT_NE(status.message().find("Interrupted"), std::string::npos) << status.message();
    // The connection stays usable.
    EXPECT_EQ(MustQuery(con, "select 1").Cell(0, 0), "1");
}

TEST(DuckDb, InterruptWithNothingRunningIsHarmless) {
    Database db = OpenMemory();
    Connection con = Connect(db);
    con.Interrupt();
    EXPECT_EQ(MustQuery(con, "select 1").Cell(0, 0), "1");
}

TEST(DuckDb, MovedFromHandlesAreEmptyAndDestroyedOnce) {
    Database db = OpenMemory();
    Database moved_db = std::move(db);
    Connection con = Connect(moved_db);
    Connection moved_con = std::move(con);
    EXPECT_EQ(MustQuery(moved_con, "select 'still open'").Cell(0, 0), "still open");
    Connection other = Connect(moved_db);
    other = std::move(moved_con);  // closes `other`'s first connection, takes over the second
    EXPECT_EQ(MustQuery(other, "select 2").Cell(0, 0), "2");
    // Using a moved-from handle is refused, not a crash.
    EXPECT_EQ(moved_con.Execute("select 1").code(),  // NOLINT(*-use-after-move,*-cplusplus.Move)
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(db.Connect().status().code(),  // NOLINT(*-use-after-move,*-cplusplus.Move)
              StatusCode::kFailedPrecondition);
}

TEST(DuckDb, ResultOutlivesItsConnectionAndDatabase) {
    QueryResult r;
    {
        Database db = OpenMemory();
        Connection con = Connect(db);
        r = MustQuery(con, "select 'kept' as word");
    }
    EXPECT_EQ(r.Cell(0, 0), "kept");
}

TEST(DuckDb, VersionIsTheLinkedLibrary) {
    EXPECT_EQ(DuckDbVersion().substr(0, 4), "v1.4");
}

}  // namespace
}  // namespace tessera::engine::internal
