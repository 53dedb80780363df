#include "engine/runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/freshness.h"
#include "engine/internal/build.h"
#include "engine/internal/files.h"
#include "engine/query.h"

namespace tessera::engine {
namespace {

namespace fs = std::filesystem;

QueryConfig QueryConfigAt(const fs::path& data_dir) {
    QueryConfig config;
    config.data_dir = data_dir.string();
    config.threads = 2;
    return config;
}

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
  inputs: [{name: raw, source: crm, path: data/customers*.csv}]
  transform:
    query: |
      select cast(id as bigint) as customer_id, cast(email as varchar) as email,
             cast(name as varchar) as name, cast(city as varchar) as city
      from raw
    schedule: "0 * * * *"
  outputs:
    - name: current
      columns:
        - {name: customer_id, type: BIGINT, primary_key: true}
        - {name: email, type: VARCHAR, classification: pii, mask: hash}
        - {name: name, type: VARCHAR, classification: pii, mask: redact}
        - {name: city, type: VARCHAR, classification: pii, mask: "null", accepted_values: [Paris, Lyon, Nice]}
      quality:
        - {name: enough, type: row_count, min: 1}
        - {name: no_test_accounts, sql: "select * from current where email like '%@test.invalid'", severity: warning}
      sla: {freshness: 1h}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: city_counts, owner: shop_team}
spec:
  inputs: [{name: c, product: shop.customers}]
  transform: {query: "select city, count(*)::BIGINT as customers from c group by city", trigger: upstream}
  outputs:
    - name: by_city
      columns:
        - {name: city, type: VARCHAR}
        - {name: customers, type: BIGINT}
)yaml";

class RunnerTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tessera_runner_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "data");
        auto c = catalog::Catalog::Open((dir_ / "home/catalog.db").string());
        ASSERT_TRUE(c.ok()) << c.status().ToString();
        catalog_ = std::move(c).value();
        WriteCustomers("id,email,name,city\n1,ann@example.com,Ann,Paris\n2,bob@example.com,Bob,Lyon\n3,cy@example.com,Cy,Paris\n");
        Apply(kMesh);
    }
    void TearDown() override {
        catalog_.reset();
        fs::remove_all(dir_);
    }
    void WriteCustomers(const std::string& csv) {
        std::ofstream(dir_ / "data/customers.csv") << csv;
    }
    void Apply(const std::string& yaml) {
        auto r = spec::LoadText(yaml, (dir_ / "mesh.yaml").string(), dir_.string());
        ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
        auto applied = catalog_->Apply(r.batch, {"test", "", std::nullopt});
        ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    }
    Runner MakeRunner(int keep = 5) {
        EngineOptions options;
        options.data_dir = (dir_ / "home/data").string();
        options.threads = 2;
        options.keep_snapshots = keep;
        options.build_program = TESSERA_BINARY;  // builds run in `tessera __build`, not in this test binary
        return Runner(*catalog_, options);
    }
    std::vector<RunOutcome> Run(std::vector<std::string> products, int keep = 5) {
        Runner runner = MakeRunner(keep);
        RunRequest req;
        req.products = std::move(products);
        req.author = "test";
        auto r = runner.Run(req);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return r.ok() ? *r : std::vector<RunOutcome>{};
    }
    Table Query(const std::string& sql, QueryOptions options = {}) {
        QueryEngine engine(*catalog_, QueryConfigAt(dir_ / "home/data"), AllowAllReaders());
        auto t = engine.Run(sql, options);
        EXPECT_TRUE(t.ok()) << t.status().ToString();
        return t.ok() ? *t : Table{};
    }
    Status QueryStatus(const std::string& sql, QueryOptions options = {}) {
        QueryEngine engine(*catalog_, QueryConfigAt(dir_ / "home/data"), AllowAllReaders());
        return engine.Run(sql, options).status();
    }

    fs::path dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(RunnerTest, BuildsInDependencyOrderAndPublishesVersionedSnapshots) {
    auto outcomes = Run({"shop.city_counts", "shop.customers"});
    ASSERT_EQ(outcomes.size(), 2u);
    EXPECT_EQ(outcomes[0].product, "shop.customers");
    EXPECT_EQ(outcomes[0].status, "succeeded") << outcomes[0].error;
    EXPECT_EQ(outcomes[1].status, "succeeded") << outcomes[1].error;
    ASSERT_EQ(outcomes[0].published.size(), 1u);
    EXPECT_EQ(outcomes[0].published[0].rows, 3);
    EXPECT_TRUE(fs::exists(dir_ / "home/data/shop/customers/current/v1/part-0.parquet"));
    auto again = Run({"shop.customers"});
    EXPECT_EQ(again[0].published[0].version, 2);
    Table t = Query("select city, customers from shop.city_counts order by city");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(*t.rows[0][0], "Lyon");
    EXPECT_EQ(*t.rows[1][1], "2");
}

