// tessera diff NAME FROM [TO]: how an entity changed between two catalog revisions.

#include <iostream>

#include "cli/context.h"

namespace tessera::cli {
namespace {

struct DiffOptions {
    std::string name;
    int64_t from = 0;
    int64_t to = -1;
};

int RunDiff(Context& ctx, const DiffOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    std::optional<int64_t> to;
    if (o.to >= 0) to = o.to;
    auto fields = cat->Diff(o.name, o.from, to);
    if (!fields.ok()) return ctx.Fail(fields.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(FieldsToJson(*fields));
    } else if (!ctx.quiet) {
        if (fields->empty()) std::cout << "no differences\n";
        PrintFieldChanges(*fields, "");
    }
    return kExitOk;
}

}  // namespace

void RegisterDiff(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DiffOptions>();
    auto* sub = app.add_subcommand("diff", "Show how an entity changed between two revisions");
    sub->add_option("name", o->name, "domain.product (or its URN or REST path), a domain or a team")->transform(AnyAddressArg(PortArg::kProduct))->required();
    sub->add_option("from", o->from, "The older revision")->required();
    sub->add_option("to", o->to, "The newer revision (default: the current one)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunDiff(ctx, *o); }; });
}

}  // namespace tessera::cli
