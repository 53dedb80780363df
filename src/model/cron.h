#pragma once

// Cron schedules of five fields: minute hour day-of-month month day-of-week, each `*`, a number,
// a range `a-b`, a step `*/n` or `a-b/n`, or a list of those separated by commas. Day-of-week
// counts 0-7 from Sunday (7 is Sunday too). Times are UTC.
//
//   auto s = model::CronSchedule::Parse("0 */6 * * 1-5");
//   if (s.ok()) std::time_t next = s->NextAfter(now);

#include <bitset>
#include <ctime>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tessera::model {

class CronSchedule {
public:
    // kInvalidArgument with the field at fault when `text` is not a five-field cron expression.
    static Result<CronSchedule> Parse(std::string_view text);

    // True when the minute that contains `t` matches the schedule.
    bool Matches(std::time_t t) const;
    // The first matching minute strictly after `t` (searches up to five years ahead; returns 0
    // when there is none, e.g. "0 0 30 2 *").
    std::time_t NextAfter(std::time_t t) const;

private:
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_;
    std::bitset<13> months_;
    std::bitset<8> weekdays_;
    bool day_restricted_ = false;
    bool weekday_restricted_ = false;
};

}  // namespace tessera::model
