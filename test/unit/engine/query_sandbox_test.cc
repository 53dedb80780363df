// The consumer sandbox's two lines and its limits: the files a reader may open hold only what
// they may see (reader files), DuckDB opens nothing else, and every result stays bounded.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/internal/duckdb.h"
#include "engine/internal/lockdown.h"
#include "engine/query.h"
#include "engine/reader_views.h"
#include "engine/runner.h"

namespace tessera::engine {
namespace {

namespace fs = std::filesystem;

const char* kMesh = R"yaml(apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: customers, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select cast(id as bigint) as customer_id, cast(email as varchar) as email, cast(city as varchar) as city from raw"}
  outputs:
    - name: current
      columns:
        - {name: customer_id, type: BIGINT}
        - {name: email, type: VARCHAR, classification: pii, mask: hash}
        - {name: city, type: VARCHAR}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: crm}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: crm_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: crm, name: contacts, owner: crm_team}
spec:
  inputs: [{name: c, product: shop.customers}]
  transform: {query: "select customer_id, email from c"}
  outputs:
    - name: main
      columns:
        - {name: customer_id, type: BIGINT}
        - {name: email, type: VARCHAR}
)yaml";

// Reads nothing.
class NoGrants final : public AccessPolicy {
public:
    Status CanRead(const std::string& user, const std::string& product) const override {
        return {StatusCode::kPermissionDenied, user + " has no grant to read " + product};
    }
    bool Unmasked(const std::string&, const std::string&, const std::string&) const override { return false; }
    std::string MaskKey() const override { return "a test key of the catalog"; }
};

// Reads every product; `email` in clear when `unmasked`; `city` only when `city`.
class TestPolicy final : public AccessPolicy {
public:
    TestPolicy(bool unmasked, bool city) : unmasked_(unmasked), city_(city) {}
    Status CanRead(const std::string&, const std::string&) const override { return Status::Ok(); }
    bool Unmasked(const std::string&, const std::string&, const std::string&) const override { return unmasked_; }
    bool ColumnVisible(const std::string&, const std::string&, const std::string& column) const override {
        return column != "city" || city_;
    }
    std::string MaskKey() const override { return "a test key of the catalog"; }

private:
    bool unmasked_, city_;
};

class QuerySandboxTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("tessera_sandbox_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "data");
        std::ofstream(dir_ / "data/customers.csv") << "id,email,city\n1,ann@example.com,Paris\n2,bob@example.com,Lyon\n";
        auto c = catalog::Catalog::Open((dir_ / "catalog.db").string());
        ASSERT_TRUE(c.ok()) << c.status().ToString();
        catalog_ = std::move(c).value();
        auto r = spec::LoadText(kMesh, (dir_ / "mesh.yaml").string(), dir_.string());
        ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
        ASSERT_TRUE(catalog_->Apply(r.batch, {"test", "", std::nullopt}).ok());
        EngineOptions options;
        options.data_dir = data_dir();
        options.threads = 2;
        options.build_program = TESSERA_BINARY;  // builds run in `tessera __build`, not in this test binary
        Runner runner(*catalog_, options);
        RunRequest req;
        req.all = true;
        auto outcomes = runner.Run(req);
        ASSERT_TRUE(outcomes.ok() && outcomes->front().status == "succeeded");
    }
    void TearDown() override {
        catalog_.reset();
        fs::remove_all(dir_);
    }
    std::string data_dir() const { return (dir_ / "home/data").string(); }
    std::string snapshot_file() const {
        return fs::weakly_canonical(dir_ / "home/data/shop/customers/current/v1/part-0.parquet").string();
    }
    Result<ReaderView> View(const AccessPolicy& policy) {
        ReaderViews views(*catalog_, {data_dir(), 2, ""}, policy, "carl", policy.MaskKey());
        return views.View("shop", "customers");
    }
    // All the text of a Parquet file, read by a DuckDB without limits.
    static std::string Dump(const std::string& file) {
        auto db = internal::Database::Open();
        auto con = db->Connect();
        auto r = con->Query("SELECT * FROM read_parquet('" + file + "')");
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        std::string all;
        for (const auto& name : r->column_names()) all += name + "|";
        for (size_t i = 0; i < r->row_count(); ++i) {
            for (size_t c = 0; c < r->column_count(); ++c) all += std::string(r->Cell(i, c)) + "|";
        }
        return all;
    }
    Result<Table> Query(const std::string& sql, QueryOptions options = {}) {
        QueryConfig config;
        config.data_dir = data_dir();
        QueryEngine engine(*catalog_, std::move(config), std::make_unique<TestPolicy>(false, true));
        return engine.Run(sql, options);
    }

    fs::path dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(QuerySandboxTest, AMaskedReaderReadsAFileWithoutTheClearValues) {
    TestPolicy masked(false, true);
    auto v = View(masked);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_EQ(v->files.size(), 1u);
    EXPECT_NE(v->files[0].find("/v1/.readers/"), std::string::npos) << v->files[0];
    std::string content = Dump(v->files[0]);
    EXPECT_EQ(content.find("ann@example.com"), std::string::npos) << content;
    EXPECT_NE(content.find("customer_id|email|city|1|"), std::string::npos) << content;
    // Written once: the next reader of the same shape gets the same file.
    auto again = View(masked);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->files, v->files);
}

