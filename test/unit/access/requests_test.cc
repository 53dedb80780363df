#include <gtest/gtest.h>

#include "engine/query.h"
#include "fixture.h"

namespace tessera::access {
namespace {

class RequestTest : public AccessTest {
protected:
    AccessRequest Request(const std::string& user, AccessRequestInput in) {
        auto r = ac_->RequestAccess(Local(user), in);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        return r.ok() ? *r : AccessRequest{};
    }
    std::unique_ptr<engine::AccessPolicy> Policy(const std::string& user) {
        auto p = ac_->QueryPolicyFor(Local(user));
        EXPECT_TRUE(p.ok()) << p.status().ToString();
        return p.ok() ? std::move(*p) : nullptr;
    }
};

TEST_F(RequestTest, RequestApproveQueryRevokeLifecycle) {
    Secure();
    auto before = Policy("carl");
    Status refused = before->CanRead("carl", "orders.order_facts");
    EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(refused.message(),
              "carl has no grant to read orders.order_facts: ask for one with `tessera access request "
              "orders.order_facts --reason …`");

    AccessRequest r = Request("carl", {"orders.order_facts", "monthly report", {}, false, 0});
    EXPECT_EQ(r.state, "pending");
    auto queue = ac_->Queue(Local("olga"));
    ASSERT_TRUE(queue.ok());
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ(ac_->Queue(Local("carl"))->size(), 0u) << "consumers decide nothing";

    auto approved = ac_->Approve(Local("dev"), r.id, "ok");
    ASSERT_TRUE(approved.ok()) << approved.status().ToString();
    EXPECT_EQ(approved->state, "approved");
    EXPECT_GT(approved->grant_id, 0);

    auto during = Policy("carl");
    EXPECT_TRUE(during->CanRead("carl", "orders.order_facts").ok());
    EXPECT_TRUE(during->ColumnVisible("carl", "orders.order_facts", "email"));
    EXPECT_FALSE(during->Unmasked("carl", "orders.order_facts", "email")) << "masked without an unmasked grant";
    EXPECT_FALSE(during->CanRead("mallory", "orders.order_facts").ok()) << "a policy serves one user";

    auto revoked = ac_->RevokeGrant(Local("olga"), approved->grant_id, "report done");
    ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
    EXPECT_EQ(revoked->revoked_by, "olga");
    EXPECT_FALSE(Policy("carl")->CanRead("carl", "orders.order_facts").ok());
    EXPECT_EQ(ac_->RevokeGrant(Local("olga"), approved->grant_id, "").status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(ac_->Grants({.user = "carl"})->size(), 0u);
    EXPECT_EQ(ac_->Grants({.user = "carl", .active_only = false})->size(), 1u);
}

TEST_F(RequestTest, MaskHashUsesOneSecretKeyPerCatalog) {
    std::string key = Policy("carl")->MaskKey();
    EXPECT_EQ(key.size(), 64u) << "32 random bytes, hex";
    EXPECT_EQ(Policy("olga")->MaskKey(), key) << "every reader: the same key, so masked hashes join";
    Reopen({});
    EXPECT_EQ(Policy("carl")->MaskKey(), key) << "kept in the catalog";
}

TEST_F(RequestTest, ColumnGrantsHideOtherColumnsAndUnmaskedGrantsUnmaskOnlyTheirColumns) {
    Secure();
    AccessRequest r = Request("carl", {"orders.order_facts", "joins", {"order_id", "email"}, true, 0});
    ASSERT_TRUE(ac_->Approve(Local("olga"), r.id, "").ok());
    auto p = Policy("carl");
    EXPECT_TRUE(p->ColumnVisible("carl", "orders.order_facts", "order_id"));
    EXPECT_TRUE(p->ColumnVisible("carl", "orders.order_facts", "email"));
    EXPECT_FALSE(p->ColumnVisible("carl", "orders.order_facts", "amount"));
    EXPECT_TRUE(p->Unmasked("carl", "orders.order_facts", "email"));
}

TEST_F(RequestTest, DomainTeamsReadTheirDomainUnmaskedAndAdminsReadEverythingMasked) {
    Secure();
    auto dev = Policy("dev");
    EXPECT_TRUE(dev->CanRead("dev", "orders.order_facts").ok());
    EXPECT_TRUE(dev->Unmasked("dev", "orders.order_facts", "email"));
    EXPECT_FALSE(dev->CanRead("dev", "users.customers").ok());
    auto root = Policy("root");
    EXPECT_TRUE(root->CanRead("root", "users.customers").ok());
    EXPECT_FALSE(root->Unmasked("root", "orders.order_facts", "email"));
}

TEST_F(RequestTest, OpenModeReadsEverythingMaskedUntilAnAdminIsBound) {
    auto p = Policy("anyone");
    EXPECT_TRUE(p->CanRead("anyone", "orders.order_facts").ok());
    EXPECT_FALSE(p->Unmasked("anyone", "orders.order_facts", "email"));
    EXPECT_TRUE(Local("anyone").open_mode);
    ASSERT_TRUE(ac_->BootstrapAdmin("root").ok());
    EXPECT_FALSE(Local("anyone").open_mode);
    EXPECT_FALSE(Policy("anyone")->CanRead("anyone", "orders.order_facts").ok());
    Status second = ac_->BootstrapAdmin("eve");
    EXPECT_EQ(second.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(second.message(), "an admin exists already: ask an admin to run `tessera role grant eve admin`");
}

TEST_F(RequestTest, GrantsExpireAtTheRequestedTime) {
    Secure();
    AccessRequest r = Request("carl", {"orders.order_facts", "a week", {}, false, kT0 + 7 * 86'400'000});
    ASSERT_TRUE(ac_->Approve(Local("olga"), r.id, "").ok());
    EXPECT_TRUE(Policy("carl")->CanRead("carl", "orders.order_facts").ok());
    now_ms_ = kT0 + 7 * 86'400'000;
    EXPECT_FALSE(Policy("carl")->CanRead("carl", "orders.order_facts").ok());
    EXPECT_EQ(ac_->Grants({.user = "carl"})->size(), 0u);
}

TEST_F(RequestTest, OnlyTheOwningDomainOrAnAdminDecidesAndOnlyOnce) {
    Secure();
    ASSERT_TRUE(ac_->GrantRole(Local("root"), {Role::kOwner, "users", "uma"}).ok());
    AccessRequest r = Request("carl", {"orders.order_facts", "why not", {}, false, 0});
    auto other = ac_->Approve(Local("uma"), r.id, "");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(other.status().message(),
              "uma may not approve access request " + std::to_string(r.id) +
                      " for orders.order_facts: that needs the role owner or developer of domain orders, or admin");
    EXPECT_EQ(ac_->Approve(Local("carl"), r.id, "").status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(ac_->Deny(Local("olga"), r.id, "").status().code(), StatusCode::kInvalidArgument) << "a denial says why";
    auto denied = ac_->Deny(Local("olga"), r.id, "use the aggregate");
    ASSERT_TRUE(denied.ok());
    EXPECT_EQ(denied->state, "denied");
    auto late = ac_->Approve(Local("root"), r.id, "");
    EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(late.status().message(), "access request " + std::to_string(r.id) + " is denied already (by olga)");
    EXPECT_EQ(ac_->Approve(Local("root"), 999, "").status().code(), StatusCode::kNotFound);
}

TEST_F(RequestTest, RejectsBadRequests) {
    Secure();
    auto none = ac_->RequestAccess(Local("carl"), {"orders.nothing", "x", {}, false, 0});
    EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
    auto column = ac_->RequestAccess(Local("carl"), {"orders.order_facts", "x", {"emial"}, false, 0});
    EXPECT_EQ(column.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(column.status().message(),
              "--columns: orders.order_facts has no column \"emial\" (did you mean \"email\"?)");
    auto no_reason = ac_->RequestAccess(Local("carl"), {"orders.order_facts", "", {}, false, 0});
    EXPECT_EQ(no_reason.status().code(), StatusCode::kInvalidArgument);
    auto past = ac_->RequestAccess(Local("carl"), {"orders.order_facts", "x", {}, false, kT0 - 1});
    EXPECT_EQ(past.status().code(), StatusCode::kInvalidArgument);
    Request("carl", {"orders.order_facts", "x", {}, false, 0});
    auto twice = ac_->RequestAccess(Local("carl"), {"orders.order_facts", "again", {}, false, 0});
    EXPECT_EQ(twice.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(RequestTest, RoleBindingsAreCheckedAndManagedByAdminsOrDomainOwners) {
    Secure();
    EXPECT_EQ(ac_->GrantRole(Local("root"), {Role::kOwner, "", "x"}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ac_->GrantRole(Local("root"), {Role::kAdmin, "orders", "x"}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ac_->GrantRole(Local("root"), {Role::kOwner, "nowhere", "x"}).code(), StatusCode::kNotFound);
    EXPECT_EQ(ac_->GrantRole(Local("root"), {Role::kConsumer, "", "bad name!"}).code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(ac_->GrantRole(Local("olga"), {Role::kDeveloper, "orders", "dan"}).ok()) << "owners add developers";
    EXPECT_EQ(ac_->GrantRole(Local("olga"), {Role::kDeveloper, "users", "dan"}).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(ac_->GrantRole(Local("olga"), {Role::kAdmin, "", "olga"}).code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(ac_->GrantRole(Local("root"), {Role::kDeveloper, "orders", "dan"}).code(), StatusCode::kAlreadyExists);
    EXPECT_TRUE(ac_->GrantRole(Local("root"), {Role::kGovernance, "", "group:stewards"}).ok());
    EXPECT_EQ(ac_->RevokeRole(Local("root"), {Role::kAdmin, "", "root"}).code(), StatusCode::kFailedPrecondition)
            << "the last admin stays";
    EXPECT_TRUE(ac_->RevokeRole(Local("olga"), {Role::kDeveloper, "orders", "dan"}).ok());
    EXPECT_EQ(ac_->RevokeRole(Local("root"), {Role::kDeveloper, "orders", "dan"}).code(), StatusCode::kNotFound);
    auto roles = ac_->Roles("");
    ASSERT_TRUE(roles.ok());
    EXPECT_EQ(roles->size(), 4u);  // root admin, olga owner, dev developer, group:stewards governance
}

TEST_F(RequestTest, TheAuditLogHoldsEveryWriteAndDenialAndOnlyGovernanceReadsIt) {
    Secure();
    AccessRequest r = Request("carl", {"orders.order_facts", "report", {}, false, 0});
    ASSERT_TRUE(ac_->Approve(Local("olga"), r.id, "fine").ok());
    Status refused = ac_->Authorize(Local("carl"), Action::kWriteDomain, "orders");
    EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(refused.message(), "carl may not change domain orders: that needs the role owner or developer of domain orders, or admin");
    now_ms_ = kT0 + 1000;
    ASSERT_TRUE(ac_->Audit({.user = "carl", .action = "query", .target = "orders.order_facts", .rows = 3}).ok());
    auto denied = ac_->AuditLog(Local("carl"), {});
    EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
    auto log = ac_->AuditLog(Local("root"), {});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    std::vector<std::string> actions;
    for (auto it = log->rbegin(); it != log->rend(); ++it) actions.push_back(it->action + ":" + it->outcome);
    EXPECT_EQ(actions, (std::vector<std::string>{"role.bootstrap:ok", "role.grant:ok", "role.grant:ok", "access.request:ok",
                                                 "access.approve:ok", "authorize:denied", "query:ok", "authorize:denied"}));
    EXPECT_EQ(log->at(1).rows, 3);
    auto only_access = ac_->AuditLog(Local("root"), {.action = "access"});
    ASSERT_TRUE(only_access.ok());
    EXPECT_EQ(only_access->size(), 2u);
    auto since = ac_->AuditLog(Local("root"), {.since_ms = kT0 + 1000});
    ASSERT_TRUE(since.ok());
    EXPECT_EQ(since->size(), 2u);
    auto by_user = ac_->AuditLog(Local("root"), {.user = "olga"});
    ASSERT_TRUE(by_user.ok());
    ASSERT_EQ(by_user->size(), 1u);
    EXPECT_EQ(by_user->front().details, "for carl: fine; grant 1");
}

}  // namespace
}  // namespace tessera::access
