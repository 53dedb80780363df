#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tessera::text {

// Levenshtein distance between `a` and `b`.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo (distance at most
// 2, and less than half of the word), or an empty string.
std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

// `s` in ASCII lower / upper case.
std::string Lower(std::string_view s);
std::string Upper(std::string_view s);

// `s` cut to at most `max_bytes` bytes ending in "...", never inside a UTF-8 character.
std::string Truncate(std::string_view s, size_t max_bytes);

// The offset of the first byte of `s` that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF), or `std::string_view::npos` when `s` is
// valid UTF-8.
size_t FirstInvalidUtf8(std::string_view s);

// Joins `parts` with `sep`.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace tessera::text
