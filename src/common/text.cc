#include "common/text.h"

#include <algorithm>
#include <numeric>

namespace tessera::text {

size_t EditDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string best;
    size_t best_distance = 3;
    std::string lower = Lower(word);
    for (std::string_view c : candidates) {
        size_t d = EditDistance(lower, Lower(c));
        if (d < best_distance && d * 2 < std::max<size_t>(word.size(), 2)) {
            best_distance = d;
            best = std::string(c);
        }
    }
    return best;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string Truncate(std::string_view s, size_t max_bytes) {
    if (s.size() <= max_bytes) return std::string(s);
    size_t cut = max_bytes > 3 ? max_bytes - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "...";
}

size_t FirstInvalidUtf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
        unsigned char c = b(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t n = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) lo = 0xA0;   // overlong
            if (c == 0xED) hi = 0x9F;   // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) lo = 0x90;   // overlong
            if (c == 0xF4) hi = 0x8F;   // past U+10FFFF
        } else {
            return i;
        }
        if (i + n >= s.size()) return i;  // cut short
        if (b(i + 1) < lo || b(i + 1) > hi) return i;
        for (size_t k = 2; k <= n; ++k) {
            if ((b(i + k) & 0xC0) != 0x80) return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

}  // namespace tessera::text
