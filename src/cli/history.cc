// tessera history NAME: the revisions that changed an entity, with what each changed.

#include <iostream>

#include "cli/context.h"

namespace tessera::cli {
namespace {

struct HistoryOptions {
    std::string name;
};

int RunHistory(Context& ctx, const HistoryOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto items = cat->History(o.name);
    if (!items.ok()) return ctx.Fail(items.status());
    if (ctx.Structured()) {
        auto arr = nlohmann::ordered_json::array();
        for (const auto& h : *items) {
            nlohmann::ordered_json j;
            j["revision"] = h.revision.number;
            j["time"] = FormatTime(h.revision.created_at_ms);
            j["author"] = h.revision.author;
            j["message"] = h.revision.message;
            j["action"] = catalog::ActionName(h.action);
            if (h.action == catalog::Action::kUpdate) j["fields"] = FieldsToJson(h.fields);
            arr.push_back(j);
        }
        ctx.PrintStructured(arr);
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    for (const auto& h : *items) {
        std::cout << "revision " << h.revision.number << "  " << FormatTime(h.revision.created_at_ms) << "  "
                  << h.revision.author << "  " << catalog::ActionName(h.action);
        if (!h.revision.message.empty()) std::cout << "  \"" << h.revision.message << "\"";
        std::cout << "\n";
        PrintFieldChanges(h.fields, "    ");
    }
    return kExitOk;
}

}  // namespace

void RegisterHistory(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<HistoryOptions>();
    auto* sub = app.add_subcommand("history", "List the revisions that changed a product, domain or team");
    sub->add_option("name", o->name, "domain.product (or its URN or REST path), a domain or a team")->transform(AnyAddressArg(PortArg::kProduct))->required();
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunHistory(ctx, *o); }; });
}

}  // namespace tessera::cli
