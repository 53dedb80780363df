#include "common/speller.h"

#include <algorithm>
#include <functional>

namespace tessera::text {
namespace {

uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

// `word` and each distinct string made by deleting one byte of it.
template <typename F>
void ForEachVariant(std::string_view word, F&& f) {
    f(std::string_view(word));
    std::string variant;
    for (size_t i = 0; i < word.size(); ++i) {
        if (i > 0 && word[i] == word[i - 1]) continue;  // deleting either of a double gives the same
        variant.assign(word.substr(0, i));
        variant.append(word.substr(i + 1));
        f(std::string_view(variant));
    }
}

}  // namespace

size_t SwapAwareDistance(std::string_view a, std::string_view b) {
    const size_t n = a.size(), m = b.size();
    std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j) prev[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= m; ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        prev2.swap(prev);
        prev.swap(cur);
    }
    return prev[m];
}

Speller::Speller(std::vector<WeightedWord> words) : words_(std::move(words)) {
    size_t total = 0;
    for (const auto& w : words_) total += w.text.size() + 1;
    variants_.reserve(total);
    for (size_t i = 0; i < words_.size(); ++i) {
        ForEachVariant(words_[i].text, [&](std::string_view v) { variants_.emplace_back(Hash(v), static_cast<uint32_t>(i)); });
    }
    std::sort(variants_.begin(), variants_.end());
    variants_.erase(std::unique(variants_.begin(), variants_.end()), variants_.end());
}

std::string Speller::Correct(std::string_view word) const {
    const WeightedWord* best = nullptr;
    size_t best_distance = 3;
    std::vector<uint32_t> seen;
    bool known = false;
    ForEachVariant(word, [&](std::string_view v) {
        auto it = std::lower_bound(variants_.begin(), variants_.end(), std::make_pair(Hash(v), uint32_t{0}));
        for (; it != variants_.end() && it->first == Hash(v); ++it) {
            if (std::find(seen.begin(), seen.end(), it->second) != seen.end()) continue;
            seen.push_back(it->second);
            const WeightedWord& candidate = words_[it->second];
            size_t d = SwapAwareDistance(word, candidate.text);
            if (d == 0) known = true;
            if (d == 0 || d > best_distance || d * 2 >= std::max<size_t>(word.size(), 2)) continue;
            if (!best || d < best_distance || candidate.weight > best->weight ||
                (candidate.weight == best->weight && candidate.text < best->text)) {
                best = &candidate;
                best_distance = d;
            }
        }
    });
    if (known || !best) return "";
    return best->text;
}

}  // namespace tessera::text
