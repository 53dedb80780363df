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

TEST(FirstInvalidUtf8, FindsTheFirstByteThatIsNotWellFormedUtf8) {
    constexpr size_t kValid = std::string_view::npos;
    EXPECT_EQ(text::FirstInvalidUtf8(""), kValid);
    EXPECT_EQ(text::FirstInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), kValid);
    EXPECT_EQ(text::FirstInvalidUtf8("caf\xe9"), 3u);              // Latin-1
    EXPECT_EQ(text::FirstInvalidUtf8("ab\xff"), 2u);
    EXPECT_EQ(text::FirstInvalidUtf8("\xc0\xaf"), 0u);            // overlong "/"
    EXPECT_EQ(text::FirstInvalidUtf8("\xe0\x80\xaf"), 0u);        // overlong
    EXPECT_EQ(text::FirstInvalidUtf8("x\xed\xa0\x80"), 1u);       // a UTF-16 surrogate
    EXPECT_EQ(text::FirstInvalidUtf8("\xf4\x90\x80\x80"), 0u);   // past U+10FFFF
    EXPECT_EQ(text::FirstInvalidUtf8("ok\xe2\x82"), 2u);          // cut short
    EXPECT_EQ(text::FirstInvalidUtf8("\x80"), 0u);                // a lone continuation byte
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
