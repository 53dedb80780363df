// tessera role grant|revoke|list: roles per domain (docs/access.md).

#include "cli/identity.h"

namespace tessera::cli {
namespace {

struct RoleCliOptions {
    std::string as_user;
    std::string subject;
    std::string role;
    std::string domain;
};

int Change(Context& ctx, const RoleCliOptions& o, bool grant) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto role = access::ParseRole(o.role);
    if (!role.ok()) return ctx.Fail(role.status());
    auto secured = ac->Secured();
    if (!secured.ok()) return ctx.Fail(secured.status());
    std::string what = std::string(access::RoleName(*role)) + (o.domain.empty() ? "" : " of " + o.domain);
    if (grant && !*secured) {
        // No admin yet: the first one is bound by whoever owns the catalog files, and is the only
        // role that can be given before that.
        if (*role != access::Role::kAdmin) {
            return ctx.Fail(FailedPrecondition("access control has no admin yet: bind one first with `tessera role grant USER admin` "
                                               "(run by the owner of " + ctx.CatalogPath() + ")"));
        }
        if (!OwnsCatalogFiles(ctx)) {
            return ctx.Fail(Status(StatusCode::kPermissionDenied, "only the owner of " + ctx.CatalogPath() +
                                                                          " may bind the first admin"));
        }
        Status s = ac->BootstrapAdmin(o.subject);
        if (!s.ok()) return ctx.Fail(s);
        ctx.Say("granted admin to " + o.subject + " (the first admin: access control is now enforced)");
        return kExitOk;
    }
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    access::RoleBinding b;
    b.role = *role;
    b.domain = o.domain;
    b.subject = o.subject;
    Status s = grant ? ac->GrantRole(*me, b) : ac->RevokeRole(*me, b);
    if (!s.ok()) return ctx.Fail(s);
    ctx.Say(std::string(grant ? "granted " : "revoked ") + what + (grant ? " to " : " of ") + o.subject);
    return kExitOk;
}

int List(Context& ctx, const RoleCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto roles = ac->Roles(o.subject);
    if (!roles.ok()) return ctx.Fail(roles.status());
    auto secured = ac->Secured();
    if (!secured.ok()) return ctx.Fail(secured.status());
    if (ctx.Structured()) {
        auto j = nlohmann::ordered_json::array();
        for (const auto& b : *roles) {
            j.push_back({{"subject", b.subject}, {"role", access::RoleName(b.role)}, {"domain", b.domain},
                         {"granted_by", b.granted_by}, {"granted_at", FormatTime(b.created_at_ms)}});
        }
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& b : *roles) {
        rows.push_back({b.subject, std::string(access::RoleName(b.role)), b.domain.empty() ? "*" : b.domain, b.granted_by,
                        FormatTime(b.created_at_ms)});
    }
    PrintTable({"SUBJECT", "ROLE", "DOMAIN", "GRANTED BY", "GRANTED"}, rows);
    if (!*secured && !ctx.quiet) {
        std::cerr << "access control is open (no admin yet): every local user may do everything; bind an admin with "
                     "`tessera role grant USER admin`\n";
    }
    return kExitOk;
}

}  // namespace

void RegisterRole(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RoleCliOptions>();
    auto* sub = app.add_subcommand("role", "Roles per domain: grant, revoke, list (admin, governance, owner, developer, consumer)");
    sub->require_subcommand(1);
    auto* grant = sub->add_subcommand("grant", "Give a role to a user or an OIDC group (group:NAME)");
    auto* revoke = sub->add_subcommand("revoke", "Take a role back");
    for (auto* c : {grant, revoke}) {
        c->add_option("subject", o->subject, "A user, or group:NAME for an OIDC group")->required();
        c->add_option("role", o->role, "admin | governance | owner | developer | consumer")->required();
        c->add_option("--domain", o->domain, "The domain of an owner or developer role");
        c->add_option("--as", o->as_user, "Act as this user (default $TESSERA_USER or $USER)");
    }
    auto* list = sub->add_subcommand("list", "List role bindings");
    list->add_option("subject", o->subject, "Only this user or group:NAME");
    grant->callback([&ctx, o] { ctx.run = [&ctx, o] { return Change(ctx, *o, true); }; });
    revoke->callback([&ctx, o] { ctx.run = [&ctx, o] { return Change(ctx, *o, false); }; });
    list->callback([&ctx, o] { ctx.run = [&ctx, o] { return List(ctx, *o); }; });
}

}  // namespace tessera::cli
