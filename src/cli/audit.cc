// tessera audit [--since …] [--user …] [--action …]: the append-only audit log (governance, admins).

#include "cli/identity.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

struct AuditCliOptions {
    std::string as_user;
    std::string since;
    std::string user;
    std::string action;
    int64_t limit = 1000;
};

// A table cell: line breaks become spaces, long text is cut (--json keeps everything).
std::string OneLine(std::string s, size_t max_bytes) {
    for (char& c : s) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return text::Truncate(s, max_bytes);
}

int RunAudit(Context& ctx, const AuditCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    access::AuditFilter f;
    if (!o.since.empty()) {
        auto when = ParseWhen("--since", o.since, false, true);
        if (!when.ok()) return ctx.Fail(when.status());
        f.since_ms = *when;
    }
    f.user = o.user;
    f.action = o.action;
    f.limit = o.limit;
    auto events = ac->AuditLog(*me, f);
    if (!events.ok()) return ctx.Fail(events.status());
    if (ctx.Structured()) {
        auto j = nlohmann::ordered_json::array();
        for (const auto& e : *events) {
            j.push_back({{"id", e.id}, {"at", FormatTime(e.at_ms)}, {"user", e.user}, {"action", e.action},
                         {"target", e.target}, {"outcome", e.outcome}, {"details", e.details},
                         {"rows", e.rows >= 0 ? nlohmann::ordered_json(e.rows) : nullptr}});
        }
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto it = events->rbegin(); it != events->rend(); ++it) {  // oldest first, like a log
        const auto& e = *it;
        rows.push_back({FormatTime(e.at_ms), e.user.empty() ? "(anonymous)" : e.user, e.action, OneLine(e.target, 60),
                        e.outcome, e.rows >= 0 ? std::to_string(e.rows) : "-", OneLine(e.details, 80)});
    }
    PrintTable({"TIME", "USER", "ACTION", "TARGET", "OUTCOME", "ROWS", "DETAILS"}, rows);
    return kExitOk;
}

}  // namespace

void RegisterAudit(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<AuditCliOptions>();
    auto* sub = app.add_subcommand("audit", "The audit log: every access write, decision and query (governance, admins)");
    sub->add_option("--since", o->since, "From: 2026-11-01, 2026-11-01T08:00Z, or a duration back: 24h, 7d");
    sub->add_option("--user", o->user, "Only this user's events");
    sub->add_option("--action", o->action, "Only this action or family: query, access, access.approve, token, role");
    sub->add_option("--limit", o->limit, "Newest events at most (default 1000)");
    sub->add_option("--as", o->as_user, "Act as this user (default $TESSERA_USER or $USER)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunAudit(ctx, *o); }; });
}

}  // namespace tessera::cli
