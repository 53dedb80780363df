// OIDC bearer tokens. Keys are made by OpenSSL when the test runs: no private key is committed.

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "access/internal/crypto.h"
#include "fixture.h"

namespace tessera::access {
namespace {

using Json = nlohmann::json;
using internal::Base64UrlEncode;

struct Keys {
    EVP_PKEY* rsa = nullptr;
    EVP_PKEY* ec = nullptr;
    EVP_PKEY* other_rsa = nullptr;  // not in the JWKS
};

std::string BnBytes(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key, name, &bn);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
}

const Keys& TestKeys() {
    static Keys keys = [] {
        Keys k;
        k.rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
        k.ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        k.other_rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
        return k;
    }();
    return keys;
}

Json Jwks() {
    const Keys& k = TestKeys();
    unsigned char point[65];
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(k.ec, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
    std::string p(reinterpret_cast<char*>(point), len);
    return {{"keys",
             {{{"kty", "RSA"}, {"kid", "rsa1"}, {"use", "sig"}, {"alg", "RS256"},
               {"n", Base64UrlEncode(BnBytes(k.rsa, OSSL_PKEY_PARAM_RSA_N))},
               {"e", Base64UrlEncode(BnBytes(k.rsa, OSSL_PKEY_PARAM_RSA_E))}},
              {{"kty", "EC"}, {"kid", "ec1"}, {"crv", "P-256"},
               {"x", Base64UrlEncode(p.substr(1, 32))}, {"y", Base64UrlEncode(p.substr(33, 32))}}}}};
}

std::string Sign(EVP_PKEY* key, const std::string& input, bool raw_ecdsa) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (!raw_ecdsa) return sig;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
}

constexpr int64_t kNow = kT0 / 1000;

Json Claims() {
    return {{"iss", "https://id.example.com"}, {"aud", "tessera"}, {"sub", "ann"},   {"groups", {"analysts", "orders-devs"}},
            {"iat", kNow - 10},                {"nbf", kNow - 10}, {"exp", kNow + 600}};
}

std::string MakeJwt(const Json& header, const Json& claims, EVP_PKEY* key) {
    std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
    bool ec = header.value("alg", "") == "ES256";
    return input + "." + Base64UrlEncode(Sign(key, input, ec));
}

std::string Rs256(const Json& claims, const std::string& kid = "rsa1") {
    return MakeJwt({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}, claims, TestKeys().rsa);
}

class JwtTest : public AccessTest {
protected:
    void SetUp() override {
        AccessTest::SetUp();
        jwks_ = (dir_ / "jwks.json").string();
        std::ofstream(jwks_) << Jwks().dump(2);
        Reopen(Config());
    }
    AccessConfig Config() {
        AccessConfig c;
        c.oidc.issuer = "https://id.example.com";
        c.oidc.audience = "tessera";
        c.oidc.jwks_file = jwks_;
        return c;
    }
    std::string Refusal(const std::string& token) {
        auto p = ac_->Authenticate("Bearer " + token);
        if (p.ok()) return "accepted";
        EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
        return p.status().message();
    }
    std::string jwks_;
};

TEST_F(JwtTest, AcceptsRs256AndEs256AndMapsGroupsToRoles) {
    ASSERT_TRUE(ac_->BootstrapAdmin("root").ok());
    ASSERT_TRUE(ac_->GrantRole(Local("root"), {Role::kDeveloper, "orders", "group:orders-devs"}).ok());
    auto rs = ac_->Authenticate("Bearer " + Rs256(Claims()));
    ASSERT_TRUE(rs.ok()) << rs.status().ToString();
    EXPECT_EQ(rs->user, "ann");
    EXPECT_EQ(rs->method, "oidc");
    EXPECT_EQ(rs->groups, (std::vector<std::string>{"analysts", "orders-devs"}));
    EXPECT_TRUE(rs->Has(Role::kDeveloper, "orders"));
    EXPECT_TRUE(Allowed(*rs, Action::kWriteDomain, "orders"));
    EXPECT_FALSE(Allowed(*rs, Action::kWriteDomain, "users"));
    auto es = ac_->Authenticate("Bearer " + MakeJwt({{"alg", "ES256"}, {"kid", "ec1"}}, Claims(), TestKeys().ec));
    ASSERT_TRUE(es.ok()) << es.status().ToString();
    Json array_aud = Claims();
    array_aud["aud"] = {"other", "tessera"};
    EXPECT_EQ(Refusal(Rs256(array_aud)), "accepted");
}

TEST_F(JwtTest, RejectsAlgNoneAndHmacSignedWithThePublicKey) {
    std::string unsigned_token =
            Base64UrlEncode(Json{{"alg", "none"}}.dump()) + "." + Base64UrlEncode(Claims().dump()) + ".";
    EXPECT_EQ(Refusal(unsigned_token), "invalid bearer token: algorithm \"none\" is not accepted (RS256 or ES256)");
    // The classic confusion: HS256 keyed with the RSA public key the verifier knows.
    std::string input = Base64UrlEncode(Json{{"alg", "HS256"}, {"kid", "rsa1"}}.dump()) + "." + Base64UrlEncode(Claims().dump());
    std::string public_key = Jwks()["keys"][0].dump();
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), public_key.data(), static_cast<int>(public_key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    std::string hs = input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
    EXPECT_EQ(Refusal(hs), "invalid bearer token: algorithm \"HS256\" is not accepted (RS256 or ES256)");
}

TEST_F(JwtTest, RejectsABadSignatureAnUnknownKeyAndAKeyOfTheWrongType) {
    std::string good = Rs256(Claims());
    std::string tampered = good;
    size_t dot = tampered.find('.');
    Json other = Claims();
    other["sub"] = "root";
    tampered = tampered.substr(0, dot) + "." + Base64UrlEncode(other.dump()) + tampered.substr(tampered.rfind('.'));
    EXPECT_EQ(Refusal(tampered), "invalid bearer token: bad signature");
    std::string foreign = MakeJwt({{"alg", "RS256"}, {"kid", "rsa1"}}, Claims(), TestKeys().other_rsa);
    EXPECT_EQ(Refusal(foreign), "invalid bearer token: bad signature");
    EXPECT_EQ(Refusal(Rs256(Claims(), "rsa9")), "invalid bearer token: unknown key id \"rsa9\" for RS256");
    // ES256 naming the RSA key: the key's type decides, not the header.
    EXPECT_EQ(Refusal(MakeJwt({{"alg", "ES256"}, {"kid", "rsa1"}}, Claims(), TestKeys().ec)),
              "invalid bearer token: unknown key id \"rsa1\" for ES256");
    EXPECT_EQ(Refusal("a.b.c"), "invalid bearer token: the JWT header is not base64url");
    EXPECT_EQ(Refusal("YQ.e30.AA"), "invalid bearer token: the JWT header is not a JSON object");
    EXPECT_EQ(Refusal("e30.e30.AA"), "invalid bearer token: the JWT header has no alg");
}

TEST_F(JwtTest, RejectsWrongIssuerAndAudience) {
    Json c = Claims();
    c["iss"] = "https://evil.example.com";
    EXPECT_EQ(Refusal(Rs256(c)),
              "invalid bearer token: issuer \"https://evil.example.com\" is not \"https://id.example.com\"");
    c = Claims();
    c["aud"] = "grafana";
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: audience \"grafana\" does not include \"tessera\"");
    c.erase("aud");
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: audience (none) does not include \"tessera\"");
}

