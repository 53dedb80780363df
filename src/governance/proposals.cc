#include "governance/proposals.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "common/text.h"
#include "governance/review.h"

namespace tessera::governance {

bool IsIsoDate(const std::string& s) {
    static const std::regex kDate(R"(([0-9]{4})-([0-9]{2})-([0-9]{2}))");
    std::smatch m;
    if (!std::regex_match(s, m, kDate)) return false;
    std::chrono::year_month_day ymd{std::chrono::year(std::stoi(m[1])),
                                    std::chrono::month(static_cast<unsigned>(std::stoi(m[2]))),
                                    std::chrono::day(static_cast<unsigned>(std::stoi(m[3])))};
    return ymd.ok();
}

Result<std::string> ResolveDay(const std::string& option, const std::string& text, const std::string& today) {
    if (IsIsoDate(text)) return text;
    static const std::regex kRelative(R"(\+?([0-9]{1,4})([dw]))");
    std::smatch m;
    if (!IsIsoDate(today) || !std::regex_match(text, m, kRelative)) {
        return InvalidArgument(option + ": expected a date YYYY-MM-DD or a number of days or weeks from today (30d, 2w), found \"" +
                               text + "\"");
    }
    int days = std::stoi(m[1]) * (m[2] == "w" ? 7 : 1);
    std::chrono::year_month_day start{std::chrono::year(std::stoi(today.substr(0, 4))),
                                      std::chrono::month(static_cast<unsigned>(std::stoi(today.substr(5, 2)))),
                                      std::chrono::day(static_cast<unsigned>(std::stoi(today.substr(8, 2))))};
    std::chrono::year_month_day day{std::chrono::sys_days(start) + std::chrono::days(days)};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return std::string(out);
}

namespace {

std::string Diagnostics(const std::vector<spec::Diagnostic>& diagnostics) {
    std::vector<std::string> lines;
    for (const auto& d : diagnostics) {
        if (!d.warning) lines.push_back(d.ToString());
    }
    return text::Join(lines, "\n");
}

Result<model::Policy> PolicyOf(const store::ProposalRecord& p) {
    TESSERA_ASSIGN_OR_RETURN(auto entity, spec::DecodeJson(p.document));
    if (!std::holds_alternative<model::Policy>(entity)) return Internal("proposal " + std::to_string(p.id) + " holds no Policy");
    return std::get<model::Policy>(std::move(entity));
}

Result<int64_t> ApplyPolicy(catalog::Catalog& cat, const model::Policy& policy, const std::string& origin,
                            const std::string& author, const std::string& message) {
    spec::Batch batch;
    spec::PolicyDoc doc;
    doc.policy = policy;
    doc.origin = origin;
    batch.policies.push_back(std::move(doc));
    catalog::ApplyOptions options;
    options.author = author;
    options.message = message;
    TESSERA_ASSIGN_OR_RETURN(auto applied, cat.Apply(batch, options));
    if (applied.revision) return applied.revision->number;
    return applied.plan.base_revision;
}

}  // namespace

Result<store::ProposalRecord> Propose(catalog::Catalog& cat, const std::string& file, const ProposeOptions& options) {
    spec::LoadReport loaded = spec::LoadPaths({file});
    if (!loaded.ok()) return InvalidArgument(Diagnostics(loaded.diagnostics));
    if (loaded.batch.policies.size() != 1 || loaded.batch.size() != 1) {
        return InvalidArgument(file + ": error: expected exactly one document of kind Policy, found " +
                               std::to_string(loaded.batch.size()) + " document(s) with " +
                               std::to_string(loaded.batch.policies.size()) + " Policy");
    }
    TESSERA_ASSIGN_OR_RETURN(auto diagnostics, cat.Check(loaded.batch));
    if (!diagnostics.empty()) return InvalidArgument(Diagnostics(diagnostics));
    const auto& doc = loaded.batch.policies.front();
    TESSERA_ASSIGN_OR_RETURN(auto open, cat.Proposals());
    for (const auto& p : open) {
        if (p.state == "open" && p.policy == doc.policy.name) {
            return AlreadyExists("policy " + p.policy + " has an open proposal already (" + std::to_string(p.id) +
                                 "): approve or withdraw it first");
        }
    }
    int64_t quorum = options.quorum;
    if (quorum <= 0) {
        TESSERA_ASSIGN_OR_RETURN(auto domains, cat.Domains());
        quorum = static_cast<int64_t>(domains.size()) / 2 + 1;
    }
    store::ProposalRecord record;
    record.policy = doc.policy.name;
    record.document = spec::EncodeJson(doc.policy);
    std::error_code ec;
    record.origin = std::filesystem::absolute(doc.origin, ec).lexically_normal().string();
    record.proposer = options.proposer;
    record.quorum = quorum;
    return cat.AddProposal(record);
}

Result<PreviewResult> Preview(catalog::Catalog& cat, int64_t id, const std::string& today) {
    PreviewResult out;
    TESSERA_ASSIGN_OR_RETURN(out.proposal, cat.GetProposal(id));
    TESSERA_ASSIGN_OR_RETURN(out.policy, PolicyOf(out.proposal));
    TESSERA_ASSIGN_OR_RETURN(MeshState mesh, LoadMesh(cat));
    PolicySource source{out.policy, out.proposal.origin, {}};
    // Locate errors in the proposed file when it is still there.
    spec::LoadReport again = spec::LoadPaths({out.proposal.origin});
    for (const auto& d : again.batch.policies) {
        if (d.policy.name == out.policy.name) source.at = d.query_at;
    }
    auto it = std::find_if(mesh.policies.begin(), mesh.policies.end(),
                           [&](const PolicySource& s) { return s.policy.name == out.policy.name; });
    if (it != mesh.policies.end()) *it = source;
    else mesh.policies.push_back(source);
    CheckOptions options;
    options.today = today;
    options.include_proposed = true;
    options.only = {out.policy.name};
    TESSERA_ASSIGN_OR_RETURN(auto report, CheckPolicies(mesh, options));
    out.products = mesh.products.size();
    std::map<std::string, std::string> owners;
    for (const auto& p : mesh.products) owners[p.FullName()] = p.owner;
    std::map<std::string, Impact> impact;
    for (const auto& o : report.outcomes) {
        if (o.result == PolicyOutcome::Result::kError) out.error = o.error;
        for (const auto& v : o.violations) {
            auto& i = impact[v.product];
            i.product = v.product;
            i.owner = owners.count(v.product) ? owners[v.product] : "";
            i.messages.push_back(v.message);
        }
    }
    for (auto& [_, i] : impact) out.impact.push_back(std::move(i));
    return out;
}

Result<ApprovalResult> Approve(catalog::Catalog& cat, int64_t id, const std::string& representative,
                               const std::string& domain) {
    ApprovalResult out;
    TESSERA_ASSIGN_OR_RETURN(auto proposal, cat.GetProposal(id));
    if (proposal.state != "open") {
        return FailedPrecondition("policy proposal " + std::to_string(id) + " is " + proposal.state + ", not open");
    }
    TESSERA_ASSIGN_OR_RETURN(auto teams, cat.Teams());
    std::set<std::string> represented;
    for (const auto& t : teams) {
        if (t.domain.empty()) continue;
        for (const auto& m : t.members) {
            if (m.user == representative && m.date_out.empty()) represented.insert(t.domain);
        }
    }
    if (represented.empty()) {
        return Status(StatusCode::kPermissionDenied, representative + " represents no domain: a representative is a member of a team of the "
                                                 "domain (spec.members of a Team with spec.domain)");
    }
    if (!domain.empty()) {
        if (!represented.count(domain)) {
            return Status(StatusCode::kPermissionDenied, representative + " does not represent domain " + domain + " (represents " +
                                    text::Join({represented.begin(), represented.end()}, ", ") + ")");
        }
        out.domain = domain;
    } else if (represented.size() > 1) {
        // The first domain that has not approved yet.
        for (const auto& d : represented) {
            bool approved = std::any_of(proposal.approvals.begin(), proposal.approvals.end(),
                                        [&](const store::ApprovalRecord& a) { return a.domain == d; });
            if (!approved) {
                out.domain = d;
                break;
            }
        }
        if (out.domain.empty()) out.domain = *represented.begin();
    } else {
        out.domain = *represented.begin();
    }
    TESSERA_ASSIGN_OR_RETURN(out.proposal, cat.ApproveProposal(id, {out.domain, representative, 0}));
    if (static_cast<int64_t>(out.proposal.approvals.size()) < out.proposal.quorum) return out;

    TESSERA_ASSIGN_OR_RETURN(model::Policy policy, PolicyOf(out.proposal));
    if (policy.state == model::PolicyState::kProposed) policy.state = model::PolicyState::kWarn;
    std::vector<std::string> approvers;
    for (const auto& a : out.proposal.approvals) approvers.push_back(a.representative + " (" + a.domain + ")");
    TESSERA_ASSIGN_OR_RETURN(out.revision, ApplyPolicy(cat, policy, out.proposal.origin, representative,
                                                       "policy " + policy.name + " accepted by " +
                                                               text::Join(approvers, ", ")));
    TESSERA_RETURN_IF_ERROR(cat.DecideProposal(id, "accepted"));
    out.accepted = true;
    TESSERA_ASSIGN_OR_RETURN(out.proposal, cat.GetProposal(id));
    return out;
}

Result<int64_t> Enforce(catalog::Catalog& cat, const std::string& name, const std::string& from,
                        const std::string& author) {
    std::string day;
    if (!from.empty()) {
        TESSERA_ASSIGN_OR_RETURN(day, ResolveDay("--from", from, PolicyToday()));
    }
    TESSERA_ASSIGN_OR_RETURN(auto found, cat.Find("policy/" + name));
    model::Policy policy = std::get<model::Policy>(found.entity);
    policy.state = model::PolicyState::kEnforce;
    policy.enforce_from = day;
    return ApplyPolicy(cat, policy, found.origin, author,
                       "enforce policy " + name + (day.empty() ? "" : " from " + day));
}

Result<store::WaiverRecord> AddWaiver(catalog::Catalog& cat, const WaiverRequest& r, const std::string& today) {
    if (r.reason.empty()) return InvalidArgument("--reason: a waiver needs a reason: why may this product break the rule?");
    if (r.approver.empty()) return InvalidArgument("--approver: a waiver needs the person who approved it");
    TESSERA_ASSIGN_OR_RETURN(std::string expires, ResolveDay("--expires", r.expires, today));
    if (expires < today) {
        return InvalidArgument("--expires: expected a date from today (" + today + ") on, found " + expires);
    }
    int year = std::stoi(today.substr(0, 4));
    std::string limit = std::to_string(year + 1) + today.substr(4);
    if (expires > limit) {
        return InvalidArgument("--expires: a waiver lasts at most a year (until " + limit + "), found " + expires);
    }
    TESSERA_ASSIGN_OR_RETURN(auto policy, cat.Find("policy/" + r.policy));
    TESSERA_ASSIGN_OR_RETURN(auto product, cat.Find("product/" + r.product));
    store::WaiverRecord w;
    w.policy = r.policy;
    w.product = spec::EntityName(product.entity);
    w.reason = r.reason;
    w.approver = r.approver;
    w.author = r.author;
    w.expires = expires;
    return cat.AddWaiver(w);
}

}  // namespace tessera::governance
