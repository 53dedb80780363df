#include "common/speller.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

text::Speller Vocabulary() {
    return text::Speller({{"order", 120}, {"orders", 80}, {"revenue", 40}, {"session", 30}, {"customer", 50},
                          {"ordre", 1}, {"cat", 5}, {"car", 9}});
}

TEST(Speller, CorrectsOneInsertionDeletionSubstitutionOrSwap) {
    text::Speller s = Vocabulary();
    EXPECT_EQ(s.Correct("ordr"), "order");        // a deletion
    EXPECT_EQ(s.Correct("orderx"), "order");      // an insertion (orders is as close but lighter)
    EXPECT_EQ(s.Correct("revenye"), "revenue");   // a substitution
    EXPECT_EQ(s.Correct("sesison"), "session");   // neighbours swapped
    EXPECT_EQ(s.Correct("cusotmer"), "customer");
}

TEST(Speller, ReachesSomeWordsTwoEditsAway) {
    text::Speller s = Vocabulary();
    EXPECT_EQ(s.Correct("revnue"), "revenue");  // one deletion
    EXPECT_EQ(s.Correct("rvenuex"), "revenue");  // a letter missing and one too many: two edits
    EXPECT_EQ(s.Correct("rvenu"), "");  // two letters missing: out of reach of one deletion per side
}

TEST(Speller, PrefersTheCloserThenTheHeavierWord) {
    text::Speller s = Vocabulary();
    EXPECT_EQ(s.Correct("cax"), "car");    // cat and car are one edit away; car is heavier
    EXPECT_EQ(s.Correct("oredr"), "order");  // order (swap, 1) beats ordre (2) whatever the weights
}

TEST(Speller, LeavesKnownAndUnrelatedWordsAlone) {
    text::Speller s = Vocabulary();
    EXPECT_EQ(s.Correct("order"), "");   // already a word
    EXPECT_EQ(s.Correct("zebra"), "");   // nothing close
    EXPECT_EQ(s.Correct("ca"), "");      // too short to correct: one edit is half the word
    EXPECT_EQ(text::Speller({}).Correct("order"), "");
}

TEST(SwapAwareDistance, CountsASwapOfNeighboursAsOneEdit) {
    EXPECT_EQ(text::SwapAwareDistance("", ""), 0u);
    EXPECT_EQ(text::SwapAwareDistance("ab", "ba"), 1u);
    EXPECT_EQ(text::SwapAwareDistance("order", "oredr"), 1u);
    EXPECT_EQ(text::SwapAwareDistance("kitten", "sitting"), 3u);
    EXPECT_EQ(text::SwapAwareDistance("", "abc"), 3u);
}

}  // namespace
}  // namespace tessera
