// tessera access request|list|grants|approve|deny|revoke: access requests and grants (docs/access.md).

#include <chrono>
#include <sstream>

#include "cli/identity.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

struct AccessCliOptions {
    std::string as_user;
    std::string product;
    std::string reason;
    std::string columns;
    bool unmasked = false;
    std::string until;
    bool mine = false;
    bool queue = false;
    std::string state;
    std::string user;
    bool all = false;
    int64_t id = 0;
};

std::string Columns(const std::vector<std::string>& c) { return c.empty() ? "*" : text::Join(c, ","); }
std::string Until(int64_t ms) { return ms ? FormatTime(ms) : "-"; }

nlohmann::ordered_json ToJson(const access::AccessRequest& r) {
    return {{"id", r.id},
            {"user", r.user},
            {"product", r.product},
            {"reason", r.reason},
            {"columns", r.columns},
            {"unmasked", r.unmasked},
            {"until", r.until_ms ? nlohmann::ordered_json(FormatTime(r.until_ms)) : nullptr},
            {"state", r.state},
            {"decided_by", r.decided_by},
            {"decision_reason", r.decision_reason},
            {"created_at", FormatTime(r.created_at_ms)},
            {"grant", r.grant_id ? nlohmann::ordered_json(r.grant_id) : nullptr}};
}

nlohmann::ordered_json ToJson(const access::Grant& g) {
    return {{"id", g.id},
            {"user", g.user},
            {"product", g.product},
            {"columns", g.columns},
            {"unmasked", g.unmasked},
            {"expires_at", g.expires_at_ms ? nlohmann::ordered_json(FormatTime(g.expires_at_ms)) : nullptr},
            {"granted_by", g.granted_by},
            {"request", g.request_id},
            {"revoked_at", g.revoked_at_ms ? nlohmann::ordered_json(FormatTime(g.revoked_at_ms)) : nullptr},
            {"revoked_by", g.revoked_by}};
}

struct Session {
    std::unique_ptr<access::AccessControl> ac;
    access::Principal me;
};

std::optional<Session> Open(Context& ctx, const AccessCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return std::nullopt;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return std::nullopt;
    return Session{std::move(ac), *me};
}

int Request(Context& ctx, const AccessCliOptions& o) {
    auto s = Open(ctx, o);
    if (!s) return ctx.exit_code;
    access::AccessRequestInput in;
    in.product = o.product;
    in.reason = o.reason;
    std::stringstream cols(o.columns);
    for (std::string c; std::getline(cols, c, ',');) {
        if (!c.empty()) in.columns.push_back(c);
    }
    in.unmasked = o.unmasked;
    if (!o.until.empty()) {
        auto when = ParseWhen("--until", o.until, true, false);
        if (!when.ok()) return ctx.Fail(when.status());
        in.until_ms = *when;
    }
    auto r = s->ac->RequestAccess(s->me, in);
    if (!r.ok()) return ctx.Fail(r.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(ToJson(*r));
        return kExitOk;
    }
    ctx.Say("access request " + std::to_string(r->id) + " for " + r->product + " is pending: the owners of domain " +
            r->product.substr(0, r->product.find('.')) + " decide (tessera access approve|deny " + std::to_string(r->id) + ")");
    return kExitOk;
}

int List(Context& ctx, const AccessCliOptions& o) {
    auto s = Open(ctx, o);
    if (!s) return ctx.exit_code;
    if (o.mine && o.queue) return ctx.Fail(InvalidArgument("give --mine or --queue, not both"));
    Result<std::vector<access::AccessRequest>> requests = std::vector<access::AccessRequest>{};
    if (o.queue) {
        requests = s->ac->Queue(s->me);
    } else {
        access::RequestFilter f;
        f.user = o.mine ? s->me.user : o.user;
        f.state = o.state;
        requests = s->ac->Requests(f);
    }
    if (!requests.ok()) return ctx.Fail(requests.status());
    if (ctx.Structured()) {
        auto j = nlohmann::ordered_json::array();
        for (const auto& r : *requests) j.push_back(ToJson(r));
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : *requests) {
        rows.push_back({std::to_string(r.id), r.user, r.product, Columns(r.columns), r.unmasked ? "yes" : "no",
                        Until(r.until_ms), r.state, r.decided_by.empty() ? "-" : r.decided_by,
                        r.grant_id ? std::to_string(r.grant_id) : "-", r.reason});
    }
    PrintTable({"ID", "USER", "PRODUCT", "COLUMNS", "UNMASKED", "UNTIL", "STATE", "DECIDED BY", "GRANT", "REASON"}, rows);
    return kExitOk;
}

