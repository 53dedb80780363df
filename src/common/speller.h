#pragma once

// Spelling correction over a fixed vocabulary, for "did you mean" in search: the closest
// vocabulary word to a misspelt one, found without comparing it with every word.
//
//   text::Speller speller({{"order", 120}, {"orders", 80}, {"revenue", 40}});
//   speller.Correct("ordr");    // "order"
//   speller.Correct("revneue"); // "revenue"
//   speller.Correct("zebra");   // "" (nothing close)
//
// How: every word is indexed under itself and each of its one-deletion variants (symmetric
// deletion). A query word finds its candidates by looking up itself and its own one-deletion
// variants, which reaches every word one insertion, deletion, substitution or swap of neighbours
// away, and some two edits away; each candidate is then measured exactly. Memory is about 16 bytes
// per variant (a word of n bytes has n + 1). Immutable after construction: safe to share between
// threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::text {

struct WeightedWord {
    std::string text;    // compared byte by byte (callers lower-case both sides)
    int64_t weight = 0;  // ties between equally close words go to the heavier (e.g. more documents)
};

class Speller {
public:
    explicit Speller(std::vector<WeightedWord> words);

    // The vocabulary word closest to `word` (optimal string alignment distance at most 2, and less
    // than half of `word`'s length); ties go to the heavier word, then the alphabetically first.
    // Empty when `word` is itself in the vocabulary or nothing is close enough.
    std::string Correct(std::string_view word) const;

    size_t size() const { return words_.size(); }

private:
    std::vector<WeightedWord> words_;
    std::vector<std::pair<uint64_t, uint32_t>> variants_;  // hash of a variant -> word index, sorted
};

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring bytes each count one.
size_t SwapAwareDistance(std::string_view a, std::string_view b);

}  // namespace tessera::text
