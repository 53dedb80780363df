#include "store/internal/ranking.h"

#include <cmath>
#include <vector>

namespace tessera::store::internal {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What one MATCH query needs once, whatever the row: the IDF of each phrase and the mean length.
struct QueryStats {
    std::vector<double> idf;
    double mean_tokens = 1;
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* user) {
    ++*static_cast<sqlite3_int64*>(user);
    return SQLITE_OK;
}

int Stats(const Fts5ExtensionApi* api, Fts5Context* fts, QueryStats** out) {
    auto* stats = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0));
    if (stats) {
        *out = stats;
        return SQLITE_OK;
    }
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) return rc;
    auto owned = new QueryStats;  // handed to SQLite, which frees it with the query
    owned->mean_tokens = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1;
    const int phrases = api->xPhraseCount(fts);
    for (int i = 0; i < phrases && rc == SQLITE_OK; ++i) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, CountRow);
        const double n = static_cast<double>(hits), total = static_cast<double>(rows);
        owned->idf.push_back(std::log(1.0 + (total - n + 0.5) / (n + 0.5)));
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, owned, [](void* p) { delete static_cast<QueryStats*>(p); });
    if (rc != SQLITE_OK) return rc;
    *out = owned;
    return SQLITE_OK;
}

void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int nargs, sqlite3_value** args) {
    QueryStats* stats = nullptr;
    int rc = Stats(api, fts, &stats);
    int instances = 0, row_tokens = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    std::vector<double> frequency(stats ? stats->idf.size() : 0, 0.0);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc != SQLITE_OK) break;
        const double weight = column < nargs ? sqlite3_value_double(args[column]) : 1.0;
        frequency[static_cast<size_t>(phrase)] += weight;
    }
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &row_tokens);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    const double length = static_cast<double>(row_tokens) / stats->mean_tokens;
    double score = 0;
    for (size_t i = 0; i < frequency.size(); ++i) {
        const double f = frequency[i];
        score += stats->idf[i] * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * length));
    }
    sqlite3_result_double(ctx, score);
}

}  // namespace

Status RegisterRanking(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (!api) return Status(StatusCode::kInternal, "this SQLite has no FTS5: the catalog's search needs it");
    rc = api->xCreateFunction(api, "tessera_bm25", nullptr, &Bm25, nullptr);
    if (rc != SQLITE_OK) return Status(StatusCode::kInternal, "cannot register the search ranking function");
    return Status::Ok();
}

}  // namespace tessera::store::internal
