// The store's identity and access tables (migration 6): each write is one transaction with its
// audit line, decisions happen once, and the audit log cannot be changed even with raw SQL.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace tessera::store {
namespace {

class AccessTablesTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_store_access_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
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
    static AuditRecord Audit(const std::string& action) {
        AuditRecord a;
        a.user = "t";
        a.action = action;
        a.outcome = "ok";
        return a;
    }
    int64_t AuditCount() {
        auto log = store_->Audit({});
        EXPECT_TRUE(log.ok());
        return log.ok() ? static_cast<int64_t>(log->size()) : -1;
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(AccessTablesTest, UpgradesACatalogOfSchemaVersionThreeAndKeepsItsProducts) {
    ASSERT_TRUE(store_->Commit({{{Change::kPut, "DataProduct", "a.x", "a", "1", "f.yaml", {}, std::nullopt}}, "alice", "", std::nullopt}).ok());
    store_.reset();
    // What a Tessera of schema version 3 (before identity and access) left behind.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE api_tokens; DROP TABLE role_bindings; DROP TABLE access_requests; "
                           "DROP TABLE grants; DROP TABLE audit_log; DROP TABLE policy_approvals; "
                           "DROP TABLE policy_proposals; DROP TABLE waivers; DROP TABLE scorecards; "
                           "DROP TABLE quality_issue_comments; DROP TABLE quality_issues; DROP TABLE catalog_secrets; PRAGMA user_version = 3",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto upgraded = OpenSqlite(path_);
    ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
    EXPECT_EQ((*upgraded)->SchemaVersion(), 7);
    EXPECT_EQ((*upgraded)->Get("DataProduct", "a.x")->document, "1");
    EXPECT_TRUE((*upgraded)->AddRoleBinding({"ann", "admin", "", "ann", 1}, Audit("role.bootstrap")).ok());
    EXPECT_EQ((*upgraded)->RoleBindings({})->size(), 1u);
}

TEST_F(AccessTablesTest, ACatalogSecretIsMadeOnceAndTheFirstWriterWins) {
    auto first = store_->CatalogSecret("k", "aaaa");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(*first, "aaaa");
    auto other = OpenSqlite(path_);  // another connection, as another process would
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(*(*other)->CatalogSecret("k", "bbbb"), "aaaa");
    EXPECT_EQ(*(*other)->CatalogSecret("j", "cccc"), "cccc");
}

TEST_F(AccessTablesTest, TheAuditLogRefusesUpdatesAndDeletesEvenThroughRawSql) {
    ASSERT_TRUE(store_->AppendAudit(Audit("query")).ok());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET user = 'someone else'", nullptr, nullptr, &err), SQLITE_OK);
    EXPECT_STREQ(err, "the audit log is append-only");
    sqlite3_free(err);
    err = nullptr;
    EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, &err), SQLITE_OK);
    EXPECT_STREQ(err, "the audit log is append-only");
    sqlite3_free(err);
    sqlite3_close(db);
    auto log = store_->Audit({});
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ(log->front().user, "t");
}

TEST_F(AccessTablesTest, AFailedWriteLeavesNoAuditLine) {
    RoleBindingRecord b{"ann", "admin", "", "root", 1};
    ASSERT_TRUE(store_->AddRoleBinding(b, Audit("role.grant")).ok());
    EXPECT_EQ(store_->AddRoleBinding(b, Audit("role.grant")).code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(store_->AddFirstRoleBinding({"eve", "admin", "", "eve", 1}, Audit("role.bootstrap")).code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(store_->RemoveRoleBinding({"bob", "admin", "", "", 0}, Audit("role.revoke")).code(), StatusCode::kNotFound);
    EXPECT_EQ(AuditCount(), 1);
}

TEST_F(AccessTablesTest, ARequestIsDecidedOnceAndItsGrantCreatedWithTheDecision) {
    AccessRequestRecord r;
    r.user = "carl";
    r.product = "orders.facts";
    r.domain = "orders";
    r.reason = "report";
    r.columns = "[]";
    auto id = store_->AddAccessRequest(r, Audit("access.request"));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(store_->AddAccessRequest(r, Audit("access.request")).status().code(), StatusCode::kAlreadyExists)
            << "one pending request per user and product";
    AccessRequestRecord d = r;
    d.id = *id;
    d.state = "approved";
    d.decided_by = "olga";
    GrantRecord g;
    g.user = "carl";
    g.product = "orders.facts";
    g.columns = "[]";
    g.granted_by = "olga";
    auto grant = store_->DecideAccessRequest(d, g, Audit("access.approve"));
    ASSERT_TRUE(grant.ok()) << grant.status().ToString();
    d.state = "denied";
    d.decided_by = "uma";
    auto late = store_->DecideAccessRequest(d, std::nullopt, Audit("access.deny"));
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(late.status().message(), "access request " + std::to_string(*id) + " is approved already (by olga)");
    auto stored = store_->GetAccessRequest(*id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->state, "approved");
    EXPECT_EQ(stored->grant_id, *grant);
    EXPECT_EQ(store_->Grants("carl", "")->size(), 1u);
    EXPECT_TRUE(store_->AddAccessRequest(r, Audit("access.request")).ok()) << "decided requests do not block new ones";
    EXPECT_EQ(AuditCount(), 3);
}

TEST_F(AccessTablesTest, TokensAreRevokedOnceAndFilteredByUser) {
    TokenRecord t{"00ff00ff00ff00ff", "ann", "aa", "bb", "laptop", "ann", 5, 0, 0};
    ASSERT_TRUE(store_->PutToken(t, Audit("token.create")).ok());
    EXPECT_EQ(store_->PutToken(t, Audit("token.create")).code(), StatusCode::kAlreadyExists);
    ASSERT_TRUE(store_->RevokeToken(t.id, 9, Audit("token.revoke")).ok());
    EXPECT_EQ(store_->RevokeToken(t.id, 10, Audit("token.revoke")).code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(store_->GetToken(t.id)->revoked_at_ms, 9);
    EXPECT_EQ(store_->Tokens("bob")->size(), 0u);
    EXPECT_EQ(store_->GetToken("nope").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(AuditCount(), 2);
}

TEST_F(AccessTablesTest, AuditQueriesFilterByTimeUserAndActionFamily) {
    for (const char* a : {"access.request", "access.approve", "accessory", "query"}) {
        AuditRecord r = Audit(a);
        r.at_ms = 100;
        ASSERT_TRUE(store_->AppendAudit(r).ok());
    }
    AuditRecord late = Audit("query");
    late.at_ms = 200;
    late.user = "zed";
    ASSERT_TRUE(store_->AppendAudit(late).ok());
    auto count = [&](int64_t since, const std::string& user, const std::string& action) {
        AuditQuery q;
        q.since_ms = since;
        q.user = user;
        q.action_prefix = action;
        auto log = store_->Audit(q);
        return log.ok() ? static_cast<int64_t>(log->size()) : -1;
    };
    EXPECT_EQ(count(0, "", "access"), 2) << "a family, not a string prefix";
    EXPECT_EQ(count(0, "", "access.approve"), 1);
    EXPECT_EQ(count(150, "", ""), 1);
    EXPECT_EQ(count(0, "zed", ""), 1);
    AuditQuery newest;
    newest.limit = 2;
    EXPECT_EQ(store_->Audit(newest)->front().user, "zed") << "newest first";
}

}  // namespace
}  // namespace tessera::store
