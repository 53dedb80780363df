#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/store.h"

namespace tessera::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_store_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        path_ = (dir_ / "catalog.db").string();
        auto s = OpenSqlite(path_);
        ASSERT_TRUE(s.ok()) << s.status().ToString();
        store_ = std::move(s).value();
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    Change Put(const std::string& name, const std::string& doc, std::vector<std::string> deps = {}) {
        return {Change::kPut, "DataProduct", name, name.substr(0, name.find('.')), doc, "f.yaml", std::move(deps), std::nullopt};
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, StartsEmptyAtTheNewestSchema) {
    EXPECT_EQ(*store_->CurrentRevision(), 0);
    EXPECT_EQ(store_->SchemaVersion(), 8);
    EXPECT_FALSE(store_->SearchIndexNeedsRebuild());
    EXPECT_EQ(store_->Get("DataProduct", "a.b").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CommitsAllChangesAsOneRevision) {
    CommitRequest req{{Put("a.x", "{\"v\":1}"), Put("a.y", "{\"v\":2}", {"a.x"})}, "alice", "first", std::nullopt};
    auto rev = store_->Commit(req);
    ASSERT_TRUE(rev.ok()) << rev.status().ToString();
    EXPECT_EQ(rev->number, 1);
    EXPECT_EQ(rev->changes, 2);
    EXPECT_EQ(store_->Get("DataProduct", "a.y")->document, "{\"v\":2}");
    EXPECT_EQ(store_->List("DataProduct", "a")->size(), 2u);
    EXPECT_EQ(store_->List("DataProduct", "b")->size(), 0u);
    auto deps = *store_->Dependencies();
    ASSERT_EQ(deps.size(), 1u);
    EXPECT_EQ(deps[0].product, "a.y");
    EXPECT_EQ(deps[0].upstream, "a.x");
}

TEST_F(SqliteStoreTest, RollsBackEverythingWhenOneChangeFails) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "1")}, "alice", "", std::nullopt}).ok());
    CommitRequest bad{{Put("a.x", "2"), Put("a.z", "3"), {Change::kDelete, "DataProduct", "a.missing", "", "", "", {}, std::nullopt}},
                      "bob", "", std::nullopt};
    auto rev = store_->Commit(bad);
    EXPECT_EQ(rev.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(*store_->CurrentRevision(), 1);
    EXPECT_EQ(store_->Get("DataProduct", "a.x")->document, "1");
    EXPECT_EQ(store_->Get("DataProduct", "a.z").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(store_->History("DataProduct", "a.x")->size(), 1u);
}

TEST_F(SqliteStoreTest, RefusesAStaleExpectedRevision) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "1")}, "alice", "", std::nullopt}).ok());
    auto rev = store_->Commit({{Put("a.x", "2")}, "bob", "", 0});
    EXPECT_EQ(rev.status().code(), StatusCode::kAborted);
    EXPECT_EQ(rev.status().message(),
              "the catalog is at revision 1, not the expected 0: someone applied in between; re-run plan");
    EXPECT_TRUE(store_->Commit({{Put("a.x", "2")}, "bob", "", 1}).ok());
}

TEST_F(SqliteStoreTest, ProductSummariesReadOwnerKindAndTitleOfCurrentProducts) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", R"({"metadata":{"owner":"t1"},"spec":{"kind":"aggregate","title":"X"}})"),
                                 Put("b.y", R"({"metadata":{}})"), Put("a.z", R"({"metadata":{"owner":"t2"}})")},
                                "alice", "", std::nullopt})
                        .ok());
    ASSERT_TRUE(store_->Commit({{{Change::kDelete, "DataProduct", "a.z", "a", "", "", {}, std::nullopt}}, "alice", "", std::nullopt}).ok());
    auto s = store_->ProductSummaries();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_EQ(s->size(), 2u) << "a deleted product is not current";
    EXPECT_EQ((*s)[0].name, "a.x");
    EXPECT_EQ((*s)[0].domain, "a");
    EXPECT_EQ((*s)[0].owner, "t1");
    EXPECT_EQ((*s)[0].kind, "aggregate");
    EXPECT_EQ((*s)[0].title, "X");
    EXPECT_EQ((*s)[1].name, "b.y");
    EXPECT_EQ((*s)[1].owner, "");
    EXPECT_EQ((*s)[1].kind, "");
}

TEST_F(SqliteStoreTest, KeepsEveryVersionAndReadsThePast) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "1")}, "alice", "create", std::nullopt}).ok());
    ASSERT_TRUE(store_->Commit({{Put("a.x", "2")}, "bob", "change", std::nullopt}).ok());
    Change drop{Change::kDelete, "DataProduct", "a.x", "a", "", "", {}, std::nullopt};
    ASSERT_TRUE(store_->Commit({{drop}, "carol", "drop", std::nullopt}).ok());
    auto history = *store_->History("DataProduct", "a.x");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].document, "1");
    EXPECT_EQ(history[1].revision.author, "bob");
    EXPECT_TRUE(history[2].deleted);
    EXPECT_EQ(store_->Get("DataProduct", "a.x", 1)->document, "1");
    EXPECT_EQ(store_->Get("DataProduct", "a.x", 2)->document, "2");
    EXPECT_EQ(store_->Get("DataProduct", "a.x", 3).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(store_->Get("DataProduct", "a.x").status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(store_->Dependencies()->empty());
    auto revisions = *store_->Revisions(2);
    ASSERT_EQ(revisions.size(), 2u);
    EXPECT_EQ(revisions[0].message, "drop");
}

TEST_F(SqliteStoreTest, SurvivesReopeningAndRefusesANewerSchema) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "1")}, "alice", "", std::nullopt}).ok());
    store_.reset();
    auto again = OpenSqlite(path_);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*(*again)->CurrentRevision(), 1);
    again->reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto newer = OpenSqlite(path_);
    EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(newer.status().message(),
              "the catalog has schema version 99, newer than this Tessera understands (8): upgrade Tessera");
}

