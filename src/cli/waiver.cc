// tessera waiver add POLICY PRODUCT --reason … --approver … --expires DATE | list | revoke ID:
// exemptions from one policy for one product, until an expiry date (docs/governance.md).

#include <iostream>

#include "cli/context.h"
#include "governance/proposals.h"

namespace tessera::cli {

std::string PolicyToday();  // check.cc

namespace {

struct WaiverOptions {
    governance::WaiverRequest request;
    int64_t id = 0;
    bool all = false;
};

int Add(Context& ctx, WaiverOptions o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    o.request.author = Context::Author();
    auto w = governance::AddWaiver(*cat, o.request, PolicyToday());
    if (!w.ok()) return ctx.Fail(w.status());
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
    Status st = cat->RevokeWaiver(o.id);
    if (!st.ok()) return ctx.Fail(st);
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
    add->add_option("--approver", o->request.approver, "Who approved the exemption")->required();
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
