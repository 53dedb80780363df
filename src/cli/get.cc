// tessera get domains|teams|products [--domain D]: list what the catalog holds.

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

struct GetOptions {
    std::string what;
    std::string domain;
};

int RunGet(Context& ctx, const GetOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    auto structured = nlohmann::ordered_json::array();
    auto add_doc = [&](const spec::Entity& e) { structured.push_back(nlohmann::ordered_json::parse(spec::EncodeJson(e))); };

    if (o.what == "domains") {
        auto domains = cat->Domains();
        if (!domains.ok()) return ctx.Fail(domains.status());
        auto products = cat->Products();
        if (!products.ok()) return ctx.Fail(products.status());
        header = {"NAME", "TITLE", "OWNER", "PRODUCTS"};
        for (const auto& d : *domains) {
            size_t n = std::count_if(products->begin(), products->end(), [&](const auto& p) { return p.domain == d.name; });
            rows.push_back({d.name, d.title, d.owner.empty() ? "-" : d.owner, std::to_string(n)});
            add_doc(d);
        }
    } else if (o.what == "teams") {
        auto teams = cat->Teams();
        if (!teams.ok()) return ctx.Fail(teams.status());
        header = {"NAME", "TITLE", "DOMAIN", "MEMBERS"};
        for (const auto& t : *teams) {
            if (!o.domain.empty() && t.domain != o.domain) continue;
            rows.push_back({t.name, t.title, t.domain.empty() ? "-" : t.domain, std::to_string(t.members.size())});
            add_doc(t);
        }
    } else {
        auto products = cat->Products(o.domain);
        if (!products.ok()) return ctx.Fail(products.status());
        header = {"NAME", "KIND", "VERSION", "OWNER", "PORTS", "COLUMNS", "TITLE"};
        for (const auto& p : *products) {
            size_t columns = 0, deprecated = 0;
            for (const auto& port : p.outputs) {
                columns += port.columns.size();
                deprecated += port.deprecated.has_value();
            }
            std::string ports = std::to_string(p.outputs.size()) + (deprecated ? " (" + std::to_string(deprecated) + " deprecated)" : "");
            rows.push_back({p.FullName(), std::string(model::ProductKindName(p.kind)), p.version, p.owner, ports,
                            std::to_string(columns), p.title});
            add_doc(p);
        }
    }
    if (ctx.Structured()) {
        ctx.PrintStructured(structured);
    } else if (!ctx.quiet) {
        if (rows.empty()) {
            std::cout << "no " << o.what << (o.domain.empty() ? "" : " in domain " + o.domain) << "\n";
        } else {
            PrintTable(header, rows);
        }
    }
    return kExitOk;
}

}  // namespace

void RegisterGet(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<GetOptions>();
    auto* sub = app.add_subcommand("get", "List domains, teams or data products");
    sub->add_option("what", o->what, "domains | teams | products")
            ->required()
            ->check(CLI::IsMember({"domains", "teams", "products"}));
    sub->add_option("--domain", o->domain, "Only those of this domain (teams, products)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunGet(ctx, *o); }; });
}

}  // namespace tessera::cli
