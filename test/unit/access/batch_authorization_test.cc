// access::AuthorizeBatch: every kind of document of an apply is authorized (issue 13, items 0 and 8),
// and grants end with their product (item 13).

#include "access/batch_authorization.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace tessera::access {
namespace {

class BatchTest : public AccessTest {
protected:
    // The decision on `yaml` for `user`, as every door takes it.
    Status Decide(const std::string& user, const std::string& yaml) {
        auto cat = catalog::Catalog::Open(CatalogPath());
        if (!cat.ok()) return cat.status();
        auto loaded = spec::LoadText(yaml, "batch.yaml", spec::SqlFiles::None());
        if (!loaded.ok()) return InvalidArgument(loaded.diagnostics[0].ToString());
        auto plan = (*cat)->MakePlan(loaded.batch);
        if (!plan.ok()) return plan.status();
        return AuthorizeBatch(*ac_, Local(user), **cat, loaded.batch, *plan);
    }
    void Apply(const std::string& yaml) {
        auto cat = catalog::Catalog::Open(CatalogPath());
        ASSERT_TRUE(cat.ok());
        auto loaded = spec::LoadText(yaml, "batch.yaml", spec::SqlFiles::None());
        ASSERT_TRUE(loaded.ok());
        ASSERT_TRUE((*cat)->Apply(loaded.batch, {"root", "", std::nullopt}).ok());
    }
    static std::string Policy(const std::string& name, const std::string& state, const std::string& domain = "") {
        return "apiVersion: tessera/v1\nkind: Policy\nmetadata: {name: " + name +
               (domain.empty() ? "" : ", domain: " + domain) + "}\nspec: {state: " + state +
               ", query: 'select 1 as x', message: '{x}'}\n";
    }
};

TEST_F(BatchTest, AGlobalPolicyNeedsGovernanceWhateverElseTheCallerMayWrite) {
    Secure();
    ASSERT_TRUE(ac_->GrantRole(Local("root"), {Role::kGovernance, "", "gus"}).ok());
    for (const char* user : {"carl", "dev", "olga"}) {
        Status s = Decide(user, Policy("rule", "warn"));
        EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << user;
        EXPECT_NE(s.message().find("manage policies"), std::string::npos) << s.message();
    }
    EXPECT_TRUE(Decide("gus", Policy("rule", "warn")).ok());
    EXPECT_TRUE(Decide("root", Policy("rule", "proposed")).ok());
}

TEST_F(BatchTest, ApplyNeverMovesAPolicyToOrFromEnforce) {
    Secure();
    Status up = Decide("root", Policy("rule", "enforce"));
    EXPECT_EQ(up.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(up.message().find("tessera policy enforce"), std::string::npos) << up.message();
    Apply(Policy("rule", "enforce"));  // as `policy enforce` writes it
    EXPECT_TRUE(Decide("root", Policy("rule", "enforce")).ok()) << "unchanged: nothing to decide";
    EXPECT_EQ(Decide("root", Policy("rule", "warn")).code(), StatusCode::kFailedPrecondition);
}

TEST_F(BatchTest, ADomainsPolicyNeedsItsOwnerAndBothDomainsWhenItsScopeMoves) {
    Secure();
    EXPECT_TRUE(Decide("olga", Policy("rule", "warn", "orders")).ok());
    EXPECT_EQ(Decide("dev", Policy("rule", "warn", "orders")).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(Decide("olga", Policy("rule", "warn", "users")).code(), StatusCode::kPermissionDenied);
    Apply(Policy("rule", "warn", "users"));
    EXPECT_EQ(Decide("olga", Policy("rule", "warn", "orders")).code(), StatusCode::kPermissionDenied)
            << "taking users' rule into orders";
}

TEST_F(BatchTest, ATeamThatMovesNeedsTheDomainItLeaves) {
    Secure();
    const std::string moved = "apiVersion: tessera/v1\nkind: Team\nmetadata: {name: users_core}\nspec: {domain: orders}\n";
    Status s = Decide("olga", moved);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
    EXPECT_NE(s.message().find("domain users"), std::string::npos) << s.message();
    EXPECT_TRUE(Decide("root", moved).ok());
}

TEST_F(BatchTest, OpenAccessControlAllowsEverything) {
    EXPECT_TRUE(Decide("carl", Policy("rule", "enforce")).ok());
}

TEST_F(BatchTest, DeletingAProductEndsItsGrantsAndPendingRequestsAudited) {
    Secure();
    auto r = ac_->RequestAccess(Local("carl"), {"orders.order_facts", "report", {}, true, 0});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(ac_->Approve(Local("olga"), r->id, "ok").ok());
    auto pending = ac_->RequestAccess(Local("uma"), {"orders.order_facts", "study", {}, false, 0});
    ASSERT_TRUE(pending.ok());
    {
        auto cat = catalog::Catalog::Open(CatalogPath());
        ASSERT_TRUE(cat.ok());
        ASSERT_TRUE((*cat)->Delete("orders.order_facts", {true, "olga", "", std::nullopt}).ok());
    }
    auto grants = ac_->Grants({"carl", "orders.order_facts", true});
    ASSERT_TRUE(grants.ok());
    EXPECT_TRUE(grants->empty()) << "the grant outlived its product";
    auto requests = ac_->Requests({"uma", "", ""});
    ASSERT_TRUE(requests.ok());
    ASSERT_EQ(requests->size(), 1u);
    EXPECT_EQ((*requests)[0].state, "denied");
    auto log = ac_->AuditLog(Local("root"), {0, "", "access", 100});
    ASSERT_TRUE(log.ok());
    int ended = 0;
    for (const auto& e : *log) ended += e.user == "olga" && e.details.find("was deleted") != std::string::npos;
    EXPECT_EQ(ended, 2);
}

}  // namespace
}  // namespace tessera::access