TEST_F(QuerySandboxTest, AHiddenColumnIsAbsentFromTheReaderFile) {
    TestPolicy no_city(true, false);
    auto v = View(no_city);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    std::string content = Dump(v->files.at(0));
    EXPECT_EQ(content.find("Paris"), std::string::npos) << content;
    EXPECT_NE(content.find("customer_id|email|1|ann@example.com|"), std::string::npos) << content;
}

TEST_F(QuerySandboxTest, AReaderOfEverythingInClearReadsTheSnapshotItself) {
    TestPolicy team(true, true);
    auto v = View(team);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->files, std::vector<std::string>{snapshot_file()});
}

// The first line on its own, as if the statement check had let a file name through: the locked
// DuckDB opens the reader's files and nothing else.
TEST_F(QuerySandboxTest, TheLockedDatabaseOpensOnlyTheReadersFiles) {
    TestPolicy masked(false, true);
    auto v = View(masked);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    auto db = internal::Database::Open();
    auto con = db->Connect();
    ASSERT_TRUE(con->Execute("CREATE SCHEMA shop; CREATE VIEW shop.customers AS " + v->select).ok());
    ASSERT_TRUE(internal::LockToFiles(*con, v->files).ok());
    EXPECT_TRUE(con->Query("SELECT count(*) FROM shop.customers").ok());
    const std::vector<std::string> escapes = {"SELECT * FROM '" + snapshot_file() + "'",
                                              "SELECT * FROM read_parquet('" + data_dir() + "/*/*/*/*/*.parquet')",
                                              "SELECT * FROM read_text('/etc/hostname')", "SELECT * FROM glob('/*')",
                                              "SET allowed_paths = ['/']"};
    for (const std::string& sql : escapes) {
        auto r = con->Query(sql);
        ASSERT_FALSE(r.ok()) << sql;
        EXPECT_TRUE(r.status().code() == StatusCode::kPermissionDenied ||
                    r.status().code() == StatusCode::kInvalidArgument)
                << sql << ": " << r.status().ToString();
    }
    // What a system view could show is the reader's own file only.
    auto settings = con->Query("SELECT value FROM duckdb_settings() WHERE name = 'allowed_paths'");
    ASSERT_TRUE(settings.ok());
    EXPECT_EQ(std::string(settings->Cell(0, 0)).find(snapshot_file()), std::string::npos);
}

TEST_F(QuerySandboxTest, ResultsPastTheirByteLimitAreRefused) {
    QueryOptions options;
    options.max_result_bytes = 1000;
    auto t = Query("select range, 'some text' as t from range(1000)", options);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(t.status().message().find("the result is larger than"), std::string::npos) << t.status().message();
}

