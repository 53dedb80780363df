#include "server/internal/params.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tessera::server::internal {

using json = nlohmann::ordered_json;

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

std::string IsoTime(int64_t ms) {
    if (ms == 0) return "";
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

Result<int64_t> ParseIsoTime(const std::string& field, const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0, used = 0;
    bool date_only = false;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 && used == static_cast<int>(text.size()) &&
        text.size() == 10) {
        date_only = true;
    } else if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) == 6) {
        std::string rest = text.substr(static_cast<size_t>(used));
        if (rest.size() == 5 && rest[0] == '.' && rest.back() == 'Z') {
            ms = std::atoi(rest.substr(1, 3).c_str());
            if (rest.substr(1, 3).find_first_not_of("0123456789") != std::string::npos) ms = -1;
        } else if (rest != "Z") {
            ms = -1;
        }
    } else {
        ms = -1;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    std::time_t t = timegm(&tm);
    std::tm back{};
    gmtime_r(&t, &back);
    if (ms < 0 || mo < 1 || mo > 12 || back.tm_mday != d || back.tm_mon != mo - 1 || h > 23 || mi > 59 || s > 59) {
        return InvalidArgument(field + ": expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, found \"" + text +
                               "\"");
    }
    int64_t out = static_cast<int64_t>(t) * 1000 + ms;
    if (date_only) out += 86400 * 1000 - 1;  // through that day, as the CLI's --until
    return out;
}

Result<int64_t> IntParam(const Call& c, const std::string& name, int64_t fallback, int64_t min, int64_t max) {
    std::string v = c.Query(name);
    if (v.empty()) return fallback;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (*end != '\0' || n < min || n > max) {
        return InvalidArgument(name + ": expected a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + ", found \"" + v + "\"");
    }
    return static_cast<int64_t>(n);
}

Result<bool> BoolParam(const Call& c, const std::string& name) {
    std::string v = c.Query(name);
    if (v.empty() || v == "false" || v == "0") return false;
    if (v == "true" || v == "1") return true;
    return InvalidArgument(name + ": expected true or false, found \"" + v + "\"");
}

std::string ETagOf(const std::string& tag) { return "\"" + tag + "\""; }

bool SetETag(Call& c, const std::string& tag) {
    std::string etag = ETagOf(tag);
    c.res.set_header("ETag", etag);
    if (c.req.has_header("If-None-Match") && c.req.get_header_value("If-None-Match") == etag) {
        c.res.status = 304;
        return false;
    }
    return true;
}

std::string HexEncode(const std::string& s) {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned char ch : s) {
        out += kHex[ch >> 4];
        out += kHex[ch & 15];
    }
    return out;
}

Result<std::string> HexDecode(const std::string& s) {
    auto val = [](char ch) { return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1; };
    if (s.size() % 2) return InvalidArgument("cursor: expected a cursor from a previous page, found \"" + s + "\"");
    std::string out;
    for (size_t i = 0; i < s.size(); i += 2) {
        int hi = val(s[i]), lo = val(s[i + 1]);
        if (hi < 0 || lo < 0) return InvalidArgument("cursor: expected a cursor from a previous page, found \"" + s + "\"");
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

Result<json> Page(const Call& c, const std::vector<std::string>& keys, const std::function<json(size_t)>& item) {
    TESSERA_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", kDefaultPageSize, 1, kMaxPageSize));
    std::string after;
    if (!c.Query("cursor").empty()) {
        TESSERA_ASSIGN_OR_RETURN(after, HexDecode(c.Query("cursor")));
    }
    json page;
    page["items"] = json::array();
    std::string last;
    bool more = false;
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!after.empty() && keys[i] <= after) continue;
        if (static_cast<int64_t>(page["items"].size()) == limit) {
            more = true;
            break;
        }
        page["items"].push_back(item(i));
        last = keys[i];
    }
    page["next_cursor"] = more ? json(HexEncode(last)) : json();
    return page;
}

Result<json> Page(const Call& c, const std::vector<std::pair<std::string, json>>& items) {
    std::vector<std::string> keys;
    keys.reserve(items.size());
    for (const auto& [key, _] : items) keys.push_back(key);
    return Page(c, keys, [&](size_t i) { return items[i].second; });
}

std::string DescendingKey(int64_t n) {
    char key[32];
    std::snprintf(key, sizeof key, "%020lld", static_cast<long long>(INT64_MAX - n));
    return key;
}

}  // namespace tessera::server::internal
