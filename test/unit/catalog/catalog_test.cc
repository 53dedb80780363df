#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tessera::catalog {
namespace {

const std::string kBase = R"(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
spec: {owner: orders_core}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_core}
spec: {domain: orders}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: orders, owner: orders_core}
spec:
  inputs: [{name: raw, source: shop, path: data/*.csv}]
  outputs: [{name: orders, columns: [{name: order_id, type: BIGINT}, {name: amount, type: DOUBLE}]}]
)";

const std::string kFacts = R"(apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: facts, owner: orders_core}
spec:
  inputs: [{name: o, product: orders.orders}]
  outputs: [{name: daily, columns: [{name: order_id, type: BIGINT}]}]
)";

class CatalogTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_catalog_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        auto c = Catalog::Open((dir_ / "catalog.db").string());
        ASSERT_TRUE(c.ok()) << c.status().ToString();
        catalog_ = std::move(c).value();
    }
    void TearDown() override {
        catalog_.reset();
        std::filesystem::remove_all(dir_);
    }
    spec::Batch Batch(const std::string& yaml) {
        auto r = spec::LoadText(yaml, "b.yaml", ".");
        EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics[0].ToString();
        return r.batch;
    }
    Result<ApplyResult> Apply(const std::string& yaml, std::optional<int64_t> expected = std::nullopt) {
        return catalog_->Apply(Batch(yaml), {"alice", "test", expected});
    }

    std::filesystem::path dir_;
    std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, AppliesABatchAsOneRevisionAndSkipsUnchangedBatches) {
    auto r = Apply(kBase);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->revision);
    EXPECT_EQ(r->revision->number, 1);
    EXPECT_EQ(r->plan.Count(Action::kCreate), 3u);
    auto again = Apply(kBase);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->revision) << "an unchanged batch writes no revision";
    EXPECT_EQ(again->plan.Count(Action::kUnchanged), 3u);
    EXPECT_EQ(*catalog_->Revision(), 1);
}

TEST_F(CatalogTest, PlansFieldLevelChangesWithNamedPaths) {
    ASSERT_TRUE(Apply(kBase).ok());
    std::string changed = kBase;
    changed.replace(changed.find("{name: amount, type: DOUBLE}"), 28, "{name: amount, type: \"DECIMAL(12,2)\", required: true}");
    auto plan = catalog_->MakePlan(Batch(changed));
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->Count(Action::kUpdate), 1u);
    const auto& fields = plan->changes[2].fields;
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].path, "spec.outputs[orders].columns[amount].type");
    EXPECT_EQ(fields[0].before, "\"DOUBLE\"");
    EXPECT_EQ(fields[0].after, "\"DECIMAL(12,2)\"");
    EXPECT_EQ(fields[1].path, "spec.outputs[orders].columns[amount].required");
    EXPECT_EQ(fields[1].before, "");
    EXPECT_EQ(fields[1].after, "true");
}

TEST_F(CatalogTest, RejectsABatchWithABrokenReferenceAndChangesNothing) {
    ASSERT_TRUE(Apply(kBase).ok());
    std::string broken = kFacts;
    broken.replace(broken.find("orders.orders"), 13, "orders.nothing");
    auto r = Apply(kBase + "---\n" + broken);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("expected an existing DataProduct, found \"orders.nothing\""), std::string::npos);
    EXPECT_EQ(*catalog_->Revision(), 1);
    EXPECT_EQ(catalog_->Products()->size(), 1u);
}

TEST_F(CatalogTest, RefusesAStaleExpectedRevision) {
    ASSERT_TRUE(Apply(kBase).ok());
    auto r = Apply(kFacts, 0);
    EXPECT_EQ(r.status().code(), StatusCode::kAborted);
    EXPECT_TRUE(Apply(kFacts, 1).ok());
}

TEST_F(CatalogTest, RefusesToDeleteWhatOthersDependOnUnlessForced) {
    ASSERT_TRUE(Apply(kBase + "---\n" + kFacts).ok());
    auto refused = catalog_->Delete("orders.orders", {false, "alice", "", std::nullopt});
    EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(refused.status().message(),
              "DataProduct \"orders.orders\" read by 1 product(s): orders.facts; change those first, or delete with --force");
    auto domain = catalog_->Delete("orders", {false, "alice", "", std::nullopt});
    EXPECT_EQ(domain.status().code(), StatusCode::kFailedPrecondition);
    ASSERT_TRUE(catalog_->Delete("orders.facts", {false, "alice", "", std::nullopt}).ok());
    ASSERT_TRUE(catalog_->Delete("orders.orders", {false, "alice", "", std::nullopt}).ok());
    EXPECT_TRUE(catalog_->Products()->empty());
    auto history = catalog_->History("orders.orders");
    ASSERT_TRUE(history.ok());
    EXPECT_EQ(history->back().action, Action::kDelete);
}

TEST_F(CatalogTest, ForcedDeleteRemovesAProductOthersRead) {
    ASSERT_TRUE(Apply(kBase + "---\n" + kFacts).ok());
    ASSERT_TRUE(catalog_->Delete("orders.orders", {true, "alice", "", std::nullopt}).ok());
    EXPECT_EQ(catalog_->Find("orders.orders").status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, FindsByAddressAndSuggestsCloseNames) {
    ASSERT_TRUE(Apply(kBase).ok());
    auto p = catalog_->Find("orders.orders");
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(std::get<model::DataProduct>(p->entity).outputs[0].columns.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<model::Domain>(catalog_->Find("orders")->entity));
    EXPECT_TRUE(std::holds_alternative<model::Team>(catalog_->Find("team/orders_core")->entity));
    EXPECT_EQ(catalog_->Find("orders.order").status().message(),
              "data product \"orders.order\" is not in the catalog (did you mean \"orders.orders\"?)");
    EXPECT_EQ(catalog_->Find("order_core").status().message(),
              "\"order_core\" is not in the catalog (did you mean \"orders_core\"?)");
}

TEST_F(CatalogTest, HistoryAndDiffShowWhatEachRevisionChanged) {
    ASSERT_TRUE(Apply(kBase).ok());
    std::string v2 = kBase;
    v2.replace(v2.find("name: orders, owner"), 19, "name: orders, version: 2.0.0, owner");
    ASSERT_TRUE(Apply(v2).ok());
    auto history = catalog_->History("orders.orders");
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[0].action, Action::kCreate);
    ASSERT_EQ((*history)[1].fields.size(), 1u);
    EXPECT_EQ((*history)[1].fields[0].path, "metadata.version");
    EXPECT_EQ((*history)[0].version, "0.1.0");  // the version each revision left
    EXPECT_EQ((*history)[1].version, "2.0.0");
    auto diff = catalog_->Diff("orders.orders", 1, 2);
    ASSERT_TRUE(diff.ok());
    EXPECT_EQ(diff->size(), 1u);
    EXPECT_EQ(catalog_->Diff("orders.orders", 1, 9).status().code(), StatusCode::kNotFound);
    auto old = catalog_->Find("orders.orders", 1);
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(std::get<model::DataProduct>(old->entity).version, "0.1.0");
}

TEST(DiffDocuments, KeysNamedListItemsByNameSoReorderingIsNoChange) {
    auto fields = DiffDocuments(R"({"c":[{"name":"a","t":1},{"name":"b","t":2}],"tags":["x"]})",
                                R"({"c":[{"name":"b","t":2},{"name":"a","t":1}],"tags":["x","y"]})");
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].path, "tags");
}

TEST(DiffDocuments, ReportsAnAddedOrRemovedItemAsOneChange) {
    auto fields = DiffDocuments(R"({"c":[{"name":"a","t":1},{"name":"b","t":2}]})",
                                R"({"c":[{"name":"a","t":1},{"name":"z","t":3}]})");
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0].path, "c[b]");
    EXPECT_EQ(fields[0].before, R"({"name":"b","t":2})");
    EXPECT_EQ(fields[0].after, "");
    EXPECT_EQ(fields[1].path, "c[z]");
    EXPECT_EQ(fields[1].after, R"({"name":"z","t":3})");
}

}  // namespace
}  // namespace tessera::catalog
