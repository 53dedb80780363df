// tessera token create|list|revoke: API tokens for the server (docs/access.md).

#include "cli/identity.h"

namespace tessera::cli {
namespace {

struct TokenCliOptions {
    std::string as_user;
    std::string user;
    std::string expires;
    std::string description;
    std::string id;
};

std::string Expiry(int64_t ms) { return ms ? FormatTime(ms) : "never"; }

nlohmann::ordered_json ToJson(const access::TokenInfo& t) {
    return {{"id", t.id},
            {"user", t.user},
            {"description", t.description},
            {"created_by", t.created_by},
            {"created_at", FormatTime(t.created_at_ms)},
            {"expires_at", t.expires_at_ms ? nlohmann::ordered_json(FormatTime(t.expires_at_ms)) : nullptr},
            {"revoked_at", t.revoked_at_ms ? nlohmann::ordered_json(FormatTime(t.revoked_at_ms)) : nullptr}};
}

int Create(Context& ctx, const TokenCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    int64_t expires = 0;
    if (!o.expires.empty()) {
        auto when = ParseWhen("--expires", o.expires, true, false);
        if (!when.ok()) return ctx.Fail(when.status());
        expires = *when;
    }
    auto token = ac->CreateToken(*me, o.user.empty() ? me->user : o.user, expires, o.description);
    if (!token.ok()) return ctx.Fail(token.status());
    if (ctx.Structured()) {
        auto j = ToJson(token->info);
        j["token"] = token->secret;
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::cout << token->secret << "\n";
    std::cerr << "token " << token->info.id << " for " << token->info.user << ", expires " << Expiry(token->info.expires_at_ms)
              << ": store it now, it is not shown again\n";
    return kExitOk;
}

int List(Context& ctx, const TokenCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    auto tokens = ac->Tokens(*me, o.user);
    if (!tokens.ok()) return ctx.Fail(tokens.status());
    if (ctx.Structured()) {
        auto j = nlohmann::ordered_json::array();
        for (const auto& t : *tokens) j.push_back(ToJson(t));
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : *tokens) {
        std::string state = t.revoked_at_ms ? "revoked" : "live";
        rows.push_back({t.id, t.user, t.description, t.created_by, FormatTime(t.created_at_ms), Expiry(t.expires_at_ms), state});
    }
    PrintTable({"ID", "USER", "DESCRIPTION", "CREATED BY", "CREATED", "EXPIRES", "STATE"}, rows);
    return kExitOk;
}

int Revoke(Context& ctx, const TokenCliOptions& o) {
    auto ac = OpenAccessControl(ctx);
    if (!ac) return ctx.exit_code;
    auto me = LocalCaller(ctx, *ac, o.as_user);
    if (!me) return ctx.exit_code;
    Status s = ac->RevokeToken(*me, o.id);
    if (!s.ok()) return ctx.Fail(s);
    ctx.Say("revoked token " + (access::LooksLikeApiToken(o.id) ? o.id.substr(4, 16) : o.id));
    return kExitOk;
}

}  // namespace

void RegisterToken(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<TokenCliOptions>();
    auto* sub = app.add_subcommand("token", "API tokens for the server: create (shown once), list, revoke");
    sub->require_subcommand(1);
    auto* create = sub->add_subcommand("create", "Create a token; it is printed once and stored only as a salted hash");
    create->add_option("--user", o->user, "Whose token (default: you; others' need admin)");
    create->add_option("--expires", o->expires, "When it stops working: 2026-12-31, 2026-12-31T18:00Z, 30d, 12h (default never)");
    create->add_option("--description", o->description, "What it is for (shown by token list)");
    auto* list = sub->add_subcommand("list", "List tokens (never their secrets)");
    list->add_option("--user", o->user, "Whose tokens (default: yours; every user's for admins with no --user)");
    auto* revoke = sub->add_subcommand("revoke", "Revoke a token at once");
    revoke->add_option("id", o->id, "The token's id (or the whole token)")->required();
    for (auto* c : {create, list, revoke}) c->add_option("--as", o->as_user, "Act as this user (default $TESSERA_USER or $USER)");
    create->callback([&ctx, o] { ctx.run = [&ctx, o] { return Create(ctx, *o); }; });
    list->callback([&ctx, o] { ctx.run = [&ctx, o] { return List(ctx, *o); }; });
    revoke->callback([&ctx, o] { ctx.run = [&ctx, o] { return Revoke(ctx, *o); }; });
}

}  // namespace tessera::cli
