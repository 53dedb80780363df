#include "search/search.h"

#include <cctype>
#include <cstdlib>

#include "common/text.h"

namespace tessera::search {
namespace {

std::vector<std::string> Terms(const std::string& text) {
    std::vector<std::string> terms;
    std::string current;
    for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            current += static_cast<char>(std::tolower(u));
        } else if (!current.empty()) {
            terms.push_back(current);
            current.clear();
        }
    }
    if (!current.empty()) terms.push_back(current);
    return terms;
}

store::SearchQuery Query(const SearchRequest& r, std::vector<std::string> terms) {
    store::SearchQuery q;
    q.terms = std::move(terms);
    q.domain = r.domain;
    q.owner = r.owner;
    q.tag = r.tag;
    q.kind = r.kind;
    q.classification = r.classification;
    q.states = r.states;
    q.status = r.status;
    q.limit = r.limit;
    return q;
}

}  // namespace

Result<SearchResult> Search(catalog::Catalog& catalog, const SearchRequest& request) {
    std::vector<std::string> terms = Terms(request.text);
    if (terms.empty()) return InvalidArgument("search needs at least one word");
    int64_t offset = 0;
    if (!request.cursor.empty()) {
        char* end = nullptr;
        offset = std::strtoll(request.cursor.c_str(), &end, 10);
        if (*end != '\0' || offset < 0) return InvalidArgument("malformed cursor \"" + request.cursor + "\"");
    }
    store::SearchQuery query = Query(request, terms);
    query.offset = offset;
    SearchResult result;
    TESSERA_ASSIGN_OR_RETURN(result.page, catalog.Search(query));
    if (result.page.total == 0) {
        // Typo tolerance: a word that matches nothing (not even as a prefix) is replaced by the
        // closest indexed word, at most two edits away.
        TESSERA_ASSIGN_OR_RETURN(auto speller, catalog.SearchSpeller());
        bool changed = false;
        for (auto& t : terms) {
            if (terms.size() > 1) {  // with one word, the empty result already says it matches nothing
                SearchRequest probe;
                probe.limit = 0;
                TESSERA_ASSIGN_OR_RETURN(auto alone, catalog.Search(Query(probe, {t})));
                if (alone.total > 0) continue;
            }
            std::string best = speller->Correct(t);
            if (!best.empty()) {
                t = best;
                changed = true;
            }
        }
        if (changed) {
            query = Query(request, terms);
            query.offset = offset;
            TESSERA_ASSIGN_OR_RETURN(result.page, catalog.Search(query));
            result.corrected = text::Join(terms, " ");
        }
    }
    for (const auto& hit : result.page.hits) {
        // Decoding a product costs more than the search: only those that mention a deprecation.
        auto document = catalog.Document("product/" + hit.name);
        if (!document.ok() || document->find("\"deprecated\"") == std::string::npos) continue;
        auto found = catalog.Find("product/" + hit.name);
        if (!found.ok()) continue;
        for (const auto& o : std::get<model::DataProduct>(found->entity).outputs) {
            if (o.deprecated) result.deprecated[hit.name].push_back(o.name + " (sunset " + o.deprecated->sunset + ")");
            for (const auto& c : o.columns) {
                if (c.deprecated) {
                    result.deprecated[hit.name].push_back(o.name + "." + c.name + " (sunset " + c.deprecated->sunset + ")");
                }
            }
        }
    }
    if (offset + request.limit < result.page.total) result.next_cursor = std::to_string(offset + request.limit);
    return result;
}

}  // namespace tessera::search
