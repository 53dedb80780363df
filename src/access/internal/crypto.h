#pragma once

// The few primitives access/ needs from OpenSSL: random bytes, SHA-256, constant-time comparison
// and the encodings of tokens and JWTs. Only access/ includes this header.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tessera::access::internal {

// `n` bytes from OpenSSL's CSPRNG. kInternal when it cannot deliver.
Result<std::string> RandomBytes(size_t n);

// SHA-256 of `data` (32 raw bytes).
std::string Sha256(std::string_view data);

// Equal contents, compared in time independent of where they differ (CRYPTO_memcmp).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string Hex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);

// RFC 4648 §5 without padding; decoding also accepts padding and rejects anything else.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace tessera::access::internal
