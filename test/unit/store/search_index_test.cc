#include "store/internal/search_index.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <sqlite3.h>

#include "store/store.h"

namespace tessera::store {
namespace {

using internal::IndexedProduct;
using internal::SearchChanges;
using internal::SearchIndex;

// A product as a test writes it: name, facet fields, and the text of the other five fields.
struct Product {
    std::string name, domain, owner, kind, tags, classes;
    std::array<std::string, 5> text;  // title, columns, ports, tags, description
    double trust = 1;
};

const std::vector<Product> kCorpus = {
        {"orders.order_facts", "orders", "team/o", "aggregate", "|sales|", "|pii|",
         {"Order facts", "order_id The order\norder_total Total revenue of the order\n", "daily Daily",
          "sales ", "One row per order line."}, 1.5},
        {"orders.orders", "orders", "team/o", "source-aligned", "|sales|", "",
         {"Orders", "order_id\nstatus Order status\n", "main", "sales ", "Raw orders."}, 1.0},
        {"users.customers", "users", "team/u", "source-aligned", "|crm|", "|pii|",
         {"Customers", "email Login\nlifetime_revenue Revenue of all orders\n", "main", "crm ", "People who ordered."},
         1.25},
        {"marketing.daily_revenue", "marketing", "team/m", "consumer-aligned", "|finance|", "",
         {"Daily revenue", "day\nrevenue Revenue\nmargin Margin\n", "main", "finance ", "Revenue per day."}, 1.0},
        {"traffic.sessions", "traffic", "team/t", "aggregate", "", "",
         {"Sessions", "session_id\ncustomer_id The customer\n", "main", "", "One row per session."}, 1.1},
};

IndexedProduct View(const Product& p, int64_t id) {
    IndexedProduct v;
    v.id = id;
    v.domain = p.domain;
    v.owner = p.owner;
    v.kind = p.kind;
    v.tags = p.tags;
    v.classifications = p.classes;
    v.trust = p.trust;
    v.text[0] = p.name;
    for (size_t f = 1; f < internal::kSearchFields; ++f) v.text[f] = p.text[f - 1];
    return v;
}

void Load(SearchIndex& index, const std::vector<Product>& products, int64_t sequence) {
    Status st = index.CatchUp(sequence, [&](int64_t, SearchChanges& changes) {
        changes.ReplaceAll();
        for (size_t i = 0; i < products.size(); ++i) changes.Put(View(products[i], static_cast<int64_t>(i + 1)));
        changes.SetSequence(sequence);
        return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
}

SearchQuery Terms(std::vector<std::string> terms) {
    SearchQuery q;
    q.terms = std::move(terms);
    return q;
}

// BM25F written out from docs/search.md, independently of the index: words are runs of letters
// and digits, lower-cased; a query word matches every word it begins.
std::vector<std::string> Words(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!w.empty()) {
            out.push_back(w);
            w.clear();
        }
    }
    return out;
}

std::map<std::string, double> ReferenceBm25(const std::vector<Product>& corpus, const std::vector<std::string>& terms) {
    const double weights[] = {10, 5, 3, 2, 2, 1};
    auto fields = [](const Product& p) {
        return std::array<std::string, 6>{p.name, p.text[0], p.text[1], p.text[2], p.text[3], p.text[4]};
    };
    double total_length = 0;
    std::vector<double> held(terms.size(), 0);
    for (const auto& p : corpus) {
        std::vector<bool> has(terms.size(), false);
        for (const auto& f : fields(p)) {
            for (const auto& w : Words(f)) {
                total_length += 1;
                for (size_t t = 0; t < terms.size(); ++t) has[t] = has[t] || w.rfind(terms[t], 0) == 0;
            }
        }
        for (size_t t = 0; t < terms.size(); ++t) held[t] += has[t] ? 1 : 0;
    }
    const double n = static_cast<double>(corpus.size()), mean = total_length / n;
    std::map<std::string, double> out;
    for (const auto& p : corpus) {
        std::vector<double> freq(terms.size(), 0);
        double length = 0;
        auto fs = fields(p);
        for (size_t f = 0; f < 6; ++f) {
            for (const auto& w : Words(fs[f])) {
                length += 1;
                for (size_t t = 0; t < terms.size(); ++t) freq[t] += w.rfind(terms[t], 0) == 0 ? weights[f] : 0;
            }
        }
        double score = 0;
        bool all = true;
        for (size_t t = 0; t < terms.size(); ++t) {
            all = all && freq[t] > 0;
            const double idf = std::log(1 + (n - held[t] + 0.5) / (held[t] + 0.5));
            score += idf * freq[t] * 2.2 / (freq[t] + 1.2 * (0.25 + 0.75 * length / mean));
        }
        if (all) out[p.name] = score + internal::AddressBonus(p.name, terms);
    }
    return out;
}

TEST(SearchIndex, RanksByBm25fWithFieldWeightsAddressBonusAndTrust) {
    SearchIndex index;
    Load(index, kCorpus, 1);
    for (const auto& terms : std::vector<std::vector<std::string>>{
                 {"revenue"}, {"order"}, {"ord", "rev"}, {"customer"}, {"daily", "revenue"}, {"o"}, {"one", "row"}}) {
        SearchQuery q = Terms(terms);
        SearchIndex::Ranked r = index.Query(q);
        auto expected = ReferenceBm25(kCorpus, terms);
        ASSERT_EQ(r.total, static_cast<int64_t>(expected.size())) << terms[0];
        ASSERT_EQ(r.page.size(), expected.size());
        for (size_t i = 0; i < r.page.size(); ++i) {
            EXPECT_NEAR(r.page[i].text, expected[r.page[i].name], 1e-9) << terms[0] << " " << r.page[i].name;
            if (i > 0) {  // by score, then trust, then name
                const auto& a = r.page[i - 1];
                const auto& b = r.page[i];
                EXPECT_TRUE(a.text * a.trust > b.text * b.trust ||
                            (a.text * a.trust == b.text * b.trust &&
                             (a.trust > b.trust || (a.trust == b.trust && a.name < b.name))));
            }
        }
    }
}

TEST(SearchIndex, MatchesEveryWordAsThePrefixOfAWord) {
    SearchIndex index;
    Load(index, kCorpus, 1);
    EXPECT_EQ(index.Query(Terms({"rev"})).total, 3);  // order_facts, customers, daily_revenue
    EXPECT_EQ(index.Query(Terms({"REV", "margin"})).total, 1);
    EXPECT_EQ(index.Query(Terms({"evenue"})).total, 0) << "inside a word is no match";
    EXPECT_EQ(index.Query(Terms({"revenue", "session"})).total, 0) << "every word is required";
    EXPECT_EQ(index.Query(Terms({"zzz"})).total, 0);
    SearchQuery page = Terms({"o"});
    page.limit = 2;
    page.offset = 1;
    SearchIndex::Ranked all = index.Query(Terms({"o"}));
    SearchIndex::Ranked second = index.Query(page);
    ASSERT_EQ(second.page.size(), 2u);
    EXPECT_EQ(second.page[0].name, all.page[1].name);
    EXPECT_EQ(second.page[1].name, all.page[2].name);
}

TEST(SearchIndex, FiltersAndCountsFacetsOverEveryMatchIgnoringTheirOwnFilter) {
    SearchIndex index;
    Load(index, kCorpus, 1);
    SearchQuery q = Terms({"revenue"});
    q.domain = "orders";
    SearchIndex::Ranked r = index.Query(q);
    EXPECT_EQ(r.total, 1);
    EXPECT_EQ(r.page[0].name, "orders.order_facts");
    EXPECT_EQ(r.facets["domain"], (std::map<std::string, int64_t>{{"marketing", 1}, {"orders", 1}, {"users", 1}}));
    EXPECT_EQ(r.facets["classification"], (std::map<std::string, int64_t>{{"pii", 1}}));
    EXPECT_EQ(r.facets["kind"], (std::map<std::string, int64_t>{{"aggregate", 1}}));
    q.domain.clear();
    q.classification = "pii";
    q.states = {{"users.customers", "fresh"}, {"orders.order_facts", "stale"}};
    q.status = "stale";
    r = index.Query(q);
    EXPECT_EQ(r.total, 1);
    EXPECT_EQ(r.facets["status"], (std::map<std::string, int64_t>{{"fresh", 1}, {"stale", 1}}));
    EXPECT_EQ(r.facets["classification"], (std::map<std::string, int64_t>{{"pii", 1}}));
    q.owner = "nobody";  // a value no product holds matches nothing
    EXPECT_EQ(index.Query(q).total, 0);
}

TEST(SearchIndex, AppliesChangesAndNeverShowsARemovedOrReplacedVersion) {
    SearchIndex index;
    Load(index, kCorpus, 1);
    Product renamed = kCorpus[1];
    renamed.text[0] = "Purchase ledger";
    for (int round = 0; round < 3000; ++round) {  // enough replaced versions to compact the slots
        Status st = index.CatchUp(2 + round, [&](int64_t since, SearchChanges& changes) {
            EXPECT_EQ(since, 1 + round);
            changes.Put(View(renamed, 100 + round));
            if (round == 0) changes.Remove("traffic.sessions");
            changes.SetSequence(2 + round);
            return Status::Ok();
        });
        ASSERT_TRUE(st.ok());
    }
    EXPECT_EQ(index.size(), kCorpus.size() - 1);
    EXPECT_EQ(index.Query(Terms({"session"})).total, 0);
    auto ledger = index.Query(Terms({"ledger"}));
    ASSERT_EQ(ledger.total, 1);
    EXPECT_EQ(ledger.page[0].id, 100 + 2999);
    EXPECT_EQ(index.Query(Terms({"purchase"})).total, 1) << "one version only";
    for (const auto& t : index.Vocabulary()) EXPECT_NE(t.term, "session") << "a removed product's words";
}

TEST(SearchIndex, KeepsTheIndexAsItWasWhenReadingFails) {
    SearchIndex index;
    Load(index, kCorpus, 5);
    Status st = index.CatchUp(6, [](int64_t, SearchChanges& changes) {
        changes.Remove("orders.orders");
        return Status(StatusCode::kUnavailable, "locked");
    });
    EXPECT_EQ(st.code(), StatusCode::kUnavailable);
    EXPECT_EQ(index.sequence(), 5);
    EXPECT_EQ(index.Query(Terms({"orders"})).total, 3);
}

TEST(SearchIndex, SnippetsBracketEveryMatchInTheFieldWithTheMostQueryWords) {
    std::array<std::string, internal::kSearchFields> fields = {
            "orders.order_facts", "Order facts", "order_id The order\norder_total Total revenue of the order\n",
            "daily", "sales ", "One row per order line."};
    auto s = internal::MakeSnippet(fields, {"order", "total"});
    EXPECT_EQ(s.field, "columns");
    EXPECT_EQ(s.text, "[order]_id The [order]");
    s = internal::MakeSnippet(fields, {"fact"});
    EXPECT_EQ(s.field, "name");
    EXPECT_EQ(s.text, "orders.order_[facts]");
    EXPECT_EQ(internal::MakeSnippet(fields, {"zzz"}).field, "");
}

// --- Through the store: the feed, other connections and processes, threads ---

class SearchFeedTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tessera_feed_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        path_ = (dir_ / "catalog.db").string();
        store_ = std::move(OpenSqlite(path_)).value();
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    static Change Put(const std::string& name, const std::string& title) {
        Change c{Change::kPut, "DataProduct", name, name.substr(0, name.find('.')), "{}", "f.yaml", {}, std::nullopt};
        SearchDocument d;
        d.domain = c.scope;
        d.owner = "team/" + c.scope;
        d.kind = "aggregate";
        d.title = title;
        c.search = d;
        return c;
    }
    static Change Delete(const std::string& name) {
        return {Change::kDelete, "DataProduct", name, name.substr(0, name.find('.')), "", "", {}, std::nullopt};
    }
    static std::vector<std::string> Names(Store& store, const std::string& word) {
        SearchQuery q;
        q.terms = {word};
        q.limit = 1000;
        auto page = store.Search(q);
        EXPECT_TRUE(page.ok()) << page.status().ToString();
        std::vector<std::string> out;
        if (page.ok()) {
            for (const auto& h : page->hits) out.push_back(h.name);
        }
        return out;
    }
    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(SearchFeedTest, AProductIsFindableAsSoonAsTheCommitReturnsAndADeletedOneNeverShows) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "Revenue ledger")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "ledger"), std::vector<std::string>{"a.x"});
    ASSERT_TRUE(store_->Commit({{Put("a.x", "Cost book")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "ledger"), std::vector<std::string>{});
    EXPECT_EQ(Names(*store_, "cost"), std::vector<std::string>{"a.x"});
    ASSERT_TRUE(store_->Commit({{Delete("a.x")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "cost"), std::vector<std::string>{});
    auto vocabulary = store_->SearchVocabulary();
    ASSERT_TRUE(vocabulary.ok());
    EXPECT_TRUE(vocabulary->empty());
}

TEST_F(SearchFeedTest, MigratesTheTextOfAnFts5IndexOfSchemaVersionSix) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "Revenue ledger")}, "t", "", std::nullopt}).ok());
    store_.reset();
    // What a Tessera of schema version 6 left behind: the text in FTS5, no feed.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE VIRTUAL TABLE search_index USING fts5(name, title, columns, ports, tags, description); "
                           "INSERT INTO search_index (rowid, name, title, columns, ports, tags, description) "
                           "SELECT t.id, d.name, t.title, t.columns, t.ports, t.tags, t.description "
                           "FROM search_text t JOIN search_docs d ON d.id = t.id; "
                           "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row'); "
                           "DROP TABLE search_text; DROP TABLE search_changes; DROP TABLE catalog_secrets; PRAGMA user_version = 6",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto upgraded = OpenSqlite(path_);
    ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
    EXPECT_EQ((*upgraded)->SchemaVersion(), 8);
    SearchQuery q;
    q.terms = {"ledger"};
    auto page = (*upgraded)->Search(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_EQ(page->total, 1);
    EXPECT_EQ(page->hits[0].snippet, "Revenue [ledger]");
    ASSERT_TRUE((*upgraded)->Commit({{Put("a.y", "Ledger")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(**upgraded, "ledger"), (std::vector<std::string>{"a.y", "a.x"}));
}

TEST_F(SearchFeedTest, AWriteFromAnotherProcessShowsInTheNextSearch) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "Revenue ledger")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "revenue"), std::vector<std::string>{"a.x"});
    // Another process has an index of its own; only the database connects them.
    auto in_child = [&](const std::function<bool(Store&)>& body) {
        pid_t pid = fork();
        if (pid == 0) {
            auto other = OpenSqlite(path_);
            _exit(other.ok() && body(**other) ? 0 : 1);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };
    ASSERT_TRUE(in_child([](Store& s) { return s.Commit({{Put("b.y", "Revenue forecast")}, "t", "", std::nullopt}).ok(); }));
    EXPECT_EQ(Names(*store_, "revenue"), (std::vector<std::string>{"a.x", "b.y"}));
    ASSERT_TRUE(in_child([](Store& s) { return s.Commit({{Delete("a.x")}, "t", "", std::nullopt}).ok(); }));
    EXPECT_EQ(Names(*store_, "revenue"), std::vector<std::string>{"b.y"});
}

