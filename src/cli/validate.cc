// tessera validate PATH…: every check a descriptor must pass, without changing anything.

#include <iostream>

#include "cli/context.h"

namespace tessera::cli {

int GovernBatch(Context& ctx, catalog::Catalog& cat, const spec::Batch& batch, nlohmann::ordered_json* json);  // check.cc

namespace {

struct ValidateOptions {
    std::vector<std::string> paths;
};

int Validate(Context& ctx, const ValidateOptions& o) {
    bool against_catalog = ctx.CatalogExists();
    auto cat = ctx.OpenCatalogOrEmpty();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    // The policies (the catalog's and the batch's) on the batch's products.
    nlohmann::ordered_json policy_json;
    if (int code = GovernBatch(ctx, *cat, batch, ctx.Structured() ? &policy_json : nullptr); code != kExitOk) {
        if (ctx.Structured()) ctx.PrintStructured(policy_json);
        return code;
    }
    if (ctx.Structured()) {
        nlohmann::ordered_json j;
        j["valid"] = true;
        j["domains"] = batch.domains.size();
        j["teams"] = batch.teams.size();
        j["products"] = batch.products.size();
        ctx.PrintStructured(j);
    } else {
        ctx.Say("valid: " + std::to_string(batch.domains.size()) + " domains, " + std::to_string(batch.teams.size()) +
                " teams, " + std::to_string(batch.products.size()) + " data products" +
                (against_catalog ? " (references checked against " + ctx.CatalogPath() + ")" : ""));
    }
    return kExitOk;
}

}  // namespace

void RegisterValidate(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ValidateOptions>();
    auto* sub = app.add_subcommand("validate", "Check descriptor files and folders; report every error (exit 2)");
    sub->add_option("paths", o->paths, "Descriptor files or folders (searched recursively)")->required();
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return Validate(ctx, *o); }; });
}

}  // namespace tessera::cli
