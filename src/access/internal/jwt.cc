#include "access/internal/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "access/internal/crypto.h"

namespace tessera::access::internal {
namespace {

using Json = nlohmann::json;

Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, "invalid bearer token: " + std::move(m)}; }

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct BnDeleter {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn ToBn(const std::string& bytes) {
    return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

// Builds a public key of `type` ("RSA" or "EC") from OpenSSL parameters.
Pkey FromParams(const char* type, OSSL_PARAM* params) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                                                                   &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        return nullptr;
    }
    return Pkey(key);
}

}  // namespace

struct KeySet::Key {
    std::string kid;
    std::string kty;  // RSA | EC
    std::string alg;  // as declared, or ""
    Pkey pkey;
};

KeySet::KeySet() = default;
KeySet::~KeySet() = default;
KeySet::KeySet(KeySet&&) noexcept = default;
KeySet& KeySet::operator=(KeySet&&) noexcept = default;
size_t KeySet::size() const { return keys_.size(); }

Result<KeySet> KeySet::Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFound(path + ": error: cannot read the JWKS file");
    std::stringstream text;
    text << in.rdbuf();
    return Parse(text.str(), path);
}

Result<KeySet> KeySet::Parse(std::string_view text, const std::string& origin) {
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return InvalidArgument(origin + ": error: not a JSON object (a JWKS document: {\"keys\": [...]})");
    }
    if (!doc.contains("keys") || !doc["keys"].is_array()) {
        return InvalidArgument(origin + ": error: keys: expected an array of keys");
    }
    KeySet set;
    for (size_t i = 0; i < doc["keys"].size(); ++i) {
        const Json& k = doc["keys"][i];
        std::string where = origin + ": error: keys[" + std::to_string(i) + "]";
        if (!k.is_object()) return InvalidArgument(where + ": expected an object");
        auto field = [&](const char* name) -> Result<std::string> {
            if (!k.contains(name) || !k[name].is_string()) {
                return InvalidArgument(where + "." + name + ": expected a string");
            }
            return k[name].get<std::string>();
        };
        auto bytes = [&](const char* name) -> Result<std::string> {
            TESSERA_ASSIGN_OR_RETURN(std::string v, field(name));
            auto decoded = Base64UrlDecode(v);
            if (!decoded || decoded->empty()) return InvalidArgument(where + "." + name + ": expected base64url");
            return *decoded;
        };
        auto key = std::make_unique<Key>();
        TESSERA_ASSIGN_OR_RETURN(key->kty, field("kty"));
        if (k.contains("kid")) {
            TESSERA_ASSIGN_OR_RETURN(key->kid, field("kid"));
        }
        if (k.contains("alg")) {
            TESSERA_ASSIGN_OR_RETURN(key->alg, field("alg"));
        }
        if (k.contains("use") && k["use"] != "sig") continue;  // encryption keys are not ours
        if (key->kty == "RSA") {
            if (!key->alg.empty() && key->alg != "RS256") {
                return InvalidArgument(where + ".alg: expected RS256 for an RSA key, found \"" + key->alg + "\"");
            }
            TESSERA_ASSIGN_OR_RETURN(std::string n, bytes("n"));
            TESSERA_ASSIGN_OR_RETURN(std::string e, bytes("e"));
            Bn bn_n = ToBn(n), bn_e = ToBn(e);
            std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get());
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get());
            std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), &OSSL_PARAM_free);
            key->pkey = FromParams("RSA", params.get());
            if (!key->pkey) return InvalidArgument(where + ": not a usable RSA public key");
            if (EVP_PKEY_get_bits(key->pkey.get()) < 2048) {
                return InvalidArgument(where + ".n: RSA keys need at least 2048 bits, found " +
                                       std::to_string(EVP_PKEY_get_bits(key->pkey.get())));
            }
        } else if (key->kty == "EC") {
            if (!key->alg.empty() && key->alg != "ES256") {
                return InvalidArgument(where + ".alg: expected ES256 for an EC key, found \"" + key->alg + "\"");
            }
            TESSERA_ASSIGN_OR_RETURN(std::string crv, field("crv"));
            if (crv != "P-256") return InvalidArgument(where + ".crv: expected P-256, found \"" + crv + "\"");
            TESSERA_ASSIGN_OR_RETURN(std::string x, bytes("x"));
            TESSERA_ASSIGN_OR_RETURN(std::string y, bytes("y"));
            if (x.size() != 32 || y.size() != 32) return InvalidArgument(where + ": x and y of a P-256 key are 32 bytes");
            std::string point = std::string(1, '\x04') + x + y;
            std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
            OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
            OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
            std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), &OSSL_PARAM_free);
            key->pkey = FromParams("EC", params.get());
            if (!key->pkey) return InvalidArgument(where + ": not a point on P-256");
        } else {
            return InvalidArgument(where + ".kty: expected RSA or EC, found \"" + key->kty + "\"");
        }
        set.keys_.push_back(std::move(key));
    }
    if (set.keys_.empty()) return InvalidArgument(origin + ": error: keys: no signing key");
    return set;
}

struct JwtVerifier {
    static const KeySet::Key* Find(const KeySet& keys, const std::string& kid, const std::string& kty) {
        const KeySet::Key* only = nullptr;
        int candidates = 0;
        for (const auto& k : keys.keys_) {
            if (k->kty != kty) continue;
            if (!kid.empty() && k->kid == kid) return k.get();
            ++candidates;
            only = k.get();
        }
        // Without a `kid`, a key set with one key of the type needs no hint.
        return kid.empty() && candidates == 1 ? only : nullptr;
    }
};

