// Search benchmark: times 1,000 mixed queries through Tessera's search (ranking, facets, typo
// correction) against a catalog, prints p50/p99 and the process's RSS, and writes the same
// queries as FTS5 match expressions for the raw-SQLite baseline (bench/search_bench.sh).
//
//   search_bench CATALOG_DB QUERIES_OUT [RESULTS_OUT]
//
// RESULTS_OUT, when given, receives every query's full answer (total, correction, hits with
// scores, where they matched and snippets, facets), one block per query: diffing two of them
// shows whether a change to the index changed what users see.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "search/search.h"

namespace {

long RssKb(const std::string& field = "VmRSS:") {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
    }
    return 0;
}

double CpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::cerr << "usage: search_bench CATALOG_DB QUERIES_OUT [RESULTS_OUT]\n";
        return 2;
    }
    auto cat = tessera::catalog::Catalog::Open(argv[1]);
    if (!cat.ok()) {
        std::cerr << cat.status().ToString() << "\n";
        return 1;
    }
    // The first look at the index in a process loads it (what a one-shot `tessera search` pays).
    const auto load_start = std::chrono::steady_clock::now();
    const double load_cpu_start = CpuMs();
    {
        tessera::search::SearchRequest warm;
        warm.text = "a";
        warm.limit = 1;
        (void)tessera::search::Search(**cat, warm);
    }
    const double load_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
    const double load_cpu = CpuMs() - load_cpu_start;
    const long load_rss_kb = RssKb(), load_anon_kb = RssKb("RssAnon:"), load_file_kb = RssKb("RssFile:");
    auto vocabulary = (*cat)->SearchVocabulary();
    if (!vocabulary.ok() || vocabulary->empty()) {
        std::cerr << "empty index\n";
        return 1;
    }
    std::vector<std::string> words;
    for (const auto& [w, documents] : *vocabulary) {
        if (w.size() >= 4 && !std::isdigit(static_cast<unsigned char>(w[0]))) words.push_back(w);
    }
    std::mt19937 rng(42);
    auto word = [&] { return words[std::uniform_int_distribution<size_t>(0, words.size() - 1)(rng)]; };
    std::vector<std::string> queries;
    for (int i = 0; i < 1000; ++i) {
        int kind = i % 20;
        if (kind < 8) {
            queries.push_back(word());                      // one word
        } else if (kind < 14) {
            queries.push_back(word() + " " + word());       // two words
        } else if (kind < 17) {
            queries.push_back(word().substr(0, 4));         // a prefix
        } else {
            std::string w = word();                         // a typo: two letters swapped
            std::swap(w[1], w[2]);
            queries.push_back(w);
        }
    }
    std::ofstream out(argv[2]);
    std::ofstream results;
    if (argc == 4) results.open(argv[3]);
    std::vector<double> ms, cpu;
    size_t with_hits = 0;
    for (const auto& q : queries) {
        tessera::search::SearchRequest r;
        r.text = q;
        auto start = std::chrono::steady_clock::now();
        double cpu_start = CpuMs();
        auto result = tessera::search::Search(**cat, r);
        cpu.push_back(CpuMs() - cpu_start);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (!result.ok()) {
            std::cerr << q << ": " << result.status().ToString() << "\n";
            return 1;
        }
        with_hits += !result->page.hits.empty();
        if (results.is_open()) {
            char score[64];
            results << "query " << q << " | corrected " << result->corrected << " | total " << result->page.total << "\n";
            for (const auto& h : result->page.hits) {
                std::snprintf(score, sizeof score, "%.9g %.9g", h.score, h.trust);
                results << "  " << h.name << " " << score << " " << h.matched << " " << h.snippet << "\n";
            }
            for (const auto& [facet, values] : result->page.facets) {
                results << "  facet " << facet << ":";
                for (const auto& [v, n] : values) results << " " << v << "=" << n;
                results << "\n";
            }
        }
        // The same words as an FTS5 expression: prefixes, all required.
        std::string expr;
        size_t pos = 0;
        while (pos < q.size()) {
            size_t end = q.find(' ', pos);
            std::string term = q.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
            expr += (expr.empty() ? "" : " AND ") + std::string("\"") + term + "\"*";
            if (end == std::string::npos) break;
            pos = end + 1;
        }
        out << expr << "\n";
    }
    std::vector<size_t> order(ms.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ms[a] > ms[b]; });
    std::printf("slowest:");
    for (size_t i = 0; i < 5; ++i) std::printf(" \"%s\" %.1f ms;", queries[order[i]].c_str(), ms[order[i]]);
    std::printf("\n");
    std::printf("index load (first search in a process): %.0f ms wall, %.0f ms cpu, RSS after it %ld MB (%ld MB "
                "anonymous, %ld MB of mapped files)\n", load_ms, load_cpu, load_rss_kb / 1024, load_anon_kb / 1024,
                load_file_kb / 1024);
    std::printf("tessera search: 1000 queries (%zu with hits), p50 %.2f ms, p99 %.2f ms, RSS %ld MB (%ld MB anonymous, "
                "%ld MB of mapped files)\n", with_hits, Percentile(ms, 0.5), Percentile(ms, 0.99), RssKb() / 1024,
                RssKb("RssAnon:") / 1024, RssKb("RssFile:") / 1024);
    // CPU time tells the work apart from waiting for a busy machine's cores.
    std::printf("  cpu time per query: p50 %.2f ms, p99 %.2f ms\n", Percentile(cpu, 0.5), Percentile(cpu, 0.99));
    return 0;
}
