#include "model/cron.h"

#include <charconv>
#include <vector>

namespace tessera::model {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

bool ToInt(std::string_view s, int* out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && p == s.data() + s.size();
}

// Fills `bits` (indices lo..hi) from one cron field; returns an explanation on error.
template <size_t N>
std::string ParseField(std::string_view field, int lo, int hi, std::bitset<N>* bits) {
    for (std::string_view part : Split(field, ',')) {
        int step = 1;
        auto slash = part.find('/');
        if (slash != std::string_view::npos) {
            if (!ToInt(part.substr(slash + 1), &step) || step <= 0) {
                return "bad step in '" + std::string(part) + "'";
            }
            part = part.substr(0, slash);
        }
        int a = lo, b = hi;
        if (part != "*") {
            auto dash = part.find('-');
            if (dash == std::string_view::npos) {
                if (!ToInt(part, &a)) return "'" + std::string(part) + "' is not a number";
                b = slash != std::string_view::npos ? hi : a;
            } else if (!ToInt(part.substr(0, dash), &a) || !ToInt(part.substr(dash + 1), &b)) {
                return "bad range '" + std::string(part) + "'";
            }
        }
        if (a < lo || b > hi || a > b) {
            return "'" + std::string(field) + "' is outside " + std::to_string(lo) + "-" + std::to_string(hi);
        }
        for (int i = a; i <= b; i += step) bits->set(static_cast<size_t>(i));
    }
    return {};
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text) {
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        size_t start = i;
        while (i < text.size() && text[i] != ' ') ++i;
        if (i > start) fields.push_back(text.substr(start, i - start));
    }
    if (fields.size() != 5) {
        return InvalidArgument("expected 5 cron fields (minute hour day-of-month month day-of-week), found " +
                               std::to_string(fields.size()));
    }
    CronSchedule s;
    static constexpr const char* kNames[] = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    std::string errors[5] = {
            ParseField(fields[0], 0, 59, &s.minutes_), ParseField(fields[1], 0, 23, &s.hours_),
            ParseField(fields[2], 1, 31, &s.days_),    ParseField(fields[3], 1, 12, &s.months_),
            ParseField(fields[4], 0, 7, &s.weekdays_),
    };
    for (int f = 0; f < 5; ++f) {
        if (!errors[f].empty()) return InvalidArgument(std::string(kNames[f]) + " field: " + errors[f]);
    }
    if (s.weekdays_.test(7)) s.weekdays_.set(0);
    s.day_restricted_ = fields[2] != "*";
    s.weekday_restricted_ = fields[4] != "*";
    return s;
}

bool CronSchedule::Matches(std::time_t t) const {
    std::tm tm{};
    gmtime_r(&t, &tm);
    if (!minutes_.test(tm.tm_min) || !hours_.test(tm.tm_hour) || !months_.test(tm.tm_mon + 1)) return false;
    bool day = days_.test(tm.tm_mday);
    bool weekday = weekdays_.test(tm.tm_wday);
    // As in Vixie cron: when both day fields are restricted, either may match.
    if (day_restricted_ && weekday_restricted_) return day || weekday;
    return day && weekday;
}

std::time_t CronSchedule::NextAfter(std::time_t t) const {
    std::time_t m = (t / 60 + 1) * 60;
    const std::time_t limit = m + 5LL * 366 * 24 * 3600;
    while (m < limit) {
        std::tm tm{};
        gmtime_r(&m, &tm);
        if (Matches(m)) return m;
        // Skip whole hours that cannot match to keep the search short.
        if (!hours_.test(tm.tm_hour) || !months_.test(tm.tm_mon + 1)) {
            m += (60 - tm.tm_min) * 60;
        } else {
            m += 60;
        }
    }
    return 0;
}

}  // namespace tessera::model
