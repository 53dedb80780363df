#pragma once

// Full-text search of data products: ranked, filtered, with facet counts, highlighted matches and
// typo tolerance, over the catalog's own index (docs/search.md).
//
//   search::SearchRequest req{.text = "ordr revenue", .domain = "orders"};
//   TESSERA_ASSIGN_OR_RETURN(auto result, search::Search(catalog, req));
//   // result.corrected == "order revenue"; result.page.hits[0].snippet == "[order]_total …"

#include <map>
#include <vector>
#include <string>

#include "catalog/catalog.h"

namespace tessera::search {

struct SearchRequest {
    std::string text;
    std::string domain, owner, tag, kind, classification;
    std::map<std::string, std::string> states;  // product -> fresh | stale | failing | never run
    std::string status;                         // keep only products in this state
    int64_t limit = 20;
    std::string cursor;  // from a previous result's next_cursor
};

struct SearchResult {
    store::SearchPage page;
    std::string corrected;    // the query as run, when a word was corrected; else empty
    std::string next_cursor;  // empty on the last page
    // Per hit with any: its deprecated ports and columns, e.g. "legacy (sunset 2027-06-30)",
    // "current.city (sunset …)", so consumers see them before they start reading.
    std::map<std::string, std::vector<std::string>> deprecated;
};

// kInvalidArgument for an empty query or a malformed cursor.
Result<SearchResult> Search(catalog::Catalog& catalog, const SearchRequest& request);

}  // namespace tessera::search
