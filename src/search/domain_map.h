#pragma once

// The domain map: the mesh drawn at the level of its domains (DESIGN.md, step 2). Each domain with
// its owner team and how many products it holds, the dependencies between domains (products'
// declared inputs, counted per pair of domains), and the ownership gaps to close. It stays small
// at any catalog size: one entry per domain and per pair of dependent domains; the products of one
// domain only when asked.
//
//   TESSERA_ASSIGN_OR_RETURN(auto map, search::BuildDomainMap(catalog, "orders"));
//   for (const auto& gap : map.domains[0].gaps) std::cout << gap.message << "\n";
//   map.products;  // orders' products with their inputs and gaps
//
// Gap kinds: `domain-without-owner`; `team-without-members`, `team-without-contact` (a team with
// neither members nor an e-mail, chat or URL to reach it); `product-without-owner`;
// `product-owned-outside-domain` (its owner team belongs to another domain or to none). A
// domain's entry counts its products' gaps by kind (`products`); a platform team's gaps (a team
// of no domain) go to the domains it owns, else to the map's own `gaps`.

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"

namespace tessera::search {

struct OwnershipGap {
    std::string kind;     // see the header comment
    std::string subject;  // the domain, team or product it is about (a domain for counted product gaps)
    std::string message;  // for people
    int64_t products = 0; // for a domain's counted product gaps: how many products; 0 otherwise
};

struct MapDomain {
    std::string name;
    std::string title;
    std::string owner_team;  // "" when none
    int64_t products = 0;
    std::vector<OwnershipGap> gaps;
};

// Products of `to` read products of `from` (data flows from -> to).
struct MapEdge {
    std::string from;
    std::string to;
    int64_t products = 0;  // distinct products of `to` that read `from`
};

struct MapProduct {
    std::string name;  // domain.name
    std::string title;
    std::string owner;
    std::string kind;  // source-aligned | aggregate | consumer-aligned
    std::vector<std::string> inputs;  // the products it reads, domain.name, sorted
    std::vector<OwnershipGap> gaps;
};

struct DomainMap {
    std::vector<MapDomain> domains;    // by name
    std::vector<MapEdge> edges;        // by (from, to); a domain reading itself is not an edge
    std::vector<OwnershipGap> gaps;    // gaps of platform teams that own no domain
    std::vector<MapProduct> products;  // of the domain asked for, by name; empty otherwise
};

// The map of `catalog`; with `domain`, also that domain's products. kNotFound (with suggestions)
// for an unknown domain.
Result<DomainMap> BuildDomainMap(catalog::Catalog& catalog, const std::string& domain = "");

}  // namespace tessera::search
