#pragma once

// The search index's ranking function, `tessera_bm25(search_index, w0, w1, …)`: BM25F like FTS5's
// own `bm25()` (k1 = 1.2, b = 0.75, weighted term frequency per column), except for the IDF.
// FTS5 uses ln((N - n + 0.5) / (n + 0.5)) floored to 1e-6, which makes every word that half of the
// products hold worth nothing, in a catalog of 12 products as in one of 100,000; we use the
// always-positive ln(1 + (N - n + 0.5) / (n + 0.5)) (Lucene's), which only fades for words nearly
// every product holds. Returns the score as a positive number (higher is better).

#include <sqlite3.h>

#include "common/status.h"

namespace tessera::store::internal {

// Registers `tessera_bm25` on `db` (once per connection).
Status RegisterRanking(sqlite3* db);

}  // namespace tessera::store::internal
