// tessera search "TEXT": find data products by what they are about.

#include <iostream>

#include "cli/context.h"
#include "common/text.h"
#include "engine/freshness.h"
#include "search/search.h"

#include <ctime>

namespace tessera::cli {
namespace {

// The same search through the server's /api/v1/search.
Result<search::SearchResult> SearchRemote(Context& ctx, const search::SearchRequest& r) {
    std::string path = "/api/v1/search?q=" + UrlEncode(r.text) + "&limit=" + std::to_string(r.limit);
    for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"domain", &r.domain}, {"owner", &r.owner},
                                      {"tag", &r.tag}, {"kind", &r.kind}, {"classification", &r.classification},
                                      {"status", &r.status}, {"cursor", &r.cursor}}) {
        if (!value->empty()) path += std::string("&") + name + "=" + UrlEncode(*value);
    }
    TESSERA_ASSIGN_OR_RETURN(auto j, ctx.OpenRemote()->Get(path));
    search::SearchResult out;
    out.corrected = j.value("corrected", "");
    out.page.total = j.value("total", int64_t{0});
    for (const auto& h : j["hits"]) {
        out.page.hits.push_back({h.value("product", ""), h.value("score", 0.0), h.value("text_score", 0.0),
                                 h.value("trust", 0.0), h.value("matched", ""), h.value("snippet", "")});
        if (h.contains("deprecated")) out.deprecated[h.value("product", "")] = h["deprecated"].get<std::vector<std::string>>();
    }
    for (const auto& [facet, values] : j["facets"].items()) {
        for (const auto& [v, n] : values.items()) out.page.facets[facet][v] = n.get<int64_t>();
    }
    out.next_cursor = j["next_cursor"].is_string() ? j["next_cursor"].get<std::string>() : "";
    return out;
}

Result<search::SearchResult> SearchLocal(Context& ctx, const search::SearchRequest& r) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return Status(StatusCode::kNotFound, "");  // printed already
    search::SearchRequest request = r;
    // Freshness states cost a look at every product's runs: only when filtering by them.
    if (!r.status.empty()) {
        TESSERA_ASSIGN_OR_RETURN(auto states, engine::ProductStates(*cat, std::time(nullptr)));
        for (const auto& s : states) request.states[s.product] = s.state;
    }
    return search::Search(*cat, request);
}

int RunSearch(Context& ctx, const search::SearchRequest& r) {
    auto result = ctx.Remote() ? SearchRemote(ctx, r) : SearchLocal(ctx, r);
    if (!result.ok()) return result.status().message().empty() ? ctx.exit_code : ctx.Fail(result.status());
    const auto& page = result->page;
    if (ctx.Structured()) {
        nlohmann::ordered_json j;
        j["query"] = r.text;
        if (!result->corrected.empty()) j["corrected"] = result->corrected;
        j["total"] = page.total;
        j["hits"] = nlohmann::ordered_json::array();
        for (const auto& h : page.hits) {
            j["hits"].push_back({{"product", h.name}, {"score", h.score}, {"text_score", h.text_score}, {"trust", h.trust},
                                 {"matched", h.matched}, {"snippet", h.snippet}});
            if (auto d = result->deprecated.find(h.name); d != result->deprecated.end()) j["hits"].back()["deprecated"] = d->second;
        }
        j["facets"] = page.facets;
        j["next_cursor"] = result->next_cursor.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(result->next_cursor);
        ctx.PrintStructured(j);
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    if (!result->corrected.empty()) std::cout << "showing results for \"" << result->corrected << "\"\n";
    if (page.hits.empty()) {
        std::cout << "no data product matches \"" << r.text << "\"\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : page.hits) {
        char score[32];
        std::snprintf(score, sizeof score, "%.2f", h.score);
        auto d = result->deprecated.find(h.name);
        std::string name = d == result->deprecated.end() ? h.name : h.name + " [deprecated: " + text::Join(d->second, ", ") + "]";
        rows.push_back({name, score, h.matched, h.snippet});
    }
    PrintTable({"PRODUCT", "SCORE", "MATCHED", "WHERE"}, rows);
    std::cout << "\n" << page.total << " match(es)";
    if (!result->next_cursor.empty()) std::cout << "; more with --cursor " << result->next_cursor;
    std::cout << "\n";
    for (const auto& [facet, values] : page.facets) {
        std::vector<std::string> parts;
        for (const auto& [v, n] : values) parts.push_back(v + " (" + std::to_string(n) + ")");
        std::cout << facet << ": " << text::Join(parts, ", ") << "\n";
    }
    return kExitOk;
}

}  // namespace

void RegisterSearch(CLI::App& app, Context& ctx) {
    auto r = std::make_shared<search::SearchRequest>();
    auto* sub = app.add_subcommand("search", "Find data products: ranked full text with facets and typo tolerance");
    sub->add_option("text", r->text, "Words to look for (prefixes match: ord finds orders)")->required();
    sub->add_option("--domain", r->domain, "Only this domain");
    sub->add_option("--owner", r->owner, "Only products of this team");
    sub->add_option("--tag", r->tag, "Only products with this tag");
    sub->add_option("--kind", r->kind, "source-aligned | aggregate | consumer-aligned");
    sub->add_option("--classification", r->classification, "Only products with a column of this classification");
    sub->add_option("--status", r->status, "fresh | stale | failing | never run")
            ->check(CLI::IsMember({"fresh", "stale", "failing", "never run"}));
    sub->add_option("--limit", r->limit, "Results per page (default 20)");
    sub->add_option("--cursor", r->cursor, "The next page, as printed by the previous one");
    sub->callback([&ctx, r] { ctx.run = [&ctx, r] { return RunSearch(ctx, *r); }; });
}

}  // namespace tessera::cli