TEST_F(RunnerTest, FailsWithAColumnByColumnDiffWhenTheSchemaDiffers) {
    std::string changed = kMesh;
    changed.replace(changed.find("cast(city as varchar) as city"), 29, "cast(id as integer) as zip");
    changed.replace(changed.find("{name: customer_id, type: BIGINT"), 32, "{name: customer_id, type: INTEGER");
    Apply(changed);
    auto outcomes = Run({"shop.customers"});
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_EQ(outcomes[0].status, "failed");
    EXPECT_EQ(outcomes[0].error,
              "the output port current does not match its declared schema:\n"
              "  ~ customer_id: declared INTEGER, produced BIGINT (cast it in the SQL, or change the declared type)\n"
              "  - city VARCHAR: declared, but the transform does not produce it\n"
              "  + zip INTEGER: produced, but not declared");
    EXPECT_TRUE(catalog_->Snapshots("shop.customers")->empty());
}

TEST_F(RunnerTest, AFailingCheckBlocksThePublishAndKeepsThePreviousSnapshot) {
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    WriteCustomers("id,email,name,city\n1,ann@example.com,Ann,Paris\n1,dup@example.com,Dup,Rome\n,x@test.invalid,X,Nice\n");
    auto outcomes = Run({"shop.customers", "shop.city_counts"});
    ASSERT_EQ(outcomes.size(), 2u);
    EXPECT_EQ(outcomes[0].status, "blocked");
    EXPECT_NE(outcomes[0].error.find("current.customer_id.unique: 1 values of customer_id appear more than once"),
              std::string::npos)
            << outcomes[0].error;
    EXPECT_EQ(outcomes[1].status, "skipped");
    std::map<std::string, store::CheckRecord> checks;
    for (const auto& c : outcomes[0].checks) checks[c.check] = c;
    EXPECT_EQ(checks["customer_id.required"].status, "failed");
    EXPECT_EQ(checks["city.accepted_values"].failures, 1);
    EXPECT_EQ(checks["city.accepted_values"].sample, "[]")
            << "a product with masked columns keeps no sample: a value derived from one cannot be told apart";
    EXPECT_EQ(checks["city.accepted_values"].message, "1 rows with a value of city not accepted");
    EXPECT_EQ(checks["no_test_accounts"].status, "warned");
    EXPECT_EQ(checks["enough"].status, "passed");
    auto snaps = *catalog_->Snapshots("shop.customers");
    ASSERT_EQ(snaps.size(), 1u);
    EXPECT_EQ(snaps[0].version, 1);
    EXPECT_EQ(Query("select count(*) from shop.customers").rows[0][0], "3");
    auto runs = *catalog_->Runs("shop.customers", 10);
    EXPECT_EQ(runs[0].status, "blocked");
    EXPECT_EQ(catalog_->Checks(runs[0].id)->size(), outcomes[0].checks.size());
}

TEST_F(RunnerTest, KeepsSamplesOfFailingRowsOnlyForProductsWithoutMaskedColumns) {
    std::string mesh = kMesh;
    mesh.replace(mesh.find("        - {name: customers, type: BIGINT}"), 41, "        - {name: customers, type: BIGINT, max: 1}");
    Apply(mesh + R"yaml(---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: city_sizes, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers*.csv}]
  transform: {query: "select city::VARCHAR as city, count(*)::BIGINT as customers from raw group by city"}
  outputs:
    - name: sizes
      columns:
        - {name: city, type: VARCHAR}
        - {name: customers, type: BIGINT, max: 1}
)yaml");
    std::map<std::string, RunOutcome> by_product;
    for (auto& o : Run({"shop.customers", "shop.city_counts", "shop.city_sizes"})) by_product[o.product] = o;
    const RunOutcome& counts = by_product["shop.city_counts"];
    ASSERT_EQ(counts.status, "blocked") << counts.error;
    EXPECT_EQ(counts.checks.at(0).sample, "[]") << "city_counts has no masked column of its own, but it reads some: no sample";
    const RunOutcome& sizes = by_product["shop.city_sizes"];
    ASSERT_EQ(sizes.status, "blocked") << sizes.error;
    EXPECT_EQ(sizes.checks.at(0).sample, R"([{"city":"Paris","customers":"2"}])");
}

