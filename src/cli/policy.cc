// tessera policy list | propose FILE | preview ID | approve ID --as REP | enforce NAME [--from DATE]:
// the collaborative change of the mesh's rules (docs/governance.md).

#include <iostream>
#include <variant>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/text.h"
#include "governance/proposals.h"

namespace tessera::cli {

std::string PolicyToday();  // check.cc

namespace {

struct PolicyOptions {
    std::string file;
    int64_t id = 0;
    int64_t quorum = 0;
    std::string representative;
    std::string domain;
    std::string name;
    std::string from;
};

nlohmann::ordered_json ProposalJson(const store::ProposalRecord& p) {
    nlohmann::ordered_json j;
    j["id"] = p.id;
    j["policy"] = p.policy;
    j["state"] = p.state;
    j["proposer"] = p.proposer;
    j["quorum"] = p.quorum;
    j["approvals"] = nlohmann::ordered_json::array();
    for (const auto& a : p.approvals) j["approvals"].push_back({{"domain", a.domain}, {"representative", a.representative}});
    return j;
}

int List(Context& ctx) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto policies = cat->Policies();
    if (!policies.ok()) return ctx.Fail(policies.status());
    auto proposals = cat->Proposals();
    if (!proposals.ok()) return ctx.Fail(proposals.status());
    if (ctx.Structured()) {
        nlohmann::ordered_json j;
        j["policies"] = nlohmann::ordered_json::array();
        for (const auto& s : *policies) j["policies"].push_back(nlohmann::ordered_json::parse(spec::EncodeJson(s.policy)));
        j["proposals"] = nlohmann::ordered_json::array();
        for (const auto& p : *proposals) j["proposals"].push_back(ProposalJson(p));
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : *policies) {
        const auto& p = s.policy;
        std::string state(model::PolicyStateName(p.state));
        if (!p.enforce_from.empty()) state += " from " + p.enforce_from;
        rows.push_back({p.name, std::string(model::PolicySeverityName(p.severity)), state,
                        p.domain.empty() ? "global" : p.domain, text::Join(p.properties, ", ")});
    }
    PrintTable({"POLICY", "SEVERITY", "STATE", "SCOPE", "PROPERTIES"}, rows);
    std::vector<std::vector<std::string>> open;
    for (const auto& p : *proposals) {
        std::vector<std::string> who;
        for (const auto& a : p.approvals) who.push_back(a.domain);
        open.push_back({std::to_string(p.id), p.policy, p.state,
                        std::to_string(p.approvals.size()) + "/" + std::to_string(p.quorum), text::Join(who, ", ")});
    }
    if (!open.empty()) {
        std::cout << "\n";
        PrintTable({"PROPOSAL", "POLICY", "STATE", "APPROVALS", "DOMAINS"}, open);
    }
    return kExitOk;
}

int Propose(Context& ctx, const PolicyOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto p = governance::Propose(*cat, o.file, {.proposer = Context::Author(), .quorum = o.quorum});
    if (!p.ok()) return ctx.Fail(p.status());
    if (ctx.Structured()) ctx.PrintStructured(ProposalJson(*p));
    else
        ctx.Say("proposal " + std::to_string(p->id) + ": policy " + p->policy + " needs approvals from " +
                std::to_string(p->quorum) + " domain(s); see its impact with `tessera policy preview " +
                std::to_string(p->id) + "`");
    return kExitOk;
}

int Preview(Context& ctx, const PolicyOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto r = governance::Preview(*cat, o.id, PolicyToday());
    if (!r.ok()) return ctx.Fail(r.status());
    if (!r->error.ok()) return ctx.Fail(r->error);
    if (ctx.Structured()) {
        auto j = ProposalJson(r->proposal);
        j["products_checked"] = r->products;
        j["impact"] = nlohmann::ordered_json::array();
        for (const auto& i : r->impact) {
            j["impact"].push_back({{"product", i.product}, {"owner", i.owner}, {"violations", i.messages}});
        }
        ctx.PrintStructured(j);
        return kExitOk;
    }
    std::cout << "Proposal " << r->proposal.id << ": policy " << r->policy.name << " ("
              << model::PolicySeverityName(r->policy.severity) << ")"
              << (r->policy.title.empty() ? "" : ": " + r->policy.title) << "\n";
    if (r->impact.empty()) {
        std::cout << "No product of " << r->products << " would violate it.\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : r->impact) {
        rows.push_back({i.product, i.owner, std::to_string(i.messages.size()), text::Truncate(i.messages.front(), 80)});
    }
    PrintTable({"PRODUCT", "OWNER", "VIOLATIONS", "FIRST"}, rows);
    std::cout << r->impact.size() << " of " << r->products << " products would violate it.\n";
    return kExitOk;
}

int Approve(Context& ctx, const PolicyOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto r = governance::Approve(*cat, o.id, o.representative, o.domain);
    if (!r.ok()) return ctx.Fail(r.status());
    if (ctx.Structured()) {
        auto j = ProposalJson(r->proposal);
        j["accepted"] = r->accepted;
        if (r->accepted) j["revision"] = r->revision;
        ctx.PrintStructured(j);
    } else if (r->accepted) {
        ctx.Say("approved for " + r->domain + "; quorum reached: policy " + r->proposal.policy +
                " applied in revision " + std::to_string(r->revision) + " (enforce it with `tessera policy enforce " +
                r->proposal.policy + " --from YYYY-MM-DD`)");
    } else {
        ctx.Say("approved for " + r->domain + ": " + std::to_string(r->proposal.approvals.size()) + " of " +
                std::to_string(r->proposal.quorum) + " domain(s)");
    }
    return kExitOk;
}

int Enforce(Context& ctx, const PolicyOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    // Enforcing a rule is governance's act (or, for a domain's own rule, its owners'): the same
    // `manage-policies` as any write of a policy (docs/access.md).
    auto found = cat->Find("policy/" + o.name);
    if (!found.ok()) return ctx.Fail(found.status());
    if (!std::holds_alternative<model::Policy>(found->entity)) return ctx.Fail(NotFound("no policy named " + o.name));
    auto writer = AuthorizeLocal(ctx, "", access::Action::kManagePolicies, std::get<model::Policy>(found->entity).domain);
    if (!writer) return ctx.exit_code;
    auto rev = governance::Enforce(*cat, o.name, o.from, writer->me.user);
    if (!rev.ok()) return ctx.Fail(rev.status());
    AuditWrite(*writer, "policy.enforce", "policy/" + o.name,
               "revision " + std::to_string(*rev) + (o.from.empty() ? "" : ", from " + o.from));
    if (ctx.Structured()) ctx.PrintStructured({{"policy", o.name}, {"enforce_from", o.from}, {"revision", *rev}});
    else
        ctx.Say("policy " + o.name + " enforced" + (o.from.empty() ? "" : " from " + o.from) + " (revision " +
                std::to_string(*rev) + ")");
    return kExitOk;
}

}  // namespace

