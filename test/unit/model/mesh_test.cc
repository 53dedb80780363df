#include <gtest/gtest.h>

#include "model/cron.h"
#include "model/mesh.h"

namespace tessera::model {
namespace {

TEST(IsLowerSnakeCase, AcceptsAddressesAndRejectsTheRest) {
    for (const char* ok : {"orders", "order_facts", "a1", "web_events_2024"}) EXPECT_TRUE(IsLowerSnakeCase(ok)) << ok;
    for (const char* bad : {"", "Orders", "order-facts", "_orders", "orders_", "order__facts", "1orders", "order facts",
                            "ordérs"}) {
        EXPECT_FALSE(IsLowerSnakeCase(bad)) << bad;
    }
    EXPECT_TRUE(IsLowerSnakeCase(std::string(63, 'a')));
    EXPECT_FALSE(IsLowerSnakeCase(std::string(64, 'a')));
}

std::time_t Utc(int y, int mo, int d, int h, int mi) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    return timegm(&tm);
}

TEST(CronSchedule, FindsTheNextMatchingMinute) {
    auto hourly = CronSchedule::Parse("0 * * * *");
    ASSERT_TRUE(hourly.ok());
    EXPECT_EQ(hourly->NextAfter(Utc(2026, 11, 26, 8, 19)), Utc(2026, 11, 26, 9, 0));
    auto weekdays = CronSchedule::Parse("30 6 * * 1-5");
    ASSERT_TRUE(weekdays.ok());
    // 2026-11-28 is a Saturday: the next run is Monday the 30th.
    EXPECT_EQ(weekdays->NextAfter(Utc(2026, 11, 27, 7, 0)), Utc(2026, 11, 30, 6, 30));
    auto steps = CronSchedule::Parse("*/15 2,14 1 * *");
    ASSERT_TRUE(steps.ok());
    EXPECT_EQ(steps->NextAfter(Utc(2026, 12, 1, 2, 16)), Utc(2026, 12, 1, 2, 30));
    EXPECT_EQ(CronSchedule::Parse("0 0 30 2 *")->NextAfter(Utc(2026, 1, 1, 0, 0)), 0);
}

TEST(CronSchedule, RejectsMalformedExpressionsNamingTheField) {
    EXPECT_EQ(CronSchedule::Parse("0 * * *").status().message(),
              "expected 5 cron fields (minute hour day-of-month month day-of-week), found 4");
    EXPECT_EQ(CronSchedule::Parse("61 * * * *").status().message(), "minute field: '61' is outside 0-59");
    EXPECT_EQ(CronSchedule::Parse("0 * * 13 *").status().message(), "month field: '13' is outside 1-12");
    EXPECT_EQ(CronSchedule::Parse("0 * * * mon").status().message(), "day-of-week field: 'mon' is not a number");
    EXPECT_EQ(CronSchedule::Parse("*/0 * * * *").status().message(), "minute field: bad step in '*/0'");
}

}  // namespace
}  // namespace tessera::model
