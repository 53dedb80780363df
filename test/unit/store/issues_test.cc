// Quality issues in the SQLite store: lifecycle, and the issues a finished run opens and resolves
// in its own transaction.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace tessera::store {
namespace {

class IssueStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_issues_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        auto s = OpenSqlite((dir_ / "catalog.db").string());
        ASSERT_TRUE(s.ok()) << s.status().ToString();
        store_ = std::move(s).value();
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    // Runs a.x once with these checks: (port, check, status).
    int64_t Run(const std::vector<std::tuple<std::string, std::string, std::string>>& results, bool sync = true) {
        auto id = store_->StartRun({0, "a.x", "running", "manual", "alice", 1, 1000, 0, "", ""});
        EXPECT_TRUE(id.ok());
        std::vector<CheckRecord> checks;
        for (const auto& [port, check, status] : results) checks.push_back({*id, port, check, status, status == "passed" ? 0 : 3, "3 rows", ""});
        RunRecord done{*id, "a.x", "blocked", "manual", "alice", 1, 1000, 5000, "", ""};
        Status st = store_->FinishRun(done, checks, {}, RunIssueSync{sync, "a", 3600 * 1000});
        EXPECT_TRUE(st.ok()) << st.ToString();
        return *id;
    }
    std::vector<IssueRecord> Unresolved() { return *store_->Issues({"a.x", "", "", false, 0}); }

    std::filesystem::path dir_;
    std::unique_ptr<Store> store_;
};

TEST_F(IssueStoreTest, AFailingCheckOpensOneIssueNotOnePerRun) {
    int64_t first = Run({{"out", "no_neg", "failed"}, {"out", "has_rows", "passed"}});
    int64_t second = Run({{"out", "no_neg", "failed"}, {"out", "has_rows", "passed"}});
    auto open = Unresolved();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].product, "a.x");
    EXPECT_EQ(open[0].domain, "a");
    EXPECT_EQ(open[0].port, "out");
    EXPECT_EQ(open[0].check, "no_neg");
    EXPECT_EQ(open[0].column, "");
    EXPECT_EQ(open[0].origin, "check");
    EXPECT_EQ(open[0].state, "open");
    EXPECT_EQ(open[0].title, "check out.no_neg fails");
    EXPECT_EQ(open[0].description, "3 rows");
    EXPECT_EQ(open[0].opened_by, "tessera");
    EXPECT_EQ(open[0].opened_at_ms, 5000);
    EXPECT_EQ(open[0].due_at_ms, 5000 + 3600 * 1000);
    EXPECT_EQ(open[0].opened_run, first);
    EXPECT_EQ(open[0].last_run, second);
}

TEST_F(IssueStoreTest, APassingCheckResolvesItsIssueAndAFailureAfterThatOpensANewOne) {
    int64_t failing = Run({{"out", "no_neg", "warned"}});
    int64_t passing = Run({{"out", "no_neg", "passed"}});
    EXPECT_TRUE(Unresolved().empty());
    auto all = *store_->Issues({"a.x", "", "all", false, 0});
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].state, "resolved");
    EXPECT_EQ(all[0].resolved_by, "tessera");
    EXPECT_EQ(all[0].resolved_run, passing);
    EXPECT_EQ(all[0].opened_run, failing);
    EXPECT_EQ(all[0].resolution, "the check passed in run #" + std::to_string(passing));
    Run({{"out", "no_neg", "error"}});
    auto open = Unresolved();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_NE(open[0].id, all[0].id);
    EXPECT_EQ(open[0].title, "check out.no_neg cannot run");
}

TEST_F(IssueStoreTest, ACheckThatNoLongerExistsIsResolvedByTheNextRunWithChecks) {
    Run({{"out", "old_check", "failed"}});
    Run({});  // a run that ended before its checks judges nothing
    ASSERT_EQ(Unresolved().size(), 1u);
    int64_t id = Run({{"out", "new_check", "passed"}});
    EXPECT_TRUE(Unresolved().empty());
    auto all = *store_->Issues({"a.x", "", "resolved", false, 0});
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].resolution, "run #" + std::to_string(id) + " no longer has this check");
}

TEST_F(IssueStoreTest, AColumnConstraintsIssueNamesTheColumn) {
    Run({{"out", "city.accepted_values", "failed"}});
    auto open = Unresolved();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].column, "city");
    EXPECT_EQ(open[0].check, "city.accepted_values");
}

TEST_F(IssueStoreTest, WithoutSyncARunLeavesIssuesAlone) {
    Run({{"out", "no_neg", "failed"}}, false);
    EXPECT_TRUE(Unresolved().empty());
}

TEST_F(IssueStoreTest, ConsumerIssuesMoveOpenAcknowledgedResolvedAndRefuseOtherMoves) {
    IssueRecord draft;
    draft.product = "a.x";
    draft.domain = "a";
    draft.column = "amount";
    draft.origin = "consumer";
    draft.title = "amounts doubled";
    draft.opened_by = "bob";
    draft.due_at_ms = 10;
    auto issue = store_->OpenIssue(draft);
    ASSERT_TRUE(issue.ok()) << issue.status().ToString();
    EXPECT_EQ(issue->state, "open");
    EXPECT_GT(issue->opened_at_ms, 0);

    auto acked = store_->TransitionIssue(issue->id, "acknowledged", "carol", "");
    ASSERT_TRUE(acked.ok());
    EXPECT_EQ(acked->acknowledged_by, "carol");
    auto again = store_->TransitionIssue(issue->id, "acknowledged", "carol", "");
    EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(again.status().message(),
              "quality issue #" + std::to_string(issue->id) + " is acknowledged: only an open issue can be acknowledged");

    ASSERT_TRUE(store_->AddIssueComment({issue->id, "carol", 0, "a join fans out"}).ok());
    auto resolved = store_->TransitionIssue(issue->id, "resolved", "carol", "fixed the join");
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved->resolution, "fixed the join");
    EXPECT_EQ(store_->TransitionIssue(issue->id, "resolved", "carol", "").status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(store_->TransitionIssue(issue->id, "reopened", "carol", "").status().code(), StatusCode::kInvalidArgument);

    auto comments = *store_->IssueComments(issue->id);
    ASSERT_EQ(comments.size(), 1u);
    EXPECT_EQ(comments[0].author, "carol");
    EXPECT_EQ(comments[0].text, "a join fans out");
    EXPECT_EQ(store_->GetIssue(999).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(store_->AddIssueComment({999, "x", 0, "y"}).code(), StatusCode::kNotFound);
    EXPECT_EQ(store_->TransitionIssue(999, "resolved", "x", "").status().code(), StatusCode::kNotFound);
}

TEST_F(IssueStoreTest, OverdueIssuesAreTheUnresolvedOnesPastTheirDueTime) {
    Run({{"out", "late", "failed"}});          // due at 5000 + 1 h
    IssueRecord draft;
    draft.product = "a.x";
    draft.domain = "a";
    draft.origin = "consumer";
    draft.title = "t";
    draft.opened_by = "bob";
    draft.due_at_ms = 1000;
    ASSERT_TRUE(store_->OpenIssue(draft).ok());
    auto overdue = *store_->Issues({"", "a", "", true, 6000});
    ASSERT_EQ(overdue.size(), 1u);
    EXPECT_EQ(overdue[0].origin, "consumer");
    EXPECT_EQ(store_->Issues({"", "a", "", true, 5000 + 3600 * 1000 + 1})->size(), 2u);
    EXPECT_EQ(store_->Issues({"", "b", "", true, 5000 + 3600 * 1000 + 1})->size(), 0u);
}

}  // namespace
}  // namespace tessera::store
