// Shared by the identity and access commands: see identity.h.

#include "cli/identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <regex>

namespace tessera::cli {

std::unique_ptr<access::AccessControl> OpenAccessControl(Context& ctx) {
    if (!ctx.CatalogExists()) {
        ctx.Fail(NotFound("no catalog at " + ctx.CatalogPath() + ": apply descriptors first (tessera apply)"));
        return nullptr;
    }
    auto ac = access::AccessControl::Open(ctx.CatalogPath(), {});
    if (!ac.ok()) {
        ctx.Fail(ac.status());
        return nullptr;
    }
    return std::move(ac).value();
}

governance::GrantHoldersFn GrantHoldersOf(Context& ctx) {
    if (!ctx.CatalogExists()) return {};
    auto ac = access::AccessControl::Open(ctx.CatalogPath(), {});
    if (!ac.ok()) return {};
    std::shared_ptr<access::AccessControl> shared = std::move(ac).value();
    return [shared](const std::string& port) { return access::GrantHolders(*shared, port); };
}

std::optional<access::Principal> LocalCaller(Context& ctx, access::AccessControl& ac, const std::string& as_user) {
    auto p = ac.LocalPrincipal(as_user.empty() ? Context::Author() : as_user);
    if (!p.ok()) {
        ctx.Fail(p.status());
        return std::nullopt;
    }
    return *p;
}

bool OwnsCatalogFiles(const Context& ctx) {
    struct stat st {};
    if (::stat(ctx.CatalogPath().c_str(), &st) != 0) return false;
    return st.st_uid == ::geteuid();
}

std::optional<LocalWriter> AuthorizeWrites(Context& ctx, const std::string& as_user, const std::set<std::string>& domains) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return std::nullopt;
    auto me = LocalCaller(ctx, *ac, as_user);
    if (!me) return std::nullopt;
    for (const auto& d : domains) {
        Status s = d.empty() ? ac->Authorize(*me, access::Action::kAdmin) : ac->Authorize(*me, access::Action::kWriteDomain, d);
        if (!s.ok()) {
            ctx.Fail(s);
            return std::nullopt;
        }
    }
    return LocalWriter{std::move(ac), *me};
}

std::optional<LocalWriter> AuthorizeLocal(Context& ctx, const std::string& as_user, access::Action action,
                                          const std::string& domain) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return std::nullopt;
    auto me = LocalCaller(ctx, *ac, as_user);
    if (!me) return std::nullopt;
    if (Status s = ac->Authorize(*me, action, domain); !s.ok()) {
        ctx.Fail(s);
        return std::nullopt;
    }
    return LocalWriter{std::move(ac), *me};
}

void AuditWrite(LocalWriter& writer, const std::string& action, const std::string& target, const std::string& details) {
    access::AuditEvent e;
    e.user = writer.me.user;
    e.action = action;
    e.target = target;
    e.details = details;
    if (Status s = writer.ac->Audit(e); !s.ok()) {
        std::cerr << "tessera: warning: the " << action << " is done but could not be written to the audit log: "
                  << s.message() << "\n";
    }
}

Result<int64_t> ParseWhen(const std::string& option, const std::string& text, bool end_of_day, bool ago) {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
    std::smatch m;
    static const std::regex kDuration(R"(^(\d{1,6})(m|h|d|w)$)");
    static const std::regex kDate(R"(^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$)");
    if (std::regex_match(text, m, kDuration)) {
        int64_t n = std::stoll(m[1]);
        int64_t unit = m[2] == "m" ? 60'000 : m[2] == "h" ? 3'600'000 : m[2] == "d" ? 86'400'000 : 7 * 86'400'000LL;
        return ago ? now - n * unit : now + n * unit;
    }
    if (std::regex_match(text, m, kDate)) {
        std::tm tm{};
        tm.tm_year = std::stoi(m[1]) - 1900;
        tm.tm_mon = std::stoi(m[2]) - 1;
        tm.tm_mday = std::stoi(m[3]);
        bool has_time = m[4].matched;
        if (has_time) {
            tm.tm_hour = std::stoi(m[4]);
            tm.tm_min = std::stoi(m[5]);
            tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
        }
        std::tm check = tm;
        std::time_t t = timegm(&tm);
        if (t == -1 || tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon || tm.tm_hour != check.tm_hour ||
            tm.tm_min != check.tm_min || tm.tm_sec != check.tm_sec) {
            return InvalidArgument(option + ": \"" + text + "\" is not a valid date");
        }
        int64_t ms = static_cast<int64_t>(t) * 1000;
        if (!has_time && end_of_day) ms += 86'400'000;
        return ms;
    }
    return InvalidArgument(option + ": expected a date (2026-12-31, 2026-12-31T18:00Z) or a duration (90m, 12h, 30d, 2w), found \"" +
                           text + "\"");
}

}  // namespace tessera::cli
