// tessera delete NAME: remove an entity as one revision; refused while others depend on it.

#include "cli/context.h"
#include "cli/identity.h"

namespace tessera::cli {
namespace {

struct DeleteOptions {
    std::string name;
    bool force = false;
    std::string message;
    int64_t expect_revision = -1;
};

int RunDelete(Context& ctx, const DeleteOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    catalog::DeleteOptions options;
    options.force = o.force;
    options.author = Context::Author();
    options.message = o.message;
    if (o.expect_revision >= 0) options.expected_revision = o.expect_revision;
    auto found = cat->Find(o.name);
    if (!found.ok()) return ctx.Fail(found.status());
    std::string domain;
    if (const auto* p = std::get_if<model::DataProduct>(&found->entity)) domain = p->domain;
    if (const auto* d = std::get_if<model::Domain>(&found->entity)) domain = d->name;
    if (const auto* t = std::get_if<model::Team>(&found->entity)) domain = t->domain;
    auto writer = AuthorizeWrites(ctx, options.author, {domain});
    if (!writer) return ctx.exit_code;
    auto rev = cat->Delete(o.name, options);
    if (!rev.ok()) return ctx.Fail(rev.status());
    AuditWrite(*writer, "delete", o.name, "revision " + std::to_string(rev->number) + (o.message.empty() ? "" : ": " + o.message));
    if (ctx.Structured()) {
        ctx.PrintStructured({{"deleted", o.name}, {"revision", rev->number}});
    } else {
        ctx.Say("deleted " + o.name + " in revision " + std::to_string(rev->number));
    }
    return kExitOk;
}

}  // namespace

void RegisterDelete(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DeleteOptions>();
    auto* sub = app.add_subcommand("delete", "Remove a product, domain or team (refused while others depend on it)");
    sub->add_option("name", o->name, "domain.product (or its URN or REST path), a domain or a team")->transform(AnyAddressArg(PortArg::kRefuse))->required();
    sub->add_flag("--force", o->force, "Delete even while other entities reference it");
    sub->add_option("-m,--message", o->message, "Why: recorded with the revision");
    sub->add_option("--expect-revision", o->expect_revision, "Fail with a conflict unless the catalog is at this revision");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunDelete(ctx, *o); }; });
}

}  // namespace tessera::cli