// Without Landlock (as here: the plan runs in this test's process, unconfined), `allowed_paths`
// would let the transform overwrite an input file; `copy_inputs` takes the files out of reach.
TEST(ExecuteBuild, WithoutLandlockCopiesInputsSoNoSqlCanWriteThem) {
    fs::path dir = fs::temp_directory_path() / ("tessera_build_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "out");
    fs::create_directories(dir / "spill");
    std::ofstream(dir / "in.csv") << "id\n1\n2\n";
    internal::BuildPlan plan;
    plan.product = "shop.x";
    const std::string input = (dir / "in.csv").string();
    plan.views = {{"raw", "SELECT * FROM read_csv(['" + input + "'], auto_detect = true)"}};
    plan.readable_files = {input};
    plan.outputs = {{"result", model::DataFormat::kParquet, (dir / "out/part-0.parquet").string(), {{"id", "BIGINT"}}}};
    plan.spill_dir = (dir / "spill").string();
    plan.transform_sql = "COPY (SELECT 'forged' AS id) TO '" + input + "' (FORMAT csv, USE_TMP_FILE false); "
                         "CREATE TABLE result AS SELECT id FROM raw";
    plan.copy_inputs = true;
    internal::BuildResult refused = internal::ExecuteBuild(plan);
    EXPECT_FALSE(refused.ok);
    EXPECT_NE(refused.error.find("Permission Error: Cannot access file"), std::string::npos) << refused.error;
    plan.transform_sql = "SELECT id FROM raw";
    internal::BuildResult built = internal::ExecuteBuild(plan);
    EXPECT_TRUE(built.ok) << built.error;
    EXPECT_EQ(built.rows, std::vector<int64_t>{2});
    std::ifstream in(input);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "id\n1\n2\n");
    fs::remove_all(dir);
}

TEST(PublicRunMessage, CutsDuckDbDetailsQuotedValuesAndPaths) {
    EXPECT_EQ(PublicRunMessage("the transform failed: Conversion Error: Could not convert string 'ida@example.org' to "
                               "INT32\n\nLINE 1: select 'ida@example.org'::INT"),
              "the transform failed: Conversion Error (the details are shown to the domain's team)");
    EXPECT_EQ(PublicRunMessage("input raw cannot be read: Invalid Input Error: CSV Error on Line: 2\nOriginal Line: "
                               "1,ann@example.com"),
              "input raw cannot be read: Invalid Input Error (the details are shown to the domain's team)");
    EXPECT_EQ(PublicRunMessage("cannot sync the snapshot in /srv/tessera/data/shop/x/.tmp-run3: no space"),
              "cannot sync the snapshot in <path>: no space");
    EXPECT_EQ(PublicRunMessage("value 'secret' is bad"), "value '…' is bad");
    EXPECT_EQ(PublicRunMessage("the output port current does not match its declared schema:\n  - city VARCHAR: declared"),
              "the output port current does not match its declared schema:\n  - city VARCHAR: declared");
}

TEST_F(RunnerTest, RefusesASecondRunOfTheSameProduct) {
    auto lock = internal::FileLock::TryAcquire((dir_ / "home/data/shop/customers/.lock").string());
    ASSERT_TRUE(lock.ok());
    auto outcomes = Run({"shop.customers"});
    EXPECT_EQ(outcomes[0].status, "refused");
    EXPECT_EQ(outcomes[0].error, "another run of shop.customers is in progress; runs of one product never interleave");
}

TEST_F(RunnerTest, MarksRunsOfADeadProcessAsAbandoned) {
    ASSERT_TRUE(catalog_->StartRun({0, "shop.customers", "", "manual", "ghost", 1, 1000, 0, "", ""}).ok());
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    auto runs = *catalog_->Runs("shop.customers", 10);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[1].status, "failed");
    EXPECT_EQ(runs[1].error, "abandoned: the process running it ended before it finished");
}

