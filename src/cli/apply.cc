// tessera apply PATH…: check and write a batch of descriptors as one catalog revision.

#include <iostream>

#include "cli/context.h"
#include "governance/compat.h"

namespace tessera::cli {

void PrintPlanText(const catalog::Plan& plan);  // plan.cc
// Breaking changes against the catalog (plan.cc).
Result<governance::CompatReport> CompatibilityOf(catalog::Catalog& cat, const spec::Batch& batch);
void PrintCompat(const governance::CompatReport& report);
nlohmann::ordered_json CompatToJson(const governance::CompatReport& report);
Status CompatError(const governance::CompatReport& report);
int GovernBatch(Context& ctx, catalog::Catalog& cat, const spec::Batch& batch, nlohmann::ordered_json* json);  // check.cc

namespace {

struct ApplyOptions {
    std::vector<std::string> paths;
    std::string message;
    std::string author;
    int64_t expect_revision = -1;
    bool dry_run = false;
};

int RunApply(Context& ctx, const ApplyOptions& o) {
    auto cat = o.dry_run ? ctx.OpenCatalogOrEmpty() : ctx.OpenCatalog();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    // Breaking changes need a major version; a deprecated port or column stays until its sunset.
    auto compat = CompatibilityOf(*cat, batch);
    if (!compat.ok()) return ctx.Fail(compat.status());
    // Enforced policies: an error blocks apply (exit 5) with every violation listed; nothing changes.
    nlohmann::ordered_json policy_json;
    if (int code = GovernBatch(ctx, *cat, batch, ctx.Structured() ? &policy_json : nullptr); code != kExitOk) {
        if (ctx.Structured()) {
            policy_json["changed"] = false;
            ctx.PrintStructured(policy_json);
        }
        return code;
    }
    if (o.dry_run) {
        auto plan = cat->MakePlan(batch);
        if (!plan.ok()) return ctx.Fail(plan.status());
        if (ctx.Structured()) {
            auto j = PlanToJson(*plan);
            j["compatibility"] = CompatToJson(*compat);
            ctx.PrintStructured(j);
        } else if (!ctx.quiet) {
            PrintPlanText(*plan);
            PrintCompat(*compat);
        }
        return compat->Blocks() ? ctx.Fail(CompatError(*compat)) : kExitOk;
    }
    if (compat->Blocks()) {
        if (ctx.Structured()) {
            nlohmann::ordered_json j;
            j["changed"] = false;
            j["compatibility"] = CompatToJson(*compat);
            ctx.PrintStructured(j);
        } else if (!ctx.quiet) {
            PrintCompat(*compat);
        }
        return ctx.Fail(CompatError(*compat));
    }
    catalog::ApplyOptions options;
    options.author = o.author.empty() ? Context::Author() : o.author;
    options.message = o.message;
    // The compatibility was judged at this revision: write only if nobody applied since.
    options.expected_revision = o.expect_revision >= 0 ? o.expect_revision : compat->base_revision;
    auto result = cat->Apply(batch, options);
    if (!result.ok() && result.status().code() == StatusCode::kAborted && o.expect_revision < 0) {
        return ctx.Fail(Aborted("another apply changed the catalog while this one was checked; run apply again"));
    }
    if (!result.ok()) return ctx.Fail(result.status());
    const auto& plan = result->plan;
    if (!ctx.Structured() && !ctx.quiet && result->revision) PrintCompat(*compat);
    if (ctx.Structured()) {
        auto j = PlanToJson(plan);
        j["compatibility"] = CompatToJson(*compat);
        j["revision"] = result->revision ? result->revision->number : plan.base_revision;
        j["changed"] = result->revision.has_value();
        ctx.PrintStructured(j);
    } else if (result->revision) {
        ctx.Say("applied revision " + std::to_string(result->revision->number) + ": " +
                std::to_string(plan.Count(catalog::Action::kCreate)) + " created, " +
                std::to_string(plan.Count(catalog::Action::kUpdate)) + " updated, " +
                std::to_string(plan.Count(catalog::Action::kUnchanged)) + " unchanged");
    } else {
        ctx.Say("no changes: the catalog stays at revision " + std::to_string(plan.base_revision));
    }
    return kExitOk;
}

}  // namespace

void RegisterApply(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ApplyOptions>();
    auto* sub = app.add_subcommand("apply", "Write descriptors to the catalog as one revision, all or nothing");
    sub->add_option("paths", o->paths, "Descriptor files or folders (searched recursively)")->required();
    sub->add_option("-m,--message", o->message, "Why: recorded with the revision");
    sub->add_option("--author", o->author, "Who: recorded with the revision (default $TESSERA_USER or $USER)");
    sub->add_option("--expect-revision", o->expect_revision,
                    "Fail with a conflict (exit 4) unless the catalog is still at this revision");
    sub->add_flag("--dry-run", o->dry_run, "Check and show the plan; write nothing");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunApply(ctx, *o); }; });
}

}  // namespace tessera::cli