TEST_F(SqliteStoreTest, UpgradesACatalogOfSchemaVersionOne) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "1")}, "alice", "", std::nullopt}).ok());
    store_.reset();
    // What a Tessera of schema version 1 left behind: no run tables.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE check_results; DROP TABLE snapshots; DROP TABLE runs; DROP TABLE search_text; "
                           "DROP TABLE search_changes; DROP TABLE search_docs; DROP TABLE policy_approvals; "
                           "DROP TABLE policy_proposals; DROP TABLE waivers; DROP TABLE scorecards; "
                           "DROP TABLE quality_issue_comments; DROP TABLE quality_issues; DROP TABLE api_tokens; "
                           "DROP TABLE role_bindings; DROP TABLE access_requests; DROP TABLE grants; DROP TABLE audit_log; DROP TABLE catalog_secrets; "
                           "PRAGMA user_version = 1",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto upgraded = OpenSqlite(path_);
    ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
    EXPECT_EQ((*upgraded)->SchemaVersion(), 8);
    EXPECT_TRUE((*upgraded)->SearchIndexNeedsRebuild()) << "the catalog must index the products it already had";
    EXPECT_EQ((*upgraded)->Get("DataProduct", "a.x")->document, "1");
    EXPECT_TRUE((*upgraded)->StartRun({0, "a.x", "", "manual", "alice", 1, 0, 0, "", ""}).ok());
}

TEST_F(SqliteStoreTest, RecordsRunsWithTheirChecksAndSnapshotsAtOnce) {
    auto id = store_->StartRun({0, "a.x", "", "manual", "alice", 1, 1000, 0, "", ""});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ((*store_->Runs("a.x", 10))[0].status, "running");
    RunRecord done{*id, "a.x", "succeeded", "manual", "alice", 1, 1000, 2000, "", "{\"rows\":3}"};
    std::vector<CheckRecord> checks = {{*id, "out", "has_rows", "passed", 0, "", ""},
                                       {*id, "out", "no_neg", "warned", 2, "2 rows", "[{\"a\":-1}]"}};
    std::vector<SnapshotRecord> snaps = {{"a.x", "out", 1, "/d/a/x/out/v1", 3, 100, *id, 2000}};
    ASSERT_TRUE(store_->FinishRun(done, checks, snaps, {}).ok());
    auto runs = *store_->Runs("a.x", 10);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, "succeeded");
    EXPECT_EQ(runs[0].details, "{\"rows\":3}");
    EXPECT_EQ(store_->Checks(*id)->size(), 2u);
    EXPECT_EQ((*store_->Checks(*id))[1].sample, "[{\"a\":-1}]");
    EXPECT_EQ((*store_->Snapshots("a.x"))[0].path, "/d/a/x/out/v1");

    // A second publisher of v1 loses, and its run stays as it was.
    auto other = store_->StartRun({0, "a.x", "", "manual", "bob", 1, 3000, 0, "", ""});
    RunRecord clash{*other, "a.x", "succeeded", "manual", "bob", 1, 3000, 4000, "", ""};
    Status st = store_->FinishRun(clash, {}, snaps, {});
    EXPECT_EQ(st.code(), StatusCode::kAborted);
    EXPECT_EQ((*store_->Runs("a.x", 1))[0].status, "running");
    ASSERT_TRUE(store_->DeleteSnapshots(snaps).ok());
    EXPECT_TRUE(store_->Snapshots("a.x")->empty());
}

// The store keeps the facet fields of the index in memory; a write through another connection
// (another process, another server worker) must show in the next search all the same.
TEST_F(SqliteStoreTest, SearchSeesWhatAnotherConnectionCommitted) {
    auto doc = [](std::string domain, std::string owner, std::string tags) {
        SearchDocument d;
        d.domain = std::move(domain);
        d.owner = std::move(owner);
        d.kind = "aggregate";
        d.title = "Revenue";
        d.tags = "finance";
        d.tag_list = {std::move(tags)};
        return d;
    };
    Change a = Put("a.x", "{}");
    a.search = doc("a", "team/a", "finance");
    ASSERT_TRUE(store_->Commit({{a}, "alice", "", std::nullopt}).ok());
    SearchQuery q;
    q.terms = {"revenue"};
    auto first = store_->Search(q);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(first->total, 1);

    auto other = OpenSqlite(path_);
    ASSERT_TRUE(other.ok());
    Change b = Put("b.y", "{}");
    b.search = doc("b", "team/b", "sales");
    ASSERT_TRUE((*other)->Commit({{b}, "bob", "", std::nullopt}).ok());

    q.domain = "b";
    auto second = store_->Search(q);
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(second->total, 1);
    EXPECT_EQ(second->hits[0].name, "b.y");
    EXPECT_EQ(second->facets["domain"], (std::map<std::string, int64_t>{{"a", 1}, {"b", 1}}));
    EXPECT_EQ(second->facets["owner"], (std::map<std::string, int64_t>{{"team/b", 1}}));
    EXPECT_EQ(second->facets["tag"], (std::map<std::string, int64_t>{{"sales", 1}}));
    q.domain = "nowhere";  // a value no product holds matches nothing, and is no error
    EXPECT_EQ(store_->Search(q)->total, 0);
}

TEST_F(SqliteStoreTest, ReportsAnUnopenableFile) {
    auto s = OpenSqlite("/proc/tessera/nope/catalog.db");
    EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tessera::store
