// tessera plan PATH…: what apply would change, as a readable diff.

#include <functional>
#include <iostream>
#include <map>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/text.h"
#include "governance/review.h"

namespace tessera::cli {

static std::string Padded(std::string_view s, size_t width) {
    std::string out(s);
    if (out.size() < width) out.resize(width, ' ');
    return out;
}

void PrintCompat(const governance::CompatReport& report) {
    if (!report.products.empty()) std::cout << "\nCompatibility with the published versions:\n";
    for (const auto& p : report.products) {
        std::cout << "  " << p.product << " " << p.version_before << " -> " << p.version_after
                  << (p.HasBreaking() ? (p.major_bump ? " (a major version)" : " (not a major version)") : "") << ":\n";
        // Consumers are listed once per port; a column change says which of them use the column.
        std::map<std::string, const std::vector<governance::Consumer>*> port_consumers;
        auto who = [](const governance::Consumer& k) {
            return k.product + " (team " + (k.owner.empty() ? "-" : k.owner) + (k.depth > 1 ? ", through " + k.via : "") +
                   (k.grant_holders.empty() ? "" : "; grants: " + text::Join(k.grant_holders, ", ")) + ")";
        };
        for (const auto& c : p.changes) {
            std::cout << "    " << Padded(governance::CompatLevelName(c.level), 9) << " " << c.port << ": " << c.message << "\n";
            if (c.consumers.empty()) continue;
            port_consumers.emplace(c.port, &c.consumers);
            if (c.column.empty() || c.consumers.front().column_use.empty()) continue;
            std::vector<std::string> uses, maybe;
            for (const auto& k : c.consumers) {
                if (k.column_use == "uses") uses.push_back(who(k));
                else if (k.column_use == "unknown") maybe.push_back(who(k));
            }
            if (!uses.empty()) std::cout << "              used by " << text::Join(uses, ", ") << "\n";
            if (!maybe.empty()) std::cout << "              perhaps used by (lineage cannot tell) " << text::Join(maybe, ", ") << "\n";
            if (uses.empty() && maybe.empty()) std::cout << "              no consumer's SQL uses " << c.column << "\n";
        }
        for (const auto& [port, consumers] : port_consumers) {
            std::vector<std::string> names;
            for (const auto& k : *consumers) names.push_back(who(k));
            std::cout << "    consumers of " << p.product << "." << port << ": " << text::Join(names, ", ") << "\n";
        }
    }
    for (const auto& e : report.Errors()) std::cout << "  error: " << e << "\n";
    if (!report.notices.empty()) std::cout << "\nDeprecated inputs:\n";
    for (const auto& n : report.notices) {
        const auto& d = n.deprecation;
        std::cout << "  warning: " << n.product << " reads " << n.upstream << " (input " << n.input << ")"
                  << (n.column_use == "unknown" ? ", perhaps" : "") << ": deprecated"
                  << (d.since.empty() ? "" : " since " + d.since) << ", sunset " << d.sunset
                  << (n.sunset_passed ? " (passed: it may be removed any time)" : "")
                  << (d.reason.empty() ? "" : ": " + d.reason) << (d.replacement.empty() ? "" : "; use " + d.replacement)
                  << "\n";
    }
}

int ReportBatchPolicies(Context& ctx, const governance::CheckReport& report, nlohmann::ordered_json* json);  // check.cc

// Prints a plan with its governance review as `tessera plan` does, locally and remotely; returns
// the exit code. A breaking change without a major version fails the plan as it would fail
// apply; then the policy results on the batch's products (stderr), an enforced error failing it.
int ReportPlan(Context& ctx, const catalog::Plan& plan, const governance::BatchReview& review,
               const std::function<void(const catalog::Plan&)>& print_plan) {
    if (ctx.Structured()) {
        auto j = PlanToJson(plan);
        j["compatibility"] = governance::CompatToJson(review.compat);
        ctx.PrintStructured(j);
    } else if (!ctx.quiet) {
        print_plan(plan);
        PrintCompat(review.compat);
    }
    if (review.compat.Blocks()) return ctx.Fail(governance::CompatError(review.compat));
    if (!review.policies) return kExitOk;
    return ReportBatchPolicies(ctx, *review.policies, nullptr);
}

namespace {

struct PlanOptions {
    std::vector<std::string> paths;
    bool show_unchanged = false;
};

void PrintPlan(const catalog::Plan& plan, bool show_unchanged) {
    std::cout << "Plan against catalog revision " << plan.base_revision << ":\n";
    for (const auto& c : plan.changes) {
        std::string what = std::string(model::EntityKindName(c.kind)) + " " + c.name;
        switch (c.action) {
            case catalog::Action::kCreate: std::cout << "  + " << what << " (create)\n"; break;
            case catalog::Action::kUpdate:
                std::cout << "  ~ " << what << " (update)\n";
                PrintFieldChanges(c.fields, "      ");
                break;
            case catalog::Action::kDelete: std::cout << "  - " << what << " (delete)\n"; break;
            case catalog::Action::kUnchanged:
                if (show_unchanged) std::cout << "  = " << what << "\n";
                break;
        }
    }
    std::cout << plan.Count(catalog::Action::kCreate) << " to create, " << plan.Count(catalog::Action::kUpdate)
              << " to update, " << plan.Count(catalog::Action::kUnchanged) << " unchanged.\n";
}

int RunPlan(Context& ctx, const PlanOptions& o) {
    if (ctx.Remote()) {
        return ApplyRemote(ctx, o.paths, "", -1, RemoteApply::kPlan,
                           [&](const catalog::Plan& p) { PrintPlan(p, o.show_unchanged); });
    }
    auto cat = ctx.OpenCatalogOrEmpty();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    auto plan = cat->MakePlan(batch);
    if (!plan.ok()) return ctx.Fail(plan.status());
    auto review = governance::ReviewBatch(*cat, batch, {governance::PolicyToday(), GrantHoldersOf(ctx)});
    if (!review.ok()) return ctx.Fail(review.status());
    return ReportPlan(ctx, *plan, *review, [&](const catalog::Plan& p) { PrintPlan(p, o.show_unchanged); });
}

}  // namespace

void PrintPlanText(const catalog::Plan& plan) { PrintPlan(plan, false); }

void RegisterPlan(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<PlanOptions>();
    auto* sub = app.add_subcommand("plan", "Show what apply would change in the catalog, field by field");
    sub->add_option("paths", o->paths, "Descriptor files or folders (searched recursively)")->required();
    sub->add_flag("--show-unchanged", o->show_unchanged, "List unchanged entities too");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunPlan(ctx, *o); }; });
}

}  // namespace tessera::cli
