#include "common/text.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace tessera {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
    EXPECT_EQ(text::EditDistance("", ""), 0u);
    EXPECT_EQ(text::EditDistance("descripton", "description"), 1u);
    EXPECT_EQ(text::EditDistance("kitten", "sitting"), 3u);
}

TEST(ClosestMatch, SuggestsATypoButNotAnUnrelatedWord) {
    EXPECT_EQ(text::ClosestMatch("descripton", {"name", "description", "tags"}), "description");
    EXPECT_EQ(text::ClosestMatch("Owner", {"owner", "domain"}), "owner");
    EXPECT_EQ(text::ClosestMatch("colour", {"name", "type"}), "");
    EXPECT_EQ(text::ClosestMatch("ab", {"cd"}), "");
}

TEST(Truncate, CutsLongTextWithoutSplittingACharacter) {
    EXPECT_EQ(text::Truncate("short", 10), "short");
    EXPECT_EQ(text::Truncate("abcdefghij", 8), "abcde...");
    EXPECT_EQ(text::Truncate("caf\xC3\xA9 au lait", 7), "caf...");  // "é" is two bytes: not cut inside
}

Result<int> Half(int v) {
    if (v % 2) return InvalidArgument("odd");
    return v / 2;
}

Status UseHalf(int v, int* out) {
    TESSERA_ASSIGN_OR_RETURN(*out, Half(v));
    return Status::Ok();
}

TEST(Result, AssignOrReturnPropagatesTheError) {
    int out = 0;
    EXPECT_TRUE(UseHalf(4, &out).ok());
    EXPECT_EQ(out, 2);
    Status s = UseHalf(3, &out);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), "odd");
}

}  // namespace
}  // namespace tessera
