// Days on the command line: dates as they are, or days and weeks from today.

#include "governance/proposals.h"

#include <gtest/gtest.h>

namespace tessera::governance {
namespace {

TEST(ResolveDay, KeepsADateAsItIs) {
    auto d = ResolveDay("--from", "2027-01-01", "2026-11-26");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, "2027-01-01");
}

TEST(ResolveDay, CountsDaysAndWeeksFromTodayAcrossMonthsYearsAndLeapDays) {
    EXPECT_EQ(*ResolveDay("--from", "30d", "2026-11-26"), "2026-12-26");
    EXPECT_EQ(*ResolveDay("--from", "+30d", "2026-12-15"), "2027-01-14");
    EXPECT_EQ(*ResolveDay("--expires", "2w", "2028-02-20"), "2028-03-05");  // 2028 is a leap year
    EXPECT_EQ(*ResolveDay("--expires", "0d", "2026-11-26"), "2026-11-26");
}

TEST(ResolveDay, RefusesAnythingElseNamingTheOptionAndTheForms) {
    for (const char* bad : {"2027-02-30", "tomorrow", "30", "-3d", "3h", "30d ", ""}) {
        auto d = ResolveDay("--expires", bad, "2026-11-26");
        ASSERT_FALSE(d.ok()) << bad;
        EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(d.status().message().find("--expires: expected a date YYYY-MM-DD or a number of days or weeks"),
                  std::string::npos)
                << d.status().message();
    }
}

}  // namespace
}  // namespace tessera::governance
