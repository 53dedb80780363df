// tessera lineage NAME[.column]: where a product or column comes from, or where it goes.

#include <iostream>
#include <map>
#include <set>
#include <vector>

#include "access/access.h"
#include "cli/context.h"
#include "engine/sql_parser.h"
#include "common/text.h"
#include "search/graph.h"

namespace tessera::cli {
namespace {

struct LineageOptions {
    std::string target;
    bool upstream = false;
    bool downstream = false;
    int depth = 0;
    std::string format = "tree";
};

// The lineage graph from the local catalog, or from the server's /api/v1/lineage (which answers
// RenderJson's document).
Result<search::LineageGraph> Lineage(Context& ctx, const search::LineageRequest& request) {
    if (!ctx.Remote()) {
        auto cat = ctx.OpenCatalog(false);
        if (!cat) return Status(StatusCode::kNotFound, "");  // printed already
        return search::BuildLineage(*cat, request, engine::ParseTree);
    }
    std::string path = "/api/v1/lineage?target=" + UrlEncode(request.target) + "&direction=" +
                       (request.direction == search::Direction::kDownstream ? "downstream" : "upstream") +
                       "&depth=" + std::to_string(request.depth);
    TESSERA_ASSIGN_OR_RETURN(auto j, ctx.OpenRemote()->Get(path));
    search::LineageGraph g;
    g.root = j.value("root", "");
    g.direction = j.value("direction", "") == "downstream" ? search::Direction::kDownstream : search::Direction::kUpstream;
    g.column_level = j.value("level", "") == "column";
    for (const auto& e : j["edges"]) g.edges.push_back({e.value("from", ""), e.value("to", ""), e.value("kind", "")});
    for (const auto& u : j["unknown"]) g.unknown.push_back(u.get<std::string>());
    return g;
}

int RunLineage(Context& ctx, const LineageOptions& o) {
    if (o.upstream && o.downstream) return ctx.Fail(InvalidArgument("give --upstream or --downstream, not both"));
    search::LineageRequest request{o.target, o.downstream ? search::Direction::kDownstream : search::Direction::kUpstream,
                                   o.depth};
    auto graph = Lineage(ctx, request);
    if (!graph.ok()) return graph.status().message().empty() ? ctx.exit_code : ctx.Fail(graph.status());
    std::string format = ctx.json ? "json" : o.format;
    if (ctx.quiet) return kExitOk;
    if (format == "json") std::cout << search::RenderJson(*graph);
    else if (format == "dot") std::cout << search::RenderDot(*graph);
    else if (format == "mermaid") std::cout << search::RenderMermaid(*graph);
    else std::cout << search::RenderTree(*graph);
    return kExitOk;
}

int RunImpact(Context& ctx, const std::string& target) {
    std::unique_ptr<catalog::Catalog> cat;
    if (!ctx.Remote()) {
        cat = ctx.OpenCatalog(false);
        if (!cat) return ctx.exit_code;
    }
    auto graph = Lineage(ctx, {target, search::Direction::kDownstream, 0});
    if (!graph.ok()) return graph.status().message().empty() ? ctx.exit_code : ctx.Fail(graph.status());
    // Owners: from the catalog, or from the server's impact answer.
    // Consumers with grants: who holds an active grant on the target's product.
    std::map<std::string, std::string> remote_owners;
    std::vector<std::string> holders;
    if (ctx.Remote()) {
        auto j = ctx.OpenRemote()->Get("/api/v1/impact?target=" + UrlEncode(target));
        if (!j.ok()) return ctx.Fail(j.status());
        for (const auto& a : (*j)["affected"]) remote_owners[a.value("product", "")] = a.value("owner", "?");
        holders = j->value("grant_holders", std::vector<std::string>());
    } else {
        auto ac = access::AccessControl::Open(ctx.CatalogPath(), {});
        if (!ac.ok()) return ctx.Fail(ac.status());
        auto found = access::GrantHolders(**ac, target);
        if (!found.ok()) return ctx.Fail(found.status());
        holders = std::move(*found);
    }
    std::set<std::string> products, columns;
    for (const auto& e : graph->edges) {
        std::string node = e.to;
        auto first = node.find('.');
        auto second = node.find('.', first + 1);
        products.insert(second == std::string::npos ? node : node.substr(0, second));
        if (second != std::string::npos) columns.insert(node);
    }
    std::vector<std::vector<std::string>> rows;
    auto arr = nlohmann::ordered_json::array();
    for (const auto& p : products) {
        std::string owner = "?";
        if (cat) {
            auto found = cat->Find(p);
            if (found.ok()) owner = std::get<model::DataProduct>(found->entity).owner;
        } else if (remote_owners.count(p)) {
            owner = remote_owners[p];
        }
        std::vector<std::string> cols;
        for (const auto& c : columns) {
            if (c.rfind(p + ".", 0) == 0) cols.push_back(c.substr(p.size() + 1));
        }
        rows.push_back({p, owner, cols.empty() ? "(whole product)" : text::Join(cols, ", ")});
        arr.push_back({{"product", p}, {"owner", owner}, {"columns", cols}});
    }
    if (ctx.Structured()) {
        ctx.PrintStructured({{"target", target}, {"affected", arr}, {"unknown", graph->unknown}, {"grant_holders", holders}});
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    if (rows.empty()) {
        std::cout << "nothing downstream reads " << target << "\n";
    } else {
        std::cout << "a change to " << target << " touches " << rows.size() << " product(s):\n";
        PrintTable({"PRODUCT", "OWNER", "COLUMNS"}, rows);
    }
    for (const auto& u : graph->unknown) std::cout << "unknown: " << u << "\n";
    std::cout << "consumers with grants: " << (holders.empty() ? "none" : text::Join(holders, ", ")) << "\n";
    return kExitOk;
}

}  // namespace

void RegisterLineage(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LineageOptions>();
    auto* sub = app.add_subcommand("lineage", "Show where a product or column comes from (or goes to, --downstream)");
    sub->add_option("target", o->target, "domain.product (or its URN or REST path) or domain.product.column")->transform(AnyAddressArg(PortArg::kProduct))->required();
    sub->add_flag("--upstream", o->upstream, "What it is built from (default)");
    sub->add_flag("--downstream", o->downstream, "What is built from it");
    sub->add_option("--depth", o->depth, "Levels to follow (default: all)");
    sub->add_option("--format", o->format, "tree | json | dot | mermaid")
            ->check(CLI::IsMember({"tree", "json", "dot", "mermaid"}));
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunLineage(ctx, *o); }; });

    auto target = std::make_shared<std::string>();
    auto* impact = app.add_subcommand("impact", "List every downstream product, column and owner a change would touch");
    impact->add_option("target", *target, "domain.product (or its URN or REST path) or domain.product.column")->transform(AnyAddressArg(PortArg::kProduct))->required();
    impact->callback([&ctx, target] { ctx.run = [&ctx, target] { return RunImpact(ctx, *target); }; });
}

}  // namespace tessera::cli
