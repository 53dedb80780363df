// tessera plan PATH…: what apply would change, as a readable diff.

#include <iostream>

#include "cli/context.h"

namespace tessera::cli {
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
        return ApplyRemote(ctx, o.paths, "", -1, true, [&](const catalog::Plan& p) { PrintPlan(p, o.show_unchanged); },
                           false);
    }
    auto cat = ctx.OpenCatalogOrEmpty();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    auto plan = cat->MakePlan(batch);
    if (!plan.ok()) return ctx.Fail(plan.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(PlanToJson(*plan));
    } else if (!ctx.quiet) {
        PrintPlan(*plan, o.show_unchanged);
    }
    return kExitOk;
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
