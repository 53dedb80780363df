#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "access/internal/crypto.h"
#include "fixture.h"
#include "store/store.h"

namespace tessera::access {
namespace {

class TokenTest : public AccessTest {};

TEST_F(TokenTest, ACreatedTokenAuthenticatesItsUserWithTheirRoles) {
    Secure();
    auto token = ac_->CreateToken(Local("olga"), "olga", 0, "laptop");
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    EXPECT_TRUE(LooksLikeApiToken(token->secret)) << token->secret;
    auto p = ac_->Authenticate("Bearer " + token->secret);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->user, "olga");
    EXPECT_EQ(p->method, "token");
    EXPECT_TRUE(p->Has(Role::kOwner, "orders"));
    EXPECT_FALSE(p->open_mode);
    EXPECT_TRUE(ac_->Authenticate("bearer  " + token->secret).ok()) << "the scheme is case-insensitive";
}

TEST_F(TokenTest, StoresOnlyASaltedHashNeverTheSecret) {
    auto a = ac_->CreateToken(Local("ann"), "ann", 0, "");
    auto b = ac_->CreateToken(Local("ann"), "ann", 0, "");
    ASSERT_TRUE(a.ok() && b.ok());
    auto store = store::OpenSqlite(CatalogPath());
    ASSERT_TRUE(store.ok());
    auto rows = (*store)->Tokens("ann");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    for (const auto& t : *rows) {
        EXPECT_EQ(t.secret_hash.size(), 64u);
        EXPECT_EQ(t.salt.size(), 32u);
        EXPECT_EQ(a->secret.find(t.secret_hash), std::string::npos);
        EXPECT_EQ(t.secret_hash.find(a->secret.substr(21)), std::string::npos);
    }
    EXPECT_NE((*rows)[0].salt, (*rows)[1].salt);
}

TEST_F(TokenTest, RejectsAWrongSecretAnUnknownIdAndMalformedHeaders) {
    auto token = ac_->CreateToken(Local("ann"), "ann", 0, "");
    ASSERT_TRUE(token.ok());
    std::string wrong = token->secret;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    auto bad = ac_->Authenticate("Bearer " + wrong);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(bad.status().message(), "invalid API token: unknown token or wrong secret");
    std::string unknown = token->secret;
    unknown[4] = unknown[4] == 'a' ? 'b' : 'a';
    EXPECT_EQ(ac_->Authenticate("Bearer " + unknown).status().message(), "invalid API token: unknown token or wrong secret");
    EXPECT_EQ(ac_->Authenticate("Basic YW5uOnB3").status().message(),
              "unsupported Authorization scheme: expected `Bearer <token>`");
    EXPECT_EQ(ac_->Authenticate("Bearer hello").status().message(),
              "invalid bearer token: neither a Tessera API token (tsr_…) nor a JWT");
    auto none = ac_->Authenticate("");
    EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(none.status().message(),
              "no credentials: send `Authorization: Bearer <token>` (an API token or an OIDC token)");
}

TEST_F(TokenTest, AnonymousReadGivesAPrincipalThatMayOnlyReadTheCatalog) {
    Secure();
    Reopen({.allow_anonymous_read = true});
    auto p = ac_->Authenticate("");
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->anonymous);
    EXPECT_TRUE(ac_->Authorize(*p, Action::kReadCatalog).ok());
    Status s = ac_->Authorize(*p, Action::kWriteDomain, "orders");
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
    auto policy = ac_->QueryPolicyFor(*p);
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(TokenTest, ARevokedTokenStopsWorkingAndCannotBeRevokedTwice) {
    auto token = ac_->CreateToken(Local("ann"), "ann", 0, "");
    ASSERT_TRUE(token.ok());
    ASSERT_TRUE(ac_->RevokeToken(Local("ann"), token->info.id).ok());
    auto p = ac_->Authenticate("Bearer " + token->secret);
    EXPECT_EQ(p.status().message(), "invalid API token: token " + token->info.id + " was revoked");
    Status again = ac_->RevokeToken(Local("ann"), token->info.id);
    EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(ac_->RevokeToken(Local("ann"), "0000000000000000").code(), StatusCode::kNotFound);
}

TEST_F(TokenTest, ExpiresAtItsTimeAndRefusesAnExpiryInThePast) {
    auto token = ac_->CreateToken(Local("ann"), "ann", kT0 + 60'000, "");
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(ac_->Authenticate("Bearer " + token->secret).ok());
    now_ms_ = kT0 + 60'000;
    EXPECT_EQ(ac_->Authenticate("Bearer " + token->secret).status().message(),
              "invalid API token: token " + token->info.id + " expired");
    auto past = ac_->CreateToken(Local("ann"), "ann", kT0, "");
    EXPECT_EQ(past.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TokenTest, OnlyAdminsCreateListOrRevokeTokensOfOthers) {
    Secure();
    auto mine = ac_->CreateToken(Local("carl"), "carl", 0, "");
    ASSERT_TRUE(mine.ok());
    auto theirs = ac_->CreateToken(Local("carl"), "olga", 0, "");
    ASSERT_FALSE(theirs.ok());
    EXPECT_EQ(theirs.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(theirs.status().message(), "carl may not create a token for olga: that needs the role admin");
    EXPECT_EQ(ac_->Tokens(Local("olga"), "carl").status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(ac_->RevokeToken(Local("olga"), mine->info.id).code(), StatusCode::kPermissionDenied);
    auto by_admin = ac_->CreateToken(Local("root"), "olga", 0, "ci");
    ASSERT_TRUE(by_admin.ok());
    EXPECT_EQ(by_admin->info.created_by, "root");
    auto all = ac_->Tokens(Local("root"), "");
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 2u);
    auto own = ac_->Tokens(Local("carl"), "");
    ASSERT_TRUE(own.ok());
    ASSERT_EQ(own->size(), 1u) << "without --user, a user sees their own tokens";
    EXPECT_TRUE(ac_->RevokeToken(Local("root"), mine->info.id).ok());
}

TEST_F(TokenTest, OneInstanceServesManyThreadsAtOnce) {
    Secure();
    constexpr int kThreads = 8, kEach = 10;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::string user = "user" + std::to_string(t);
            for (int i = 0; i < kEach; ++i) {
                auto me = ac_->LocalPrincipal(user);
                auto token = me.ok() ? ac_->CreateToken(*me, user, 0, "") : Result<NewToken>(me.status());
                auto p = token.ok() ? ac_->Authenticate("Bearer " + token->secret) : Result<Principal>(token.status());
                if (!p.ok() || p->user != user) ++failures;
                if (!ac_->Audit({.user = user, .action = "query", .rows = i}).ok()) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto all = ac_->Tokens(Local("root"), "");
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), static_cast<size_t>(kThreads * kEach));
    auto queries = ac_->AuditLog(Local("root"), {.action = "query", .limit = 10000});
    ASSERT_TRUE(queries.ok());
    EXPECT_EQ(queries->size(), static_cast<size_t>(kThreads * kEach));
}

TEST(Crypto, Base64UrlRoundTripsEveryLengthAndRejectsOtherAlphabets) {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        auto back = internal::Base64UrlDecode(internal::Base64UrlEncode(bytes));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, bytes);
        bytes += static_cast<char>(n * 37 + 11);
    }
    EXPECT_EQ(internal::Base64UrlEncode("\xfb\xff"), "-_8");
    EXPECT_FALSE(internal::Base64UrlDecode("ab+/"));
    EXPECT_FALSE(internal::Base64UrlDecode("a"));
    EXPECT_TRUE(internal::ConstantTimeEqual("abc", "abc"));
    EXPECT_FALSE(internal::ConstantTimeEqual("abc", "abd"));
    EXPECT_FALSE(internal::ConstantTimeEqual("abc", "ab"));
}

}  // namespace
}  // namespace tessera::access

