// The catalog's side of quality issues: what a consumer's report must name, and the domain's
// time to fix that sets its due time.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "catalog/catalog.h"

namespace tessera::catalog {
namespace {

const std::string kMesh = R"(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
spec: {time_to_fix: 3d}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: ops}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: core}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: facts, owner: core}
spec:
  inputs: [{name: raw, source: shop, path: data/*.csv}]
  transform: {query: "create table daily as select 1 as order_id, 2.0 as amount; create table weekly as select 1 as order_id"}
  outputs:
    - {name: daily, columns: [{name: order_id, type: BIGINT}, {name: amount, type: DOUBLE}]}
    - {name: weekly, columns: [{name: order_id, type: BIGINT}]}
)";

class CatalogIssues : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_catalog_issues_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        auto cat = Catalog::Open((dir_ / "catalog.db").string());
        ASSERT_TRUE(cat.ok()) << cat.status().ToString();
        cat_ = std::move(*cat);
        auto loaded = spec::LoadText(kMesh, "mesh.yaml", dir_.string());
        ASSERT_TRUE(loaded.ok());
        ASSERT_TRUE(cat_->Apply(loaded.batch, {.author = "t", .message = "", .expected_revision = std::nullopt}).ok());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    store::IssueRecord Draft(const std::string& product, const std::string& port, const std::string& column) {
        store::IssueRecord d;
        d.product = product;
        d.port = port;
        d.column = column;
        d.title = "wrong amounts";
        d.opened_by = "ann";
        return d;
    }

    std::filesystem::path dir_;
    std::unique_ptr<Catalog> cat_;
};

TEST_F(CatalogIssues, AColumnAloneFindsItsPortAndTheDomainSetsTheDueTime) {
    auto issue = cat_->OpenIssue(Draft("orders.facts", "", "AMOUNT"));
    ASSERT_TRUE(issue.ok()) << issue.status().ToString();
    EXPECT_EQ(issue->port, "daily");
    EXPECT_EQ(issue->column, "amount");
    EXPECT_EQ(issue->domain, "orders");
    EXPECT_EQ(issue->origin, "consumer");
    EXPECT_EQ(issue->state, "open");
    EXPECT_EQ(issue->due_at_ms - issue->opened_at_ms, 3 * 86400 * 1000);
}

TEST_F(CatalogIssues, TimeToFixDefaultsToSevenDays) {
    EXPECT_EQ(*cat_->TimeToFixMs("ops"), 7 * 86400 * 1000);
    EXPECT_EQ(*cat_->TimeToFixMs("orders"), 3 * 86400 * 1000);
    EXPECT_EQ(*cat_->TimeToFixMs("not_declared"), 7 * 86400 * 1000);
}

TEST_F(CatalogIssues, AColumnOfSeveralPortsNeedsThePort) {
    auto ambiguous = cat_->OpenIssue(Draft("orders.facts", "", "order_id"));
    EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ambiguous.status().message(), "column order_id is in several output ports (daily, weekly): say which with --port");
    auto chosen = cat_->OpenIssue(Draft("orders.facts", "weekly", "order_id"));
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(chosen->port, "weekly");
}

TEST_F(CatalogIssues, RefusesWhatDoesNotExist) {
    EXPECT_EQ(cat_->OpenIssue(Draft("orders.fact", "", "")).status().code(), StatusCode::kNotFound);
    auto port = cat_->OpenIssue(Draft("orders.facts", "monthly", ""));
    EXPECT_EQ(port.status().message(), "data product orders.facts has no output port \"monthly\" (ports: daily, weekly)");
    auto column = cat_->OpenIssue(Draft("orders.facts", "weekly", "amount"));
    EXPECT_EQ(column.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(column.status().message(), "output port orders.facts.weekly has no column \"amount\"");
    auto untitled = Draft("orders.facts", "", "");
    untitled.title.clear();
    EXPECT_EQ(cat_->OpenIssue(untitled).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(cat_->CommentIssue(1, "ann", "").code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(cat_->Issues({}).value().empty()) << "nothing was recorded";
}

}  // namespace
}  // namespace tessera::catalog