TEST_F(QuerySandboxTest, FileAnswersKeepTheRowLimit) {
    QueryOptions options;
    options.max_rows = 10;
    options.output_file = (dir_ / "out.parquet").string();
    auto t = Query("select range from range(100)", options);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->rows_written, 10);
    EXPECT_TRUE(t->truncated);
    auto db = internal::Database::Open();
    auto con = db->Connect();
    auto n = con->Query("SELECT count(*) FROM '" + options.output_file + "'");
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->Cell(0, 0), "10");
    options.max_rows = 100;
    t = Query("select range from range(100)", options);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->rows_written, 100);
    EXPECT_FALSE(t->truncated);
}

TEST_F(QuerySandboxTest, CellsThatAreNotUtf8BecomeReplacementCharacters) {
    auto t = Query("select printf('%c', 233) as c, [printf('%c', 255)] as l");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(*t->rows[0][0], "\xEF\xBF\xBD");
    EXPECT_EQ(JsonLine(*t, 0), "{\"c\":\"\xEF\xBF\xBD\",\"l\":[\"\xEF\xBF\xBD\"]}\n");
    EXPECT_EQ(CsvLine(t->rows[0]), "\xEF\xBF\xBD,\"[\"\"\xEF\xBF\xBD\"\"]\"\n");
    // The writers never throw on what they are given directly either.
    EXPECT_EQ(JsonCell("VARCHAR", std::string("a\xE9z")), "\"a\xEF\xBF\xBDz\"");
}

TEST_F(QuerySandboxTest, SqlLongerThanTheLimitIsRefusedBeforeItIsParsed) {
    auto t = Query("select '" + std::string(70000, 'x') + "'");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(t.status().message().find("at most 65536"), std::string::npos) << t.status().message();
}

TEST_F(QuerySandboxTest, TheTimeoutCoversParsingAndChecking) {
    // Parsing and checking 60 KB of SQL takes far more than a millisecond; running it does not
    // start before the deadline is checked.
    std::string sql = "select 1 where 1 in (";
    while (sql.size() < 60000) sql += "1, ";
    sql += "1)";
    QueryOptions options;
    options.timeout_ms = 1;
    auto t = Query(sql, options);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kDeadlineExceeded) << t.status().ToString();
}

// A build reads its upstream products as its domain may (item 2 of issue 13): through the same
// reader files as a consumer of that domain, so masks propagate and an ungranted input fails.
TEST_F(QuerySandboxTest, ABuildReadsItsInputsAsItsDomainMay) {
    EngineOptions options;
        options.data_dir = data_dir();
        options.threads = 2;
        options.build_program = TESSERA_BINARY;  // builds run in `tessera __build`, not in this test binary
        Runner runner(*catalog_, options);
    runner.ReadInputsAs([](const std::string& domain) -> Result<std::unique_ptr<AccessPolicy>> {
        EXPECT_EQ(domain, "crm");
        return std::unique_ptr<AccessPolicy>(std::make_unique<TestPolicy>(false, true));
    });
    RunRequest req;
    req.products = {"crm.contacts"};
    auto outcomes = runner.Run(req);
    ASSERT_TRUE(outcomes.ok());
    ASSERT_EQ(outcomes->front().status, "succeeded") << outcomes->front().error;
    std::string built = Dump((dir_ / "home/data/crm/contacts/main/v2/part-0.parquet").string());
    EXPECT_EQ(built.find("ann@example.com"), std::string::npos) << built;
    EXPECT_NE(Dump((dir_ / "home/data/crm/contacts/main/v1/part-0.parquet").string()).find("ann@example.com"),
              std::string::npos);  // v1 was built raw, before the runner read as its domain

    runner.ReadInputsAs([](const std::string&) -> Result<std::unique_ptr<AccessPolicy>> {
        return std::unique_ptr<AccessPolicy>(std::make_unique<NoGrants>());
    });
    outcomes = runner.Run(req);
    ASSERT_TRUE(outcomes.ok());
    EXPECT_EQ(outcomes->front().status, "failed");
    EXPECT_NE(outcomes->front().error.find("domain:crm has no grant to read shop.customers"), std::string::npos)
            << outcomes->front().error;
}

}  // namespace
}  // namespace tessera::engine
