#pragma once

// Verification of OIDC bearer tokens (compact JWS, RFC 7515/7519) against a JWKS document
// (RFC 7517) with OpenSSL. Accepts RS256 and ES256 only: `none`, HS* and every other algorithm
// are refused before any key is looked at, so a public key can never serve as an HMAC secret.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tessera::access::internal {

// The verification keys of one JWKS document. Immutable once loaded; safe to share.
class KeySet {
public:
    ~KeySet();
    KeySet(KeySet&&) noexcept;
    KeySet& operator=(KeySet&&) noexcept;

    // Loads `path`. kInvalidArgument naming the file and the field for a document that is not a
    // JWKS of RSA (>= 2048 bits) or P-256 EC public keys; kNotFound when the file is missing.
    static Result<KeySet> Load(const std::string& path);
    static Result<KeySet> Parse(std::string_view json, const std::string& origin);

    size_t size() const;

    struct Key;  // defined in jwt.cc

private:
    friend struct JwtVerifier;
    KeySet();
    std::vector<std::unique_ptr<Key>> keys_;
};

struct JwtRules {
    std::string issuer;
    std::string audience;
    int64_t leeway_seconds = 60;
};

// The verified claims (JSON text of the payload).
struct VerifiedJwt {
    std::string alg;
    std::string kid;
    std::string claims_json;
};

// Verifies signature, algorithm, key, `iss`, `aud`, `exp`, `nbf` and `iat` at `now_seconds`.
// kUnauthenticated with the failed check in the message.
Result<VerifiedJwt> VerifyJwt(std::string_view token, const KeySet& keys, const JwtRules& rules, int64_t now_seconds);

}  // namespace tessera::access::internal
