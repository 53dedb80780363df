// tessera plan PATH…: what apply would change, as a readable diff.

#include <iostream>
#include <map>

#include "cli/context.h"
#include "common/text.h"
#include "engine/sql_parser.h"
#include "governance/compat.h"
#include "search/graph.h"

namespace tessera::cli {

std::string PolicyToday();  // check.cc: $TESSERA_TODAY, else today (UTC)

Result<governance::CompatReport> CompatibilityOf(catalog::Catalog& cat, const spec::Batch& batch) {
    governance::CompatOptions options;
    options.today = PolicyToday();  // deprecation sunsets are judged on the day governance takes as today
    // Which downstream products use a column: its downstream column lineage, read from their SQL.
    options.column_users = [&cat](const std::string& product, const std::string& column) -> Result<governance::ColumnUsers> {
        TESSERA_ASSIGN_OR_RETURN(auto graph, search::BuildLineage(cat, {product + "." + column, search::Direction::kDownstream, 0},
                                                                  engine::ParseTree));
        auto product_of = [](const std::string& node) {
            auto first = node.find('.');
            auto second = first == std::string::npos ? std::string::npos : node.find('.', first + 1);
            return node.substr(0, second);
        };
        governance::ColumnUsers users;
        for (const auto& e : graph.edges) users.users.insert(product_of(e.to));
        for (const auto& u : graph.unknown) users.unknown.insert(product_of(u.substr(0, u.find(": "))));
        return users;
    };
    return governance::CheckCompatibility(cat, batch, options);
}

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

nlohmann::ordered_json CompatToJson(const governance::CompatReport& report) {
    nlohmann::ordered_json j;
    j["blocked"] = report.Blocks();
    j["errors"] = report.Errors();
    j["products"] = nlohmann::ordered_json::array();
    for (const auto& p : report.products) {
        nlohmann::ordered_json pj;
        pj["product"] = p.product;
        pj["version_before"] = p.version_before;
        pj["version_after"] = p.version_after;
        pj["major_bump"] = p.major_bump;
        pj["changes"] = nlohmann::ordered_json::array();
        for (const auto& c : p.changes) {
            nlohmann::ordered_json cj;
            cj["level"] = governance::CompatLevelName(c.level);
            cj["rule"] = c.rule;
            cj["port"] = c.port;
            if (!c.column.empty()) cj["column"] = c.column;
            cj["path"] = c.path;
            cj["message"] = c.message;
            cj["consumers"] = nlohmann::ordered_json::array();
            for (const auto& k : c.consumers) {
                nlohmann::ordered_json kj;
                kj["product"] = k.product;
                kj["owner"] = k.owner;
                kj["depth"] = k.depth;
                if (!k.via.empty()) kj["via"] = k.via;
                if (!k.column_use.empty()) kj["column_use"] = k.column_use;
                kj["grant_holders"] = k.grant_holders;
                cj["consumers"].push_back(kj);
            }
            pj["changes"].push_back(cj);
        }
        j["products"].push_back(pj);
    }
    j["deprecated_inputs"] = nlohmann::ordered_json::array();
    for (const auto& n : report.notices) {
        nlohmann::ordered_json nj;
        nj["product"] = n.product;
        nj["input"] = n.input;
        nj["reads"] = n.upstream;
        if (!n.deprecation.since.empty()) nj["since"] = n.deprecation.since;
        nj["sunset"] = n.deprecation.sunset;
        nj["sunset_passed"] = n.sunset_passed;
        if (!n.deprecation.reason.empty()) nj["reason"] = n.deprecation.reason;
        if (!n.deprecation.replacement.empty()) nj["replacement"] = n.deprecation.replacement;
        if (!n.column_use.empty()) nj["column_use"] = n.column_use;
        j["deprecated_inputs"].push_back(nj);
    }
    return j;
}

Status CompatError(const governance::CompatReport& report) {
    auto errors = report.Errors();
    return FailedPrecondition(text::Join(errors, "; ") + "; nothing was changed");
}

int GovernBatch(Context& ctx, catalog::Catalog& cat, const spec::Batch& batch, nlohmann::ordered_json* json);  // check.cc

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
    auto compat = CompatibilityOf(*cat, batch);
    if (!compat.ok()) return ctx.Fail(compat.status());
    if (ctx.Structured()) {
        auto j = PlanToJson(*plan);
        j["compatibility"] = CompatToJson(*compat);
        ctx.PrintStructured(j);
    } else if (!ctx.quiet) {
        PrintPlan(*plan, o.show_unchanged);
        PrintCompat(*compat);
    }
    // A breaking change without a major version fails the plan as it would fail apply.
    if (compat->Blocks()) return ctx.Fail(CompatError(*compat));
    // Policy results on the changed products (stderr); an enforced error fails the plan as it would apply.
    return GovernBatch(ctx, *cat, batch, nullptr);
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