TEST_F(JwtTest, RejectsExpiredNotYetValidAndUnboundedTokensWithinTheLeeway) {
    Json c = Claims();
    c["exp"] = kNow - 61;
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: expired 61 s ago");
    c["exp"] = kNow - 59;
    EXPECT_EQ(Refusal(Rs256(c)), "accepted") << "within the 60 s leeway";
    c = Claims();
    c["nbf"] = kNow + 120;
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: not valid before " + std::to_string(kNow + 120) + " (120 s from now)");
    c = Claims();
    c["iat"] = kNow + 120;
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: issued in the future (iat " + std::to_string(kNow + 120) + ")");
    c = Claims();
    c.erase("exp");
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: no exp claim: tokens without expiry are refused");
    c = Claims();
    c["exp"] = "tomorrow";
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: claim exp is not a NumericDate");
    c["exp"] = 1e300;
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: claim exp is not a NumericDate");
    c = Claims();
    c["sub"] = 7;
    EXPECT_EQ(Refusal(Rs256(c)), "invalid bearer token: claim sub is not a user name");
}

TEST_F(JwtTest, WithoutOidcConfiguredAJwtIsRefused) {
    Reopen({});
    EXPECT_EQ(Refusal(Rs256(Claims())), "invalid bearer token: a JWT, but OIDC is not configured on this server");
}

TEST_F(JwtTest, BadJwksFilesNameTheFileAndTheField) {
    auto open_with = [&](const std::string& text) {
        std::ofstream(jwks_) << text;
        auto ac = AccessControl::Open(CatalogPath(), Config());
        return ac.ok() ? std::string("opened") : ac.status().message();
    };
    EXPECT_EQ(open_with("{"), jwks_ + ": error: not a JSON object (a JWKS document: {\"keys\": [...]})");
    EXPECT_EQ(open_with(R"({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})"),
              jwks_ + ": error: keys[0].kty: expected RSA or EC, found \"oct\"");
    EXPECT_EQ(open_with(R"({"keys": [{"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}]})"),
              jwks_ + ": error: keys[0].crv: expected P-256, found \"P-384\"");
    EXPECT_EQ(open_with(R"({"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]})"),
              jwks_ + ": error: keys[0].n: RSA keys need at least 2048 bits, found 17");
    EXPECT_EQ(open_with(R"({"keys": [{"kty": "RSA", "e": "AQAB"}]})"), jwks_ + ": error: keys[0].n: expected a string");
    EXPECT_EQ(open_with(Jwks().dump()), "opened");
    std::filesystem::remove(jwks_);
    auto missing = AccessControl::Open(CatalogPath(), Config());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(missing.status().message(), jwks_ + ": error: cannot read the JWKS file");
}

}  // namespace
}  // namespace tessera::access
