// tessera waiver add POLICY PRODUCT --reason … --expires DATE | list | revoke ID: exemptions from
// one policy for one product, until an expiry date (docs/governance.md). Adding and revoking need
// `manage-policies` of the policy's scope (docs/access.md); the approver is the caller.

#include <algorithm>
#include <iostream>
#include <variant>

#include "cli/context.h"
#include "cli/identity.h"
#include "governance/proposals.h"

namespace tessera::cli {

std::string PolicyToday();  // check.cc

namespace {

struct WaiverOptions {
    governance::WaiverRequest request;
    int64_t id = 0;
    bool all = false;
};

// The scope of a policy of the catalog ("" for a global one, or one the catalog lacks: the
// waiver's own checks then say so).
std::string ScopeOf(catalog::Catalog& cat, const std::string& policy) {
    auto found = cat.Find("policy/" + policy);
    if (!found.ok() || !std::holds_alternative<model::Policy>(found->entity)) return "";
    return std::get<model::Policy>(found->entity).domain;
}

int Add(Context& ctx, WaiverOptions o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto writer = AuthorizeLocal(ctx, "", access::Action::kManagePolicies, ScopeOf(*cat, o.request.policy));
    if (!writer) return ctx.exit_code;
    o.request.author = writer->me.user;
    o.request.approver = writer->me.user;  // who records the exemption answers for it
    auto w = governance::AddWaiver(*cat, o.request, PolicyToday());
    if (!w.ok()) return ctx.Fail(w.status());
    AuditWrite(*writer, "waiver.add", "waiver " + std::to_string(w->id) + " " + w->policy + " " + w->product,
               "until " + w->expires + ": " + w->reason);
    if (ctx.Structured()) ctx.PrintStructured({{"id", w->id}, {"policy", w->policy}, {"product", w->product}, {"expires", w->expires}});
    else ctx.Say("waiver " + std::to_string(w->id) + ": " + w->product + " is exempt from " + w->policy + " until " + w->expires);
    return kExitOk;
}

int List(Context& ctx, const WaiverOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto waivers = cat->Waivers();
    if (!waivers.ok()) return ctx.Fail(waivers.status());
    std::string today = PolicyToday();
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    std::vector<std::vector<std::string>> rows;
    for (const auto& w : *waivers) {
        std::string state = w.revoked_at_ms ? "revoked" : governance::WaiverActive(w, today) ? "active" : "expired";
        if (!o.all && state != "active") continue;
        j.push_back({{"id", w.id}, {"policy", w.policy}, {"product", w.product}, {"state", state}, {"expires", w.expires},
                     {"reason", w.reason}, {"approver", w.approver}});
        rows.push_back({std::to_string(w.id), w.policy, w.product, state, w.expires, w.approver, w.reason});
    }
    if (ctx.Structured()) ctx.PrintStructured(j);
    else PrintTable({"ID", "POLICY", "PRODUCT", "STATE", "EXPIRES", "APPROVER", "REASON"}, rows);
    return kExitOk;
}

int Revoke(Context& ctx, const WaiverOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto waivers = cat->Waivers();
    if (!waivers.ok()) return ctx.Fail(waivers.status());
    auto w = std::find_if(waivers->begin(), waivers->end(), [&](const store::WaiverRecord& r) { return r.id == o.id; });
    if (w == waivers->end()) return ctx.Fail(NotFound("waiver " + std::to_string(o.id) + " does not exist"));
    auto writer = AuthorizeLocal(ctx, "", access::Action::kManagePolicies, ScopeOf(*cat, w->policy));
    if (!writer) return ctx.exit_code;
    Status st = cat->RevokeWaiver(o.id);
    if (!st.ok()) return ctx.Fail(st);
    AuditWrite(*writer, "waiver.revoke", "waiver " + std::to_string(o.id) + " " + w->policy + " " + w->product, "");
    ctx.Say("waiver " + std::to_string(o.id) + " revoked");
    return kExitOk;
}

}  // namespace

void RegisterWaiver(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<WaiverOptions>();
    auto* sub = app.add_subcommand("waiver", "Exempt a product from a policy until a date");
    sub->require_subcommand(1);
    auto* add = sub->add_subcommand("add", "Record a waiver");
    add->add_option("policy", o->request.policy, "The policy")->required();
    add->add_option("product", o->request.product, "domain.product, its URN or REST path")->transform(ProductAddressArg(PortArg::kProduct))->required();
    add->add_option("--reason", o->request.reason, "Why the product may break the rule")->required();
    add->add_option("--expires", o->request.expires, "YYYY-MM-DD: the last day it applies")->required();
    add->callback([&ctx, o] { ctx.run = [&ctx, o] { return Add(ctx, *o); }; });
    auto* list = sub->add_subcommand("list", "Active waivers (--all: expired and revoked too)");
    list->add_flag("--all", o->all, "Show expired and revoked waivers too");
    list->callback([&ctx, o] { ctx.run = [&ctx, o] { return List(ctx, *o); }; });
    auto* revoke = sub->add_subcommand("revoke", "End a waiver now");
    revoke->add_option("id", o->id, "The waiver's number")->required();
    revoke->callback([&ctx, o] { ctx.run = [&ctx, o] { return Revoke(ctx, *o); }; });
}

}  // namespace tessera::cli
