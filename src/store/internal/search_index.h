#pragma once

// The search index of products, held in memory: postings per word with each product's weighted
// term frequency, each product's length, interned facet values and trust boost in dense arrays.
// A query is matched, filtered, counted for facets and ranked here (BM25F + address bonus, times
// trust; docs/search.md) without touching the database; the store only supplies the products'
// text (SqliteStore reads its change feed, `search_changes`, and calls `CatchUp`).
//
//   auto index = internal::SharedSearchIndex("/home/me/.tessera/catalog.db");
//   TESSERA_RETURN_IF_ERROR(index->CatchUp(latest_sequence, read_changes_since));
//   SearchIndex::Ranked ranked = index->Query(query);          // page rows, total, facets
//   internal::Snippet s = internal::MakeSnippet(fields, terms);  // from a page row's text
//
// A new process starts from the snapshot the last full load left beside the catalog, when there
// is one, and reads only the feed since (docs/search.md).
//
// Thread safety: one index is shared by every store of one database file in the process (see
// `SharedSearchIndex`). Queries take a shared lock and never block each other; `CatchUp` lets one
// thread at a time read the changes from its own connection (readers go on meanwhile) and takes
// the exclusive lock only to apply them.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace tessera::store::internal {

class SearchChanges;
struct SearchIndexData;  // search_index.cc

// The indexed fields in order, with their BM25F weights: name 10, title 5, columns 3, ports 2,
// tags 2, description 1.
inline constexpr int kSearchFields = 6;
inline constexpr std::array<const char*, kSearchFields> kSearchFieldNames = {"name",  "title", "columns",
                                                                             "ports", "tags",  "description"};
inline constexpr std::array<int, kSearchFields> kSearchFieldWeights = {10, 5, 3, 2, 2, 1};

// Calls `on_token(begin, end)` for every word of `text`: a run of ASCII letters and digits and
// bytes of UTF-8 sequences (FTS5's unicode61 tokenizer on ASCII text; `order_total` is two words).
template <typename F>
void ForEachToken(std::string_view text, F&& on_token) {
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
        auto word = [&](size_t at) {
            const auto u = static_cast<unsigned char>(text[at]);
            return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
        };
        while (i < n && !word(i)) ++i;
        const size_t start = i;
        while (i < n && word(i)) ++i;
        if (i > start) on_token(start, i);
    }
}

// One product as the index takes it: its facet fields, trust and the text of its six fields.
// Views into the caller's buffers (a row being read), copied or tokenized at once.
struct IndexedProduct {
    int64_t id = 0;  // the product's row in `search_docs` (its text is in `search_text`)
    std::string_view domain, owner, kind;
    std::string_view tags, classifications;  // "|a|b|"
    double trust = 1;
    std::array<std::string_view, kSearchFields> text;  // text[0] is the name ("orders.order_facts")
};

class SearchIndex {
public:
    // `snapshot`: a file where the index keeps a copy of itself after a full load, so that the next
    // process (a one-shot `tessera search`) starts from it and reads only the feed since; empty for
    // none. A snapshot that is missing, damaged, of another format or another catalog is ignored.
    explicit SearchIndex(std::string snapshot = "");
    ~SearchIndex();
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    // The change-feed sequence the index reflects; -1 before the first load.
    int64_t sequence() const { return sequence_.load(std::memory_order_acquire); }

    // Brings the index up to `latest` (the feed's newest sequence as the caller's connection sees
    // it): unless it is there already, calls `read(sequence())` (one caller at a time) and applies
    // what it filled in. `read` must call `ReplaceAll` when it cannot list the changes since that
    // sequence (never loaded: -1; feed pruned; or the feed went backwards: another database).
    // Passes on `read`'s error and leaves the index as it was.
    Status CatchUp(int64_t latest, const std::function<Status(int64_t since, SearchChanges& changes)>& read);

    // One matched product of a query's page.
    struct Row {
        int64_t id = 0;     // its row in `search_docs`
        std::string name;
        double text = 0;    // BM25F + address bonus
        double trust = 1;
    };
    struct Ranked {
        std::vector<Row> page;  // ranked rows [offset, offset + limit)
        int64_t total = 0;
        std::map<std::string, std::map<std::string, int64_t>> facets;
    };
    // Every product holding all of `query.terms` (each as a prefix of a word), filtered, counted
    // for facets (each facet ignoring its own filter) and ranked: (BM25F + address bonus) × trust,
    // then trust, then name.
    Ranked Query(const SearchQuery& query) const;

    // Every word with the number of products holding it.
    std::vector<VocabularyTerm> Vocabulary() const;

    // Products indexed now.
    size_t size() const;

private:
    void WriteSnapshot() const;

    const std::string snapshot_;
    mutable std::shared_mutex mutex_;  // guards `data_`
    std::mutex catch_up_;              // one reader of the change feed at a time
    std::unique_ptr<SearchIndexData> data_;
    std::atomic<int64_t> sequence_{-1};  // written under `catch_up_` and `mutex_`; read anywhere
};

// What the change feed says happened since the index's sequence; filled by the reader that
// `SearchIndex::CatchUp` calls, from one snapshot of the database.
class SearchChanges {
public:
    // The changes replace the whole index (the reader then puts every product).
    void ReplaceAll();
    // The current version of a changed product.
    void Put(const IndexedProduct& product);
    // A changed product that no longer exists.
    void Remove(std::string_view name);
    // The feed's newest entry these changes include.
    void SetSequence(int64_t sequence) { sequence_ = sequence; }
    ~SearchChanges();

private:
    friend class SearchIndex;
    struct Owned {
        int64_t id = 0;
        std::string domain, owner, kind, tags, classifications;
        double trust = 1;
        std::array<std::string, kSearchFields> text;
    };
    explicit SearchChanges(int64_t since);
    int64_t since_;
    int64_t sequence_ = 0;
    std::unique_ptr<SearchIndexData> full_;  // set by ReplaceAll: the new index, built row by row
    std::vector<Owned> products_;
    std::vector<std::string> removed_;
};

// The index of the database at `path`, shared by every caller in this process that names the same
// file (created empty on first use; freed with its last holder), with its snapshot in
// `path` + "-search" (docs/search.md). An empty path or ":memory:" gets an index of its own,
// without a snapshot.
std::shared_ptr<SearchIndex> SharedSearchIndex(const std::string& path);

// What the address says about a query, on top of BM25 (docs/search.md): 0 to 2.
double AddressBonus(std::string_view address, const std::vector<std::string>& terms);

// The field where most of the query's distinct words matched, and that field's line of the first
// match with every matching word in [brackets] (at most 160 characters). `fields` holds the six
// fields' text in order. Empty `field` when no word matched.
struct Snippet {
    std::string field;
    std::string text;
};
Snippet MakeSnippet(const std::array<std::string, kSearchFields>& fields, const std::vector<std::string>& terms);

}  // namespace tessera::store::internal
