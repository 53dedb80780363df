#include "search/search.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tessera::search {
namespace {

namespace fs = std::filesystem;

std::string Product(const std::string& domain, const std::string& name, const std::string& title,
                    const std::string& columns, const std::string& tags) {
    return "---\napiVersion: tessera/v1\nkind: DataProduct\nmetadata: {domain: " + domain + ", name: " + name +
           ", owner: team_" + domain + ", tags: [" + tags + "]}\nspec:\n  title: " + title +
           "\n  inputs: [{name: raw, source: s, path: x.csv}]\n  outputs:\n    - name: main\n      columns:\n" + columns;
}

const std::string kMesh =
        "apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: orders}\n---\napiVersion: tessera/v1\nkind: Domain\n"
        "metadata: {name: users}\n---\napiVersion: tessera/v1\nkind: Team\nmetadata: {name: team_orders}\n---\n"
        "apiVersion: tessera/v1\nkind: Team\nmetadata: {name: team_users}\n" +
        Product("orders", "order_facts", "Order facts",
                "        - {name: order_total, type: DOUBLE, description: Total revenue of the order}\n", "sales") +
        Product("orders", "returns", "Returned items",
                "        - {name: return_id, type: BIGINT, description: The return}\n", "sales") +
        Product("users", "customers", "Customers",
                "        - {name: email, type: VARCHAR, classification: pii, mask: hash, description: Login}\n"
                "        - {name: lifetime_revenue, type: DOUBLE, description: Revenue of all orders}\n",
                "crm");

SearchRequest Q(const std::string& text) {
    SearchRequest r;
    r.text = text;
    return r;
}

class SearchTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("tessera_search_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        catalog_ = std::move(catalog::Catalog::Open((dir_ / "catalog.db").string())).value();
        auto r = spec::LoadText(kMesh, "m.yaml", ".");
        ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
        ASSERT_TRUE(catalog_->Apply(r.batch, {"t", "", std::nullopt}).ok());
    }
    void TearDown() override {
        catalog_.reset();
        fs::remove_all(dir_);
    }
    std::vector<std::string> Names(const SearchRequest& r) {
        auto result = Search(*catalog_, r);
        EXPECT_TRUE(result.ok()) << result.status().ToString();
        std::vector<std::string> out;
        for (const auto& h : result->page.hits) out.push_back(h.name);
        return out;
    }
    fs::path dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(SearchTest, RanksAddressMatchesFirstAndSaysWhereTheRestMatched) {
    auto result = Search(*catalog_, Q("revenue"));
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->page.total, 2);
    EXPECT_EQ(result->page.hits[0].matched, "columns");
    EXPECT_EQ(Names(Q("order")), (std::vector<std::string>{"orders.order_facts", "orders.returns", "users.customers"}));
    auto order = Search(*catalog_, Q("order total"));
    ASSERT_EQ(order->page.hits.size(), 1u);
    EXPECT_EQ(order->page.hits[0].snippet, "[order]_[total] [Total] revenue of the [order]");
}

TEST_F(SearchTest, MatchesPrefixesAndCorrectsTypos) {
    EXPECT_EQ(Names(Q("cust")), (std::vector<std::string>{"users.customers"}));
    auto typo = Search(*catalog_, Q("custmers"));
    ASSERT_TRUE(typo.ok());
    EXPECT_EQ(typo->corrected, "customers");
    EXPECT_EQ(typo->page.hits.at(0).name, "users.customers");
    EXPECT_TRUE(Names(Q("zzzzzz")).empty());
}

TEST_F(SearchTest, FiltersAndCountsFacetsIgnoringTheirOwnFilter) {
    SearchRequest r = Q("revenue");
    r.domain = "users";
    auto result = Search(*catalog_, r);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->page.total, 1);
    EXPECT_EQ(result->page.facets["domain"]["orders"], 1);  // what choosing orders instead would give
    EXPECT_EQ(result->page.facets["domain"]["users"], 1);
    EXPECT_EQ(result->page.facets["classification"]["pii"], 1);
    SearchRequest pii = Q("revenue");
    pii.classification = "pii";
    EXPECT_EQ(Names(pii), (std::vector<std::string>{"users.customers"}));
    SearchRequest tag = Q("o");
    tag.tag = "sales";
    EXPECT_EQ(Names(tag).size(), 2u);
}

TEST_F(SearchTest, FiltersAndCountsByFreshnessState) {
    SearchRequest r = Q("o");
    r.states = {{"orders.order_facts", "fresh"}, {"orders.returns", "failing"}, {"users.customers", "never run"}};
    r.status = "failing";
    auto result = Search(*catalog_, r);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->page.hits.size(), 1u);
    EXPECT_EQ(result->page.hits[0].name, "orders.returns");
    EXPECT_EQ(result->page.facets["status"]["fresh"], 1);
    EXPECT_EQ(result->page.facets["status"]["never run"], 1);
}

TEST_F(SearchTest, BoostsProductsWhoseLastRunPassedItsChecks) {
    auto before = Search(*catalog_, Q("revenue"));
    ASSERT_TRUE(before.ok());
    for (const auto& h : before->page.hits) EXPECT_DOUBLE_EQ(h.trust, 1.0) << h.name;
    auto id = catalog_->StartRun({0, "users.customers", "", "manual", "t", 1, 0, 0, "", ""});
    ASSERT_TRUE(id.ok());
    store::RunRecord done{*id, "users.customers", "succeeded", "manual", "t", 1, 0, 0, "", ""};
    ASSERT_TRUE(catalog_->FinishRun(done, {{*id, "main", "a", "passed", 0, "", ""}, {*id, "main", "b", "warned", 1, "", ""}}, {}).ok());
    auto after = Search(*catalog_, Q("revenue"));
    ASSERT_TRUE(after.ok());
    ASSERT_EQ(after->page.hits[0].name, "users.customers");
    EXPECT_DOUBLE_EQ(after->page.hits[0].trust, 1.0 + 0.5 * 0.5 + 0.25);  // half the checks passed, it published
}

TEST_F(SearchTest, PagesWithCursorsInAStableOrder) {
    SearchRequest r = Q("o");
    r.limit = 2;
    auto first = Search(*catalog_, r);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->page.hits.size(), 2u);
    ASSERT_EQ(first->next_cursor, "2");
    r.cursor = first->next_cursor;
    auto second = Search(*catalog_, r);
    ASSERT_EQ(second->page.hits.size(), 1u);
    EXPECT_TRUE(second->next_cursor.empty());
    r.cursor = "x";
    EXPECT_EQ(Search(*catalog_, r).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, FollowsApplyAndDeleteInTheSameTransaction) {
    ASSERT_TRUE(catalog_->Delete("orders.returns", {false, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(Q("returned")), std::vector<std::string>{});
    std::string changed = kMesh;
    changed.replace(changed.find("Order facts"), 11, "Sales ledger");
    auto r = spec::LoadText(changed, "m.yaml", ".");
    ASSERT_TRUE(catalog_->Apply(r.batch, {"t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(Q("ledger")), (std::vector<std::string>{"orders.order_facts"}));
    EXPECT_EQ(Names(Q("returned")), (std::vector<std::string>{"orders.returns"}));
}

}  // namespace
}  // namespace tessera::search