TEST_F(RunnerTest, RemovesWhatKilledRunsLeftBehindAndNeverServesIt) {
    fs::create_directories(dir_ / "home/data/shop/customers/current/.tmp-run77");
    fs::create_directories(dir_ / "home/data/shop/customers/current/v1");  // renamed, never recorded
    std::ofstream(dir_ / "home/data/shop/customers/current/v1/part-0.parquet") << "not parquet";
    auto outcomes = Run({"shop.customers"});
    ASSERT_EQ(outcomes[0].status, "succeeded") << outcomes[0].error;
    EXPECT_FALSE(fs::exists(dir_ / "home/data/shop/customers/current/.tmp-run77"));
    EXPECT_EQ(Query("select count(*) from shop.customers").rows[0][0], "3");
}

TEST_F(RunnerTest, ServesSnapshotsAfterTheHomeMoves) {
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    EXPECT_EQ((*catalog_->Snapshots("shop.customers"))[0].path, "shop/customers/current/v1");
    fs::rename(dir_ / "home/data", dir_ / "moved");
    QueryEngine engine(*catalog_, QueryConfigAt(dir_ / "moved"), AllowAllReaders());
    auto t = engine.Run("select count(*) from shop.customers", {});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->rows[0][0], "3");
}

TEST_F(RunnerTest, KeepsOnlyTheNewestSnapshots) {
    for (int i = 0; i < 4; ++i) ASSERT_EQ(Run({"shop.customers"}, 2)[0].status, "succeeded");
    auto snaps = *catalog_->Snapshots("shop.customers");
    ASSERT_EQ(snaps.size(), 2u);
    EXPECT_EQ(snaps[0].version, 4);
    EXPECT_FALSE(fs::exists(dir_ / "home/data/shop/customers/current/v2"));
    EXPECT_TRUE(fs::exists(dir_ / "home/data/shop/customers/current/v3"));
    EXPECT_EQ(Query("select count(*) from shop.customers@v3").rows[0][0], "3");
    EXPECT_EQ(QueryStatus("select count(*) from shop.customers@v1").message(),
              "shop.customers.current has no snapshot v1 (kept: v4, v3)");
}

TEST_F(RunnerTest, KnowsWhatIsDueBySchedulesAndUpstreamPublishes) {
    Runner runner = MakeRunner();
    std::time_t now = std::time(nullptr);
    EXPECT_EQ(*runner.Due(now), std::vector<std::string>{"shop.customers"});
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    EXPECT_EQ(*runner.Due(now), std::vector<std::string>{"shop.city_counts"});
    ASSERT_EQ(Run({"shop.city_counts"})[0].status, "succeeded");
    EXPECT_TRUE(runner.Due(now)->empty());
    EXPECT_EQ(*runner.Due(now + 3600), std::vector<std::string>{"shop.customers"});
}

TEST_F(RunnerTest, ReportsFreshnessStates) {
    auto states = *ProductStates(*catalog_, std::time(nullptr));
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states[0].state, "never run");
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    states = *ProductStates(*catalog_, std::time(nullptr));
    EXPECT_EQ(states[1].state, "fresh");
    EXPECT_EQ(states[1].sla_ms, 3600 * 1000);
    states = *ProductStates(*catalog_, std::time(nullptr) + 7200);
    EXPECT_EQ(states[1].state, "stale");
    WriteCustomers("id,email,name,city\n");
    Run({"shop.customers"});
    states = *ProductStates(*catalog_, std::time(nullptr));
    EXPECT_EQ(states[1].state, "failing");
    EXPECT_EQ(states[1].last_run_status, "blocked");  // an empty input fails its row-count check
    EXPECT_FALSE(states[1].last_error.empty());
    EXPECT_GT(states[1].last_success_ms, 0);  // the earlier success still counts for freshness
    EXPECT_GT(states[1].age_ms, -1);
    EXPECT_EQ(states[0].last_success_ms, 0);  // never run
}

TEST_F(RunnerTest, MasksClassifiedColumnsThroughEveryRoute) {
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    std::vector<std::string> routes = {
            "select email, name, city from shop.customers where customer_id = 1",
            "with c as (select * from shop.customers) select email, name, city from c where customer_id = 1",
            "select email, name, city from (select * from shop.customers) s where customer_id = 1",
            "select * exclude (customer_id) from shop.customers where customer_id = 1",
            "select columns('email|name|city') from shop.customers where customer_id = 1",
            "select email, name, city from shop.customers@v1 where customer_id = 1",
    };
    for (const auto& sql : routes) {
        Table t = Query(sql);
        ASSERT_EQ(t.rows.size(), 1u) << sql;
        EXPECT_NE(*t.rows[0][0], "ann@example.com") << sql;
        EXPECT_EQ(t.rows[0][0]->size(), 64u) << sql;  // sha256 hex
        EXPECT_EQ(*t.rows[0][1], "***") << sql;
        EXPECT_FALSE(t.rows[0][2].has_value()) << sql;
    }
}

