// tessera get domains|teams|products [--domain D]: list what the catalog holds.

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

struct GetOptions {
    std::string what;
    std::string domain;
};

// The entities to list, from the local catalog or the server.
struct Listing {
    std::vector<model::Domain> domains;
    std::vector<model::Team> teams;
    std::vector<model::DataProduct> products;
    std::map<std::string, int64_t> domain_products;  // with domains: how many products each holds
};

Status ListRemote(Context& ctx, const GetOptions& o, Listing* out) {
    auto remote = ctx.OpenRemote();
    auto decode_all = [&](const std::string& path, auto* into) -> Status {
        TESSERA_ASSIGN_OR_RETURN(auto items, remote->GetAll(path));
        for (const auto& item : items) {
            TESSERA_ASSIGN_OR_RETURN(spec::Entity e, RemoteCatalog::Decode(item));
            into->push_back(std::get<typename std::remove_pointer_t<decltype(into)>::value_type>(std::move(e)));
        }
        return Status::Ok();
    };
    if (o.what == "domains") {
        TESSERA_RETURN_IF_ERROR(decode_all("/api/v1/domains", &out->domains));
        // The domain map counts products per domain on the server: no product crosses the wire.
        TESSERA_ASSIGN_OR_RETURN(auto map, remote->Get("/api/v1/map"));
        for (const auto& d : map["domains"]) out->domain_products[d["name"].get<std::string>()] = d["products"].get<int64_t>();
        return Status::Ok();
    }
    if (o.what == "teams") return decode_all("/api/v1/teams", &out->teams);
    return decode_all("/api/v1/products" + (o.domain.empty() ? "" : "?domain=" + UrlEncode(o.domain)), &out->products);
}

Status ListLocal(Context& ctx, const GetOptions& o, Listing* out) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return Status(StatusCode::kNotFound, "");  // already printed
    if (o.what == "domains") {
        TESSERA_ASSIGN_OR_RETURN(out->domains, cat->Domains());
        // Counted from summaries: decoding every product took 10 s at 100,000 products.
        TESSERA_ASSIGN_OR_RETURN(auto summaries, cat->ProductSummaries());
        for (const auto& p : summaries) ++out->domain_products[p.domain];
    } else if (o.what == "teams") {
        TESSERA_ASSIGN_OR_RETURN(out->teams, cat->Teams());
    } else {
        TESSERA_ASSIGN_OR_RETURN(out->products, cat->Products(o.domain));
    }
    return Status::Ok();
}

int RunGet(Context& ctx, const GetOptions& o) {
    Listing listing;
    Status listed = ctx.Remote() ? ListRemote(ctx, o, &listing) : ListLocal(ctx, o, &listing);
    if (!listed.ok()) return listed.message().empty() ? ctx.exit_code : ctx.Fail(listed);
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    auto structured = nlohmann::ordered_json::array();
    auto add_doc = [&](const spec::Entity& e) { structured.push_back(nlohmann::ordered_json::parse(spec::EncodeJson(e))); };

    if (o.what == "domains") {
        header = {"NAME", "TITLE", "OWNER", "PRODUCTS"};
        for (const auto& d : listing.domains) {
            auto n = listing.domain_products.find(d.name);
            rows.push_back({d.name, d.title, d.owner.empty() ? "-" : d.owner,
                            std::to_string(n == listing.domain_products.end() ? 0 : n->second)});
            add_doc(d);
        }
    } else if (o.what == "teams") {
        header = {"NAME", "TITLE", "DOMAIN", "MEMBERS"};
        for (const auto& t : listing.teams) {
            if (!o.domain.empty() && t.domain != o.domain) continue;
            rows.push_back({t.name, t.title, t.domain.empty() ? "-" : t.domain, std::to_string(t.members.size())});
            add_doc(t);
        }
    } else {
        header = {"NAME", "KIND", "VERSION", "OWNER", "PORTS", "COLUMNS", "TITLE"};
        for (const auto& p : listing.products) {
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