namespace tessera::access {
namespace {

// Failed logins used to write one audit row each into a table that forbids deletes (7 MB/s from
// one client). Now: per client and reason, the first of a minute at once, the rest as one count;
// past `max_failed_logins` a minute the client is refused until the minute is over.
TEST_F(AccessTest, FailedLoginsAreAuditedInAggregateAndThrottledPerClient) {
    AccessConfig config;
    config.max_failed_logins = 5;
    Reopen(config);
    ASSERT_TRUE(ac_->BootstrapAdmin("root").ok());
    const std::string bad = "Bearer tsr_0123456789abcdef_" + std::string(43, 'x');
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(ac_->LoginRetryAfter("10.0.0.7"), 0);
        EXPECT_EQ(ac_->Authenticate(bad, "10.0.0.7").status().code(), StatusCode::kUnauthenticated);
    }
    for (int i = 0; i < 100; ++i) (void)ac_->Authenticate("", "10.0.0.7");  // no credentials: audited, not counted
    EXPECT_EQ(ac_->LoginRetryAfter("10.0.0.7"), 60);
    EXPECT_EQ(ac_->LoginRetryAfter("10.0.0.8"), 0) << "another client is not refused";
    now_ms_ += 30'000;
    EXPECT_EQ(ac_->LoginRetryAfter("10.0.0.7"), 30);
    auto rows = ac_->AuditLog(Local("root"), {.action = "authenticate", .limit = 1000});
    ASSERT_TRUE(rows.ok());
    std::string first;
    for (const auto& r : *rows) first += r.action + " " + r.target + " " + r.details + "\n";
    EXPECT_EQ(rows->size(), 3u) << "the first of each reason at once (two reasons, and the refusal)\n" << first;
    now_ms_ += 31'000;  // the minute is over: the counts are written and the client may try again
    EXPECT_EQ(ac_->LoginRetryAfter("10.0.0.7"), 0);
    (void)ac_->Authenticate(bad, "10.0.0.7");
    rows = ac_->AuditLog(Local("root"), {.action = "authenticate", .limit = 1000});
    ASSERT_TRUE(rows.ok());
    std::string all;
    for (const auto& r : *rows) all += r.target + " " + r.details + "\n";
    EXPECT_NE(all.find("10.0.0.7 4 more of \"invalid API token\" within a minute"), std::string::npos) << all;
    EXPECT_NE(all.find("10.0.0.7 99 more of \"no credentials\" within a minute"), std::string::npos) << all;
    EXPECT_NE(all.find("10.0.0.7 1 more of \"too many failed logins\""), std::string::npos) << all;
    EXPECT_EQ(rows->size(), 7u) << all;  // 3 firsts, 3 counts, the first of the new minute
}

}  // namespace
}  // namespace tessera::access