namespace {

// ES256 signatures are r || s (32 bytes each); OpenSSL verifies DER.
std::optional<std::string> RawEcdsaToDer(const std::string& raw) {
    if (raw.size() != 64) return std::nullopt;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    if (!sig) return std::nullopt;
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
    if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return std::nullopt;
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (len <= 0) return std::nullopt;
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    return out;
}

bool VerifySignature(EVP_PKEY* key, std::string_view signed_part, const std::string& signature) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

Result<Json> DecodePart(std::string_view part, const char* what) {
    auto bytes = Base64UrlDecode(part);
    if (!bytes) return Unauthenticated(std::string(what) + " is not base64url");
    Json j = Json::parse(*bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Unauthenticated(std::string(what) + " is not a JSON object");
    return j;
}

Result<std::optional<int64_t>> NumericDate(const Json& claims, const char* name) {
    if (!claims.contains(name)) return std::optional<int64_t>();
    const Json& v = claims[name];
    // Seconds since 1970; anything past year 9999 is not a date.
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 253402300799.0) {
        return Unauthenticated(std::string("claim ") + name + " is not a NumericDate");
    }
    return std::optional<int64_t>(static_cast<int64_t>(v.get<double>()));
}

}  // namespace

Result<VerifiedJwt> VerifyJwt(std::string_view token, const KeySet& keys, const JwtRules& rules, int64_t now) {
    size_t dot1 = token.find('.');
    size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return Unauthenticated("expected a JWT of three base64url parts separated by dots");
    }
    TESSERA_ASSIGN_OR_RETURN(Json header, DecodePart(token.substr(0, dot1), "the JWT header"));
    VerifiedJwt out;
    if (!header.contains("alg") || !header["alg"].is_string()) return Unauthenticated("the JWT header has no alg");
    out.alg = header["alg"].get<std::string>();
    if (out.alg != "RS256" && out.alg != "ES256") {
        return Unauthenticated("algorithm \"" + out.alg + "\" is not accepted (RS256 or ES256)");
    }
    if (header.contains("crit")) return Unauthenticated("the JWT header has critical extensions Tessera does not know");
    if (header.contains("kid")) {
        if (!header["kid"].is_string()) return Unauthenticated("kid is not a string");
        out.kid = header["kid"].get<std::string>();
    }
    const std::string kty = out.alg == "RS256" ? "RSA" : "EC";
    const KeySet::Key* key = JwtVerifier::Find(keys, out.kid, kty);
    if (!key) {
        return Unauthenticated(out.kid.empty() ? "no kid, and the JWKS does not hold exactly one " + kty + " key"
                                               : "unknown key id \"" + out.kid + "\" for " + out.alg);
    }
    if (!key->alg.empty() && key->alg != out.alg) return Unauthenticated("the key is for " + key->alg + ", not " + out.alg);
    auto signature = Base64UrlDecode(token.substr(dot2 + 1));
    if (!signature) return Unauthenticated("the signature is not base64url");
    std::string sig = *signature;
    if (out.alg == "ES256") {
        auto der = RawEcdsaToDer(sig);
        if (!der) return Unauthenticated("an ES256 signature is 64 bytes");
        sig = *der;
    }
    if (!VerifySignature(key->pkey.get(), token.substr(0, dot2), sig)) return Unauthenticated("bad signature");

    TESSERA_ASSIGN_OR_RETURN(Json claims, DecodePart(token.substr(dot1 + 1, dot2 - dot1 - 1), "the JWT payload"));
    if (!claims.contains("iss") || claims["iss"] != rules.issuer) {
        return Unauthenticated("issuer " + (claims.contains("iss") ? claims["iss"].dump() : std::string("(none)")) +
                               " is not \"" + rules.issuer + "\"");
    }
    bool audience_ok = false;
    if (claims.contains("aud")) {
        const Json& aud = claims["aud"];
        if (aud.is_string()) audience_ok = aud == rules.audience;
        if (aud.is_array()) {
            for (const auto& a : aud) audience_ok = audience_ok || a == rules.audience;
        }
    }
    if (!audience_ok) {
        return Unauthenticated("audience " + (claims.contains("aud") ? claims["aud"].dump() : std::string("(none)")) +
                               " does not include \"" + rules.audience + "\"");
    }
    TESSERA_ASSIGN_OR_RETURN(auto exp, NumericDate(claims, "exp"));
    TESSERA_ASSIGN_OR_RETURN(auto nbf, NumericDate(claims, "nbf"));
    TESSERA_ASSIGN_OR_RETURN(auto iat, NumericDate(claims, "iat"));
    if (!exp) return Unauthenticated("no exp claim: tokens without expiry are refused");
    if (now > *exp + rules.leeway_seconds) return Unauthenticated("expired " + std::to_string(now - *exp) + " s ago");
    if (nbf && now + rules.leeway_seconds < *nbf) {
        return Unauthenticated("not valid before " + std::to_string(*nbf) + " (" + std::to_string(*nbf - now) + " s from now)");
    }
    if (iat && now + rules.leeway_seconds < *iat) return Unauthenticated("issued in the future (iat " + std::to_string(*iat) + ")");
    out.claims_json = claims.dump();
    return out;
}

}  // namespace tessera::access::internal