TEST_F(RunnerTest, QueriesCannotEscapeTheSandbox) {
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    std::string snapshot = (dir_ / "home/data/shop/customers/current/v1/part-0.parquet").string();
    std::vector<std::pair<std::string, std::string>> attempts = {
            {"select * from read_csv('/etc/passwd')", "the table function read_csv() is not allowed"},
            {"select * from read_parquet('" + snapshot + "')", "the table function read_parquet() is not allowed"},
            {"select * from '" + snapshot + "'", "files cannot be read by their path"},
            {"select * from glob('/etc/*')", "the table function glob() is not allowed"},
            {"attach '/tmp/x.db' as x", "only read queries"},
            {"copy (select 1) to '/tmp/out.csv'", "only read queries"},
            {"install httpfs", "only read queries"},
            {"load httpfs", "only read queries"},
            {"set enable_external_access = true", "only read queries"},
            {"pragma database_list", "only read queries"},
            {"create view v as select * from shop.customers", "only read queries"},
            {"select getenv('HOME')", "the function getenv() is not allowed"},
            {"select current_setting('allowed_directories')", "the function current_setting() is not allowed"},
            {"select 1; select 2", "one statement at a time"},
            {"select view_definition from information_schema.views", "information_schema.views is not readable"},
            {"select definition from pg_catalog.pg_views", "pg_catalog.pg_views is not readable"},
            {"select * from pg_catalog.pg_class", "pg_catalog.pg_class is not readable"},
    };
    for (const auto& [sql, expected] : attempts) {
        Status s = QueryStatus(sql);
        EXPECT_FALSE(s.ok()) << sql;
        EXPECT_NE(s.message().find(expected), std::string::npos) << sql << " -> " << s.message();
    }
    EXPECT_EQ(QueryStatus("select * from shop.nothing").code(), StatusCode::kNotFound);
    // The columns of the products the query names stay describable.
    Table t = Query("select column_name from information_schema.columns c, shop.customers x "
                    "where c.table_name = 'customers' group by 1 order by 1");
    EXPECT_FALSE(t.rows.empty());
}

TEST_F(RunnerTest, StopsQueriesAtTheTimeoutAndCutsAtTheRowLimit) {
    QueryOptions slow;
    slow.timeout_ms = 200;
    Status s = QueryStatus("select count(*) from range(100000000000) a, range(10) b", slow);
    EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
    QueryOptions few;
    few.max_rows = 5;
    Table t = Query("select * from range(100)", few);
    EXPECT_EQ(t.rows.size(), 5u);
    EXPECT_TRUE(t.truncated);
}

TEST_F(RunnerTest, WritesQueryResultsToAFileWhole) {
    ASSERT_EQ(Run({"shop.customers"})[0].status, "succeeded");
    QueryOptions out;
    out.output_file = (dir_ / "out.parquet").string();
    Table t = Query("select customer_id, city from shop.customers", out);
    EXPECT_EQ(t.rows_written, 3);
    EXPECT_TRUE(fs::exists(out.output_file));
    EXPECT_FALSE(fs::exists(dir_ / ".out.parquet.tmp"));
}

TEST(RewriteVersionedNames, QuotesVersionedProductsOutsideStrings) {
    EXPECT_EQ(RewriteVersionedNames("select * from orders.facts@v3 join x.y@v12 using (id)"),
              "select * from orders.\"facts@v3\" join x.\"y@v12\" using (id)");
    EXPECT_EQ(RewriteVersionedNames("select 'a.b@v3', \"c.d@v1\" -- e.f@v2\nfrom t"),
              "select 'a.b@v3', \"c.d@v1\" -- e.f@v2\nfrom t");
}

TEST(DependencyOrder, PutsUpstreamFirstAndBreaksTiesByName) {
    std::vector<store::Dependency> deps = {{"b.x", "a.z"}, {"c.y", "b.x"}, {"c.y", "a.z"}};
    EXPECT_EQ(DependencyOrder({"c.y", "b.x", "a.z", "a.a"}, deps),
              (std::vector<std::string>{"a.a", "a.z", "b.x", "c.y"}));
}

}  // namespace
}  // namespace tessera::engine
