#include "search/domain_map.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"

namespace tessera::search {
namespace {

std::string DomainOf(const std::string& product) { return product.substr(0, product.find('.')); }

std::vector<OwnershipGap> TeamGaps(const model::Team& t) {
    std::vector<OwnershipGap> out;
    if (t.members.empty()) {
        out.push_back({"team-without-members", t.name, "team " + t.name + " lists no members", 0});
    }
    if (t.contact.email.empty() && t.contact.chat.empty() && t.contact.url.empty()) {
        out.push_back({"team-without-contact", t.name, "team " + t.name + " has no e-mail, chat or URL to reach it", 0});
    }
    return out;
}

std::vector<OwnershipGap> ProductGaps(const store::ProductSummary& p, const std::map<std::string, const model::Team*>& teams) {
    std::vector<OwnershipGap> out;
    if (p.owner.empty()) {
        out.push_back({"product-without-owner", p.name, p.name + " has no owner team", 0});
        return out;
    }
    auto team = teams.find(p.owner);
    if (team != teams.end() && team->second->domain != p.domain) {
        out.push_back({"product-owned-outside-domain", p.name,
                       p.name + " is owned by team " + p.owner +
                               (team->second->domain.empty() ? ", which belongs to no domain"
                                                             : " of domain " + team->second->domain),
                       0});
    }
    return out;
}

}  // namespace

Result<DomainMap> BuildDomainMap(catalog::Catalog& catalog, const std::string& domain) {
    TESSERA_ASSIGN_OR_RETURN(auto domains, catalog.Domains());
    if (!domain.empty() && std::none_of(domains.begin(), domains.end(), [&](const model::Domain& d) { return d.name == domain; })) {
        std::vector<std::string_view> names;
        for (const auto& d : domains) names.push_back(d.name);
        std::string close = text::ClosestMatch(domain, names);
        return NotFound("domain \"" + domain + "\" is not in the catalog" +
                        (close.empty() ? "" : " (did you mean \"" + close + "\"?)"));
    }
    TESSERA_ASSIGN_OR_RETURN(auto teams, catalog.Teams());
    // Summaries and the dependency table, not decoded products: a map of 100,000 products is read
    // in well under a second instead of ten.
    TESSERA_ASSIGN_OR_RETURN(auto products, catalog.ProductSummaries());
    TESSERA_ASSIGN_OR_RETURN(auto dependencies, catalog.Dependencies());
    std::map<std::string, std::vector<std::string>> inputs_of;  // reader -> upstream products, sorted
    for (auto& d : dependencies) inputs_of[d.product].push_back(std::move(d.upstream));
    std::map<std::string, const model::Team*> team_by_name;
    for (const auto& t : teams) team_by_name[t.name] = &t;

    DomainMap map;
    std::map<std::string, size_t> index;
    for (const auto& d : domains) {
        index[d.name] = map.domains.size();
        MapDomain m{d.name, d.title, d.owner, 0, {}};
        if (d.owner.empty()) {
            m.gaps.push_back({"domain-without-owner", d.name, "domain " + d.name + " has no owner team", 0});
        }
        map.domains.push_back(std::move(m));
    }
    for (const auto& t : teams) {
        auto gaps = TeamGaps(t);
        if (gaps.empty()) continue;
        std::vector<MapDomain*> targets;
        if (auto it = index.find(t.domain); !t.domain.empty() && it != index.end()) targets.push_back(&map.domains[it->second]);
        if (t.domain.empty()) {
            for (auto& d : map.domains) {
                if (d.owner_team == t.name) targets.push_back(&d);
            }
        }
        if (targets.empty()) {
            map.gaps.insert(map.gaps.end(), gaps.begin(), gaps.end());
            continue;
        }
        for (MapDomain* d : targets) d->gaps.insert(d->gaps.end(), gaps.begin(), gaps.end());
    }
    std::map<std::pair<std::string, std::string>, std::set<std::string>> edges;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> counted;  // domain -> kind -> products
    static const std::vector<std::string> kNoInputs;
    for (const auto& p : products) {
        auto it = index.find(p.domain);
        if (it != index.end()) ++map.domains[it->second].products;
        auto gaps = ProductGaps(p, team_by_name);
        for (const auto& g : gaps) counted[p.domain][g.kind].push_back(p.name);
        auto in = inputs_of.find(p.name);
        const auto& inputs = in == inputs_of.end() ? kNoInputs : in->second;
        for (const auto& upstream : inputs) {
            std::string from = DomainOf(upstream);
            if (from != p.domain) edges[{from, p.domain}].insert(p.name);
        }
        if (!domain.empty() && p.domain == domain) {
            std::string kind = p.kind.empty() ? std::string(model::ProductKindName(model::ProductKind{})) : p.kind;
            map.products.push_back({p.name, p.title, p.owner, kind, inputs, std::move(gaps)});
        }
    }
    for (const auto& [d, kinds] : counted) {
        auto it = index.find(d);
        if (it == index.end()) continue;
        for (const auto& [kind, names] : kinds) {
            std::string what = kind == "product-without-owner" ? "no owner team" : "an owner team from outside the domain";
            std::string list;
            for (size_t i = 0; i < names.size() && i < 3; ++i) list += (i ? ", " : "") + names[i];
            if (names.size() > 3) list += ", …";
            std::string n = std::to_string(names.size());
            map.domains[it->second].gaps.push_back(
                    {kind, d, n + (names.size() == 1 ? " product has " : " products have ") + what + ": " + list,
                     static_cast<int64_t>(names.size())});
        }
    }
    for (const auto& [pair, readers] : edges) {
        map.edges.push_back({pair.first, pair.second, static_cast<int64_t>(readers.size())});
    }
    std::sort(map.products.begin(), map.products.end(), [](const MapProduct& a, const MapProduct& b) { return a.name < b.name; });
    return map;
}

}  // namespace tessera::search