int Grants(Context& ctx, const AccessCliOptions& o) {
    auto s = Open(ctx, o);
    if (!s) return ctx.exit_code;
    access::GrantFilter f;
    f.user = o.mine ? s->me.user : o.user;
    f.product = o.product;
    f.active_only = !o.all;
    auto grants = s->ac->Grants(f);
    if (!grants.ok()) return ctx.Fail(grants.status());
    if (ctx.Structured()) {
        auto j = nlohmann::ordered_json::array();
        for (const auto& g : *grants) j.push_back(ToJson(g));
        ctx.PrintStructured(j);
        return kExitOk;
    }
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : *grants) {
        std::string state = g.revoked_at_ms ? "revoked by " + g.revoked_by : g.Active(now) ? "active" : "expired";
        rows.push_back({std::to_string(g.id), g.user, g.product, Columns(g.columns), g.unmasked ? "yes" : "no",
                        Until(g.expires_at_ms), g.granted_by, state});
    }
    PrintTable({"GRANT", "USER", "PRODUCT", "COLUMNS", "UNMASKED", "UNTIL", "GRANTED BY", "STATE"}, rows);
    return kExitOk;
}

int Decide(Context& ctx, const AccessCliOptions& o, bool approve) {
    auto s = Open(ctx, o);
    if (!s) return ctx.exit_code;
    auto r = approve ? s->ac->Approve(s->me, o.id, o.reason) : s->ac->Deny(s->me, o.id, o.reason);
    if (!r.ok()) return ctx.Fail(r.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(ToJson(*r));
        return kExitOk;
    }
    if (approve) {
        ctx.Say("approved access request " + std::to_string(r->id) + ": grant " + std::to_string(r->grant_id) + " lets " +
                r->user + " read " + r->product + " (" + (r->columns.empty() ? "every column" : "columns " + Columns(r->columns)) +
                (r->unmasked ? ", unmasked" : ", masked") + (r->until_ms ? ", until " + FormatTime(r->until_ms) : "") + ")");
    } else {
        ctx.Say("denied access request " + std::to_string(r->id) + " of " + r->user + " for " + r->product);
    }
    return kExitOk;
}

int Revoke(Context& ctx, const AccessCliOptions& o) {
    auto s = Open(ctx, o);
    if (!s) return ctx.exit_code;
    auto g = s->ac->RevokeGrant(s->me, o.id, o.reason);
    if (!g.ok()) return ctx.Fail(g.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(ToJson(*g));
        return kExitOk;
    }
    ctx.Say("revoked grant " + std::to_string(g->id) + ": " + g->user + " may no longer read " + g->product);
    return kExitOk;
}

}  // namespace

void RegisterAccess(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<AccessCliOptions>();
    auto* sub = app.add_subcommand("access", "Access requests and grants: request, list, grants, approve, deny, revoke");
    sub->require_subcommand(1);
    auto* request = sub->add_subcommand("request", "Ask the owning domain for access to a product");
    request->add_option("product", o->product, "The product: domain.product, its URN or REST path")->transform(ProductAddressArg(PortArg::kProduct))->required();
    request->add_option("--reason", o->reason, "Why you need it (the owners decide on it)")->required();
    request->add_option("--columns", o->columns, "Only these columns, comma separated (default every column)");
    request->add_flag("--unmasked", o->unmasked, "Ask to see masked columns in clear");
    request->add_option("--until", o->until, "Until when: 2026-12-31 (through that day), 30d… (default until revoked)");
    auto* list = sub->add_subcommand("list", "List access requests");
    list->add_flag("--mine", o->mine, "Only your requests");
    list->add_flag("--queue", o->queue, "Only the pending requests you may decide");
    list->add_option("--state", o->state, "pending | approved | denied")->check(CLI::IsMember({"pending", "approved", "denied"}));
    list->add_option("--user", o->user, "Only the requests of this user");
    auto* grants = sub->add_subcommand("grants", "List grants (active ones unless --all)");
    grants->add_flag("--mine", o->mine, "Only your grants");
    grants->add_option("--user", o->user, "Only the grants of this user");
    grants->add_option("--product", o->product, "Only grants on DOMAIN.PRODUCT");
    grants->add_flag("--all", o->all, "Also revoked and expired grants");
    auto* approve = sub->add_subcommand("approve", "Approve a pending request: creates its grant");
    auto* deny = sub->add_subcommand("deny", "Deny a pending request (--reason required)");
    for (auto* c : {approve, deny}) {
        c->add_option("id", o->id, "The request's id")->required();
        c->add_option("--reason", o->reason, "Why (kept in the audit log)");
    }
    auto* revoke = sub->add_subcommand("revoke", "Revoke a grant at once");
    revoke->add_option("grant", o->id, "The grant's id")->required();
    revoke->add_option("--reason", o->reason, "Why (kept in the audit log)");
    for (auto* c : {request, list, grants, approve, deny, revoke}) {
        c->add_option("--as", o->as_user, "Act as this user (default $TESSERA_USER or $USER)");
    }
    request->callback([&ctx, o] { ctx.run = [&ctx, o] { return Request(ctx, *o); }; });
    list->callback([&ctx, o] { ctx.run = [&ctx, o] { return List(ctx, *o); }; });
    grants->callback([&ctx, o] { ctx.run = [&ctx, o] { return Grants(ctx, *o); }; });
    approve->callback([&ctx, o] { ctx.run = [&ctx, o] { return Decide(ctx, *o, true); }; });
    deny->callback([&ctx, o] { ctx.run = [&ctx, o] { return Decide(ctx, *o, false); }; });
    revoke->callback([&ctx, o] { ctx.run = [&ctx, o] { return Revoke(ctx, *o); }; });
}

}  // namespace tessera::cli