// A one-shot process starts from the snapshot the last full load wrote, then reads the feed since.
TEST_F(SearchFeedTest, ANewProcessStartsFromTheSnapshotAndReadsOnlyWhatChangedSince) {
    std::vector<Change> first;
    for (int i = 0; i < 50; ++i) first.push_back(Put("a.p" + std::to_string(i), "Revenue item"));
    ASSERT_TRUE(store_->Commit({first, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "revenue").size(), 50u);  // the first load writes the snapshot
    ASSERT_TRUE(std::filesystem::exists(path_ + "-search"));
    ASSERT_TRUE(store_->Commit({{Put("b.y", "Revenue forecast"), Delete("a.p7")}, "t", "", std::nullopt}).ok());
    store_.reset();  // no index of this file left in this process: the children start afresh
    auto in_child = [&](const std::function<bool()>& body) {
        pid_t pid = fork();
        if (pid == 0) _exit(body() ? 0 : 1);
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };
    auto sees_the_latest = [&] {
        auto other = OpenSqlite(path_);
        if (!other.ok()) return false;
        auto names = Names(**other, "revenue");
        return names.size() == 50u && std::find(names.begin(), names.end(), "b.y") != names.end() &&
               std::find(names.begin(), names.end(), "a.p7") == names.end();
    };
    EXPECT_TRUE(in_child(sees_the_latest));
    {  // a damaged snapshot is ignored
        std::ofstream damage(path_ + "-search", std::ios::binary | std::ios::trunc);
        damage << "TSIX not an index";
    }
    EXPECT_TRUE(in_child(sees_the_latest));
}

TEST_F(SearchFeedTest, ACatalogCreatedAgainAtTheSamePathIsReadAfresh) {
    ASSERT_TRUE(store_->Commit({{Put("a.x", "Revenue ledger")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(*store_, "revenue"), std::vector<std::string>{"a.x"});
    auto keep = OpenSqlite(path_);  // holds the shared index of this path, which has read a.x
    ASSERT_TRUE(keep.ok());
    store_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
    auto fresh = OpenSqlite(path_);
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE((*fresh)->Commit({{Put("b.y", "Revenue forecast")}, "t", "", std::nullopt}).ok());
    EXPECT_EQ(Names(**fresh, "revenue"), std::vector<std::string>{"b.y"});
}

TEST_F(SearchFeedTest, ReadersShareOneIndexWhileAWriterCommits) {
    std::vector<Change> first;
    for (int i = 0; i < 200; ++i) first.push_back(Put("a.p" + std::to_string(i), "Revenue item"));
    ASSERT_TRUE(store_->Commit({first, "t", "", std::nullopt}).ok());
    std::atomic<bool> done{false};
    std::atomic<int> failures{0}, searches{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
        readers.emplace_back([&] {
            auto mine = OpenSqlite(path_);  // one connection per thread, as the server's pool
            if (!mine.ok()) {
                ++failures;
                return;
            }
            while (!done) {
                SearchQuery q;
                q.terms = {"revenue"};
                q.limit = 5;
                auto page = (*mine)->Search(q);
                if (!page.ok() || page->total < 200 || page->hits.size() != 5) ++failures;
                ++searches;
            }
        });
    }
    auto writer = OpenSqlite(path_);
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 30; ++i) {
        const std::string name = "b.w" + std::to_string(i);
        ASSERT_TRUE((*writer)->Commit({{Put(name, "Revenue forecast " + std::to_string(i))}, "t", "", std::nullopt}).ok());
        // The writer's own next search sees it, whatever the readers are doing.
        EXPECT_EQ(Names(**writer, "forecast").size(), static_cast<size_t>(i + 1));
        if (i % 3 == 0) {
            ASSERT_TRUE((*writer)->Commit({{Delete("a.p" + std::to_string(i))}, "t", "", std::nullopt}).ok());
            auto gone = Names(**writer, "p" + std::to_string(i));
            EXPECT_TRUE(std::find(gone.begin(), gone.end(), "a.p" + std::to_string(i)) == gone.end());
        }
    }
    done = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(failures, 0);
    EXPECT_GT(searches, 0);
    EXPECT_EQ(Names(*store_, "revenue").size(), 200u + 30u - 10u);
}

}  // namespace
}  // namespace tessera::store
