#include <gtest/gtest.h>

#include "access/access.h"

namespace tessera::access {
namespace {

Principal With(std::vector<RoleBinding> roles, bool anonymous = false) {
    Principal p;
    p.user = anonymous ? "" : "u";
    p.anonymous = anonymous;
    p.roles = std::move(roles);
    return p;
}

const Action kAll[] = {Action::kReadCatalog, Action::kRequestAccess, Action::kQueryData,  Action::kWriteDomain,
                       Action::kApproveAccess, Action::kManageRoles, Action::kManagePolicies, Action::kReadAudit,
                       Action::kManageTokens, Action::kAdmin};

// The table of docs/access.md, cell by cell: role x action x (own domain, other domain).
TEST(Allowed, MatchesTheDocumentedTableForEveryRoleAndAction) {
    struct Row {
        const char* who;
        Principal p;
        // allowed in "orders" (own domain for domain roles), then in "users"
        std::vector<std::pair<bool, bool>> cells;
    };
    std::vector<Row> rows = {
            {"admin", With({{Role::kAdmin, ""}}),
             {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}},
            {"governance", With({{Role::kGovernance, ""}}),
             {{1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, {0, 0}, {0, 0}}},
            {"owner of orders", With({{Role::kOwner, "orders"}}),
             {{1, 1}, {1, 1}, {1, 1}, {1, 0}, {1, 0}, {1, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}}},
            {"developer of orders", With({{Role::kDeveloper, "orders"}}),
             {{1, 1}, {1, 1}, {1, 1}, {1, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}},
            {"consumer", With({{Role::kConsumer, ""}}),
             {{1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}},
            {"anonymous", With({}, true),
             {{1, 1}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}},
    };
    for (const auto& row : rows) {
        for (size_t a = 0; a < std::size(kAll); ++a) {
            EXPECT_EQ(Allowed(row.p, kAll[a], "orders"), row.cells[a].first)
                    << row.who << " / " << ActionName(kAll[a]) << " in orders";
            EXPECT_EQ(Allowed(row.p, kAll[a], "users"), row.cells[a].second)
                    << row.who << " / " << ActionName(kAll[a]) << " in users";
        }
    }
}

TEST(Allowed, GlobalPoliciesNeedGovernanceAndADomainsPoliciesAlsoItsOwners) {
    EXPECT_FALSE(Allowed(With({{Role::kOwner, "orders"}}), Action::kManagePolicies, ""));
    EXPECT_FALSE(Allowed(With({{Role::kDeveloper, "orders"}}), Action::kManagePolicies, "orders"));
    EXPECT_TRUE(Allowed(With({{Role::kGovernance, ""}}), Action::kManagePolicies, ""));
    EXPECT_FALSE(Allowed(With({{Role::kConsumer, ""}}), Action::kManagePolicies, ""));
}

TEST(Allowed, OpenModeAllowsEveryIdentifiedCallerButNotAnonymousOnes) {
    Principal p = With({});
    p.open_mode = true;
    for (Action a : kAll) EXPECT_TRUE(Allowed(p, a, "orders")) << ActionName(a);
    Principal anon = With({}, true);
    anon.open_mode = true;
    EXPECT_FALSE(Allowed(anon, Action::kWriteDomain, "orders"));
    EXPECT_FALSE(Allowed(anon, Action::kQueryData));
}

TEST(Roles, ParseNamesEveryRoleAndRejectsOthersWithTheList) {
    for (Role r : {Role::kAdmin, Role::kGovernance, Role::kOwner, Role::kDeveloper, Role::kConsumer}) {
        auto parsed = ParseRole(RoleName(r));
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(*parsed, r);
    }
    auto bad = ParseRole("root");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().message(),
              "role: expected admin, governance, owner, developer or consumer, found \"root\"");
}

}  // namespace
}  // namespace tessera::access
