#include "search/domain_map.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tessera::search {
namespace {

namespace fs = std::filesystem;

// Three domains: orders reads users twice and marketing once; users has no owner and a team no
// one can reach; a platform team owns marketing and a product of orders.
const char* kMesh = R"(apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
spec: {title: Orders, owner: orders_team}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: users}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: marketing}
spec: {owner: platform}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_team}
spec: {domain: orders, contact: {chat: "#orders"}, members: [{user: ann}]}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: users_team}
spec: {domain: users}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: platform}
spec: {members: [{user: pat}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: users, name: people, owner: users_team}
spec:
  inputs: [{name: raw, source: s, path: x.csv}]
  outputs: [{name: main, columns: [{name: id, type: BIGINT}]}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: marketing, name: campaigns, owner: platform}
spec:
  inputs: [{name: raw, source: s, path: x.csv}]
  outputs: [{name: main, columns: [{name: id, type: BIGINT}]}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: facts, owner: orders_team}
spec:
  title: Facts
  kind: aggregate
  inputs: [{name: p, product: users.people}, {name: c, product: marketing.campaigns}]
  transform: {query: "select id from p"}
  outputs: [{name: main, columns: [{name: id, type: BIGINT}]}]
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: daily, owner: platform}
spec:
  inputs: [{name: p, product: users.people}, {name: f, product: orders.facts}]
  transform: {query: "select id from f"}
  outputs: [{name: main, columns: [{name: id, type: BIGINT}]}]
)";

class DomainMapTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("tessera_map_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        catalog_ = std::move(catalog::Catalog::Open((dir_ / "catalog.db").string())).value();
        auto r = spec::LoadText(kMesh, "m.yaml", ".");
        ASSERT_TRUE(r.ok()) << r.diagnostics[0].ToString();
        auto applied = catalog_->Apply(r.batch, {"t", "", std::nullopt});
        ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    }
    void TearDown() override {
        catalog_.reset();
        fs::remove_all(dir_);
    }
    fs::path dir_;
    std::unique_ptr<catalog::Catalog> catalog_;
};

std::vector<std::string> Kinds(const std::vector<OwnershipGap>& gaps) {
    std::vector<std::string> out;
    for (const auto& g : gaps) out.push_back(g.kind + " " + g.subject + (g.products ? " x" + std::to_string(g.products) : ""));
    return out;
}

TEST_F(DomainMapTest, AggregatesProductsAndDependenciesByDomainAndReportsOwnershipGaps) {
    auto map = BuildDomainMap(*catalog_);
    ASSERT_TRUE(map.ok()) << map.status().ToString();
    ASSERT_EQ(map->domains.size(), 3u);
    const auto& marketing = map->domains[0];
    const auto& orders = map->domains[1];
    const auto& users = map->domains[2];
    EXPECT_EQ(orders.name, "orders");
    EXPECT_EQ(orders.title, "Orders");
    EXPECT_EQ(orders.products, 2);
    EXPECT_EQ(Kinds(orders.gaps), (std::vector<std::string>{"product-owned-outside-domain orders x1"}));
    EXPECT_NE(orders.gaps[0].message.find("orders.daily"), std::string::npos) << orders.gaps[0].message;
    // The platform team that owns marketing reports its gap there; it has members but no contact.
    EXPECT_EQ(Kinds(marketing.gaps), (std::vector<std::string>{"team-without-contact platform",
                                                                "product-owned-outside-domain marketing x1"}));
    EXPECT_EQ(Kinds(users.gaps), (std::vector<std::string>{"domain-without-owner users", "team-without-members users_team",
                                                            "team-without-contact users_team"}));
    EXPECT_TRUE(map->gaps.empty());
    // orders.facts and orders.daily read users: 2 products; orders.daily reading orders.facts is no edge.
    ASSERT_EQ(map->edges.size(), 2u);
    EXPECT_EQ(map->edges[0].from, "marketing");
    EXPECT_EQ(map->edges[0].to, "orders");
    EXPECT_EQ(map->edges[0].products, 1);
    EXPECT_EQ(map->edges[1].from, "users");
    EXPECT_EQ(map->edges[1].products, 2);
    EXPECT_TRUE(map->products.empty());
}

TEST_F(DomainMapTest, ListsOneDomainsProductsWithInputsAndGapsOnRequest) {
    auto map = BuildDomainMap(*catalog_, "orders");
    ASSERT_TRUE(map.ok()) << map.status().ToString();
    ASSERT_EQ(map->products.size(), 2u);
    EXPECT_EQ(map->products[0].name, "orders.daily");
    EXPECT_EQ(map->products[0].inputs, (std::vector<std::string>{"orders.facts", "users.people"}));
    EXPECT_EQ(Kinds(map->products[0].gaps), (std::vector<std::string>{"product-owned-outside-domain orders.daily"}));
    EXPECT_EQ(map->products[1].kind, "aggregate");
    EXPECT_TRUE(map->products[1].gaps.empty());
    auto unknown = BuildDomainMap(*catalog_, "order");
    EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
    EXPECT_NE(unknown.status().message().find("did you mean \"orders\""), std::string::npos) << unknown.status().message();
}

}  // namespace
}  // namespace tessera::search