void RegisterPolicy(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<PolicyOptions>();
    auto* sub = app.add_subcommand("policy", "Propose, preview, approve and enforce policies");
    sub->require_subcommand(1);
    auto* list = sub->add_subcommand("list", "Policies of the catalog and proposals");
    list->callback([&ctx] { ctx.run = [&ctx] { return List(ctx); }; });
    auto* propose = sub->add_subcommand("propose", "Store a Policy file as a proposal");
    propose->add_option("file", o->file, "A file with one Policy")->required();
    propose->add_option("--quorum", o->quorum, "Approving domains needed (default: a majority of the domains)");
    propose->callback([&ctx, o] { ctx.run = [&ctx, o] { return Propose(ctx, *o); }; });
    auto* preview = sub->add_subcommand("preview", "Every product a proposal would flag, with its owner");
    preview->add_option("id", o->id, "The proposal's number")->required();
    preview->callback([&ctx, o] { ctx.run = [&ctx, o] { return Preview(ctx, *o); }; });
    auto* approve = sub->add_subcommand("approve", "Approve a proposal as a domain's representative");
    approve->add_option("id", o->id, "The proposal's number")->required();
    approve->add_option("--as", o->representative, "The representative (a member of a team of the domain)")->required();
    approve->add_option("--domain", o->domain, "The domain approved for, when the representative has several");
    approve->callback([&ctx, o] { ctx.run = [&ctx, o] { return Approve(ctx, *o); }; });
    auto* enforce = sub->add_subcommand("enforce", "Move a policy to state enforce (from a date)");
    enforce->add_option("name", o->name, "The policy")->required();
    enforce->add_option("--from", o->from, "YYYY-MM-DD: warn until then, block from that day on");
    enforce->callback([&ctx, o] { ctx.run = [&ctx, o] { return Enforce(ctx, *o); }; });
}

}  // namespace tessera::cli
