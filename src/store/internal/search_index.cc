#include "store/internal/search_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace tessera::store::internal {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr uint32_t kNone = UINT32_MAX;
// A posting's weight keeps its top bit for "the word is in the product's name": only then can the
// query earn an address bonus there (names are words joined by `.` and `_`).
constexpr uint16_t kInName = 0x8000;
constexpr uint16_t kMaxWeight = 0x7fff;
constexpr uint32_t kNamed = 0x80000000u;  // the same, in a query's accumulated frequency

struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct WordEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The query's words as the index spells them: lower case, empty ones dropped.
std::vector<std::string> Normalized(const std::vector<std::string>& terms) {
    std::vector<std::string> out;
    for (const auto& t : terms) {
        std::string w;
        for (char c : t) {
            if (c != '"') w += Lower(c);
        }
        if (!w.empty()) out.push_back(std::move(w));
    }
    return out;
}

bool StartsWith(std::string_view word, std::string_view prefix) {
    return word.size() >= prefix.size() && word.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

struct SearchIndexData {
    struct Doc {
        int64_t id = 0;
        std::string name;
        std::vector<uint32_t> tags, classes;
    };
    // What a query reads of every match, packed (two per cache line): facet values, length,
    // trust, and where its tags and then classifications sit in `facet_values`.
    struct Hot {
        uint32_t domain = 0, owner = 0, kind = 0;
        uint32_t length = 0;  // words in all fields
        double trust = 1;
        uint32_t facets = 0;
        uint16_t tags = 0, classes = 0;
    };
    std::vector<Doc> docs;        // by slot; a changed product gets a new slot
    std::vector<Hot> hot;         // by slot
    std::vector<uint32_t> facet_values;
    std::vector<uint8_t> alive;   // by slot
    std::unordered_map<std::string, uint32_t> slot_of;  // name -> slot of its current version
    size_t live = 0;
    int64_t total_length = 0;     // of live products

    // Word ids by word: open addressing over a power-of-two table of id + 1 (0: empty), with each
    // word's hash kept, since loading looks up every word of every product.
    std::vector<uint32_t> word_table;
    std::vector<uint32_t> word_hash;  // by word id
    std::vector<std::string> words;
    std::vector<uint32_t> sorted;  // word ids in the words' order, for prefixes
    // Per word: the slots holding it (ascending) and there its weighted frequency: the sum over
    // its occurrences of the field's weight.
    std::vector<std::vector<uint32_t>> post_slots;
    std::vector<std::vector<uint16_t>> post_weights;

    std::unordered_map<std::string, uint32_t, WordHash, WordEq> value_ids;  // facet values, interned
    std::vector<std::string> values;

    std::vector<uint32_t> scratch;  // per word id, while adding one product
    std::vector<uint32_t> touched;
    std::string lower;

    uint32_t Intern(std::string_view v) {
        auto it = value_ids.find(v);
        if (it != value_ids.end()) return it->second;
        const auto id = static_cast<uint32_t>(values.size());
        values.emplace_back(v);
        value_ids.emplace(values.back(), id);
        return id;
    }
    std::vector<uint32_t> InternBars(std::string_view bars) {  // "|a|b|" -> ids of a and b
        std::vector<uint32_t> out;
        size_t start = 1;
        while (start < bars.size()) {
            size_t end = bars.find('|', start);
            if (end == std::string_view::npos) break;
            if (end > start) out.push_back(Intern(bars.substr(start, end - start)));
            start = end + 1;
        }
        return out;
    }

    void RebuildWordTable(size_t size) {
        word_table.assign(size, 0);
        const size_t mask = word_table.size() - 1;
        for (size_t id = 0; id < words.size(); ++id) {
            size_t i = word_hash[id] & mask;
            while (word_table[i] != 0) i = (i + 1) & mask;
            word_table[i] = static_cast<uint32_t>(id + 1);
        }
    }

    static uint32_t HashWord(std::string_view w) {
        uint64_t h = 1469598103934665603ULL;  // FNV-1a
        for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        return static_cast<uint32_t>(h ^ (h >> 32));
    }

    uint32_t Word(std::string_view w) {
        if (words.size() * 2 >= word_table.size()) RebuildWordTable(std::max<size_t>(1024, word_table.size() * 2));
        const uint32_t h = HashWord(w);
        const size_t mask = word_table.size() - 1;
        size_t i = h & mask;
        for (uint32_t e = word_table[i]; e != 0; e = word_table[i]) {
            if (word_hash[e - 1] == h && words[e - 1] == w) return e - 1;
            i = (i + 1) & mask;
        }
        const auto id = static_cast<uint32_t>(words.size());
        words.emplace_back(w);
        word_hash.push_back(h);
        word_table[i] = id + 1;
        post_slots.emplace_back();
        post_weights.emplace_back();
        scratch.push_back(0);
        return id;
    }

    void Remove(std::string_view name) {
        auto it = slot_of.find(std::string(name));
        if (it == slot_of.end()) return;
        alive[it->second] = 0;
        --live;
        total_length -= hot[it->second].length;
        slot_of.erase(it);
    }

    void Add(int64_t id, std::string_view domain, std::string_view owner, std::string_view kind,
             std::string_view tags, std::string_view classifications, double trust,
             const std::array<std::string_view, kSearchFields>& text) {
        Remove(text[0]);
        const auto slot = static_cast<uint32_t>(docs.size());
        Doc d;
        d.id = id;
        d.name = std::string(text[0]);
        d.tags = InternBars(tags);
        d.classes = InternBars(classifications);
        Hot h;
        h.domain = Intern(domain);
        h.owner = Intern(owner);
        h.kind = Intern(kind);
        h.trust = trust;
        for (int f = 0; f < kSearchFields; ++f) {
            const std::string_view field = text[static_cast<size_t>(f)];
            const auto weight = static_cast<uint32_t>(kSearchFieldWeights[static_cast<size_t>(f)]);
            ForEachToken(field, [&](size_t begin, size_t end) {
                std::string_view token = field.substr(begin, end - begin);
                bool upper = false;
                for (char c : token) upper |= c >= 'A' && c <= 'Z';
                if (upper) {
                    lower.assign(token);
                    for (char& c : lower) c = Lower(c);
                    token = lower;
                }
                const uint32_t w = Word(token);
                if (scratch[w] == 0) touched.push_back(w);
                scratch[w] += weight;
                if (f == 0) scratch[w] |= kNamed;
                ++h.length;
            });
        }
        for (uint32_t w : touched) {
            post_slots[w].push_back(slot);
            const uint32_t weight = std::min<uint32_t>(scratch[w] & ~kNamed, kMaxWeight);
            post_weights[w].push_back(static_cast<uint16_t>(weight | ((scratch[w] & kNamed) ? kInName : 0)));
            scratch[w] = 0;
        }
        touched.clear();
        total_length += h.length;
        ++live;
        slot_of[d.name] = slot;
        AddFacets(h, d);
        hot.push_back(h);
        docs.push_back(std::move(d));
        alive.push_back(1);
    }

    void AddFacets(Hot& h, const Doc& d) {
        h.facets = static_cast<uint32_t>(facet_values.size());
        h.tags = static_cast<uint16_t>(std::min<size_t>(d.tags.size(), UINT16_MAX));
        h.classes = static_cast<uint16_t>(std::min<size_t>(d.classes.size(), UINT16_MAX));
        facet_values.insert(facet_values.end(), d.tags.begin(), d.tags.begin() + h.tags);
        facet_values.insert(facet_values.end(), d.classes.begin(), d.classes.begin() + h.classes);
    }

    // Sorts the words added since the last call into `sorted`.
    void SortWords() {
        const size_t old = sorted.size();
        if (old == words.size()) return;
        for (size_t w = old; w < words.size(); ++w) sorted.push_back(static_cast<uint32_t>(w));
        auto by_word = [&](uint32_t a, uint32_t b) { return words[a] < words[b]; };
        std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(old), sorted.end(), by_word);
        std::inplace_merge(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(old), sorted.end(), by_word);
    }

    // Drops the slots of changed and removed products once they outnumber the live ones.
    void CompactIfWasteful() {
        const size_t dead = docs.size() - live;
        if (dead < 1024 || dead < live) return;
        std::vector<uint32_t> remap(docs.size(), kNone);
        std::vector<Doc> kept;
        std::vector<Hot> kept_hot;
        kept.reserve(live);
        kept_hot.reserve(live);
        facet_values.clear();
        for (size_t s = 0; s < docs.size(); ++s) {
            if (!alive[s]) continue;
            remap[s] = static_cast<uint32_t>(kept.size());
            kept_hot.push_back(hot[s]);
            AddFacets(kept_hot.back(), docs[s]);
            kept.push_back(std::move(docs[s]));
        }
        hot = std::move(kept_hot);
        for (size_t w = 0; w < words.size(); ++w) {
            auto& slots = post_slots[w];
            auto& weights = post_weights[w];
            size_t out = 0;
            for (size_t i = 0; i < slots.size(); ++i) {
                if (remap[slots[i]] == kNone) continue;
                slots[out] = remap[slots[i]];
                weights[out] = weights[i];
                ++out;
            }
            slots.resize(out);
            weights.resize(out);
            slots.shrink_to_fit();
            weights.shrink_to_fit();
        }
        docs = std::move(kept);
        alive.assign(docs.size(), 1);
        slot_of.clear();
        for (size_t s = 0; s < docs.size(); ++s) slot_of[docs[s].name] = static_cast<uint32_t>(s);
    }

    void Finish() {
        SortWords();
        for (size_t w = 0; w < words.size(); ++w) {
            post_slots[w].shrink_to_fit();
            post_weights[w].shrink_to_fit();
        }
    }
};

namespace {

// The snapshot file: "TSIX", a format version, the feed sequence, then the index's arrays as they
// are in memory (this machine's byte order), then "XIST". Read back only by the same format.
constexpr uint32_t kSnapshotMagic = 0x58495354, kSnapshotEnd = 0x54534958, kSnapshotVersion = 1;

class SnapshotWriter {
public:
    explicit SnapshotWriter(std::ofstream& out) : out_(out) {}
    template <typename T>
    void Put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out_.write(reinterpret_cast<const char*>(&v), sizeof v);
    }
    template <typename T>
    void Array(const std::vector<T>& v) {
        Put<uint64_t>(v.size());
        out_.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
    }
    void Text(const std::string& s) {
        Put<uint64_t>(s.size());
        out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    }

private:
    std::ofstream& out_;
};

class SnapshotReader {
public:
    explicit SnapshotReader(std::string_view in) : in_(in) {}
    bool ok() const { return ok_; }
    template <typename T>
    T Get() {
        T v{};
        if (!Need(sizeof v)) return v;
        std::memcpy(&v, in_.data() + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    template <typename T>
    std::vector<T> Array() {
        const auto n = Get<uint64_t>();
        std::vector<T> v;
        if (!ok_ || n > in_.size() / sizeof(T) || !Need(n * sizeof(T))) {
            ok_ = false;
            return v;
        }
        v.resize(n);
        std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));
        at_ += n * sizeof(T);
        return v;
    }
    std::string Text() {
        const auto n = Get<uint64_t>();
        if (!ok_ || !Need(n)) return {};
        std::string s(in_.substr(at_, n));
        at_ += n;
        return s;
    }
    bool AtEnd() const { return ok_ && at_ == in_.size(); }

private:
    bool Need(uint64_t n) {
        if (ok_ && n <= in_.size() - at_) return true;
        ok_ = false;
        return false;
    }
    std::string_view in_;
    size_t at_ = 0;
    bool ok_ = true;
};

void Save(const SearchIndexData& d, int64_t sequence, std::ofstream& out) {
    SnapshotWriter w(out);
    w.Put(kSnapshotMagic);
    w.Put(kSnapshotVersion);
    w.Put(sequence);
    w.Put<uint64_t>(d.live);
    w.Put(d.total_length);
    w.Put<uint64_t>(d.docs.size());
    for (const auto& doc : d.docs) {
        w.Put(doc.id);
        w.Text(doc.name);
        w.Array(doc.tags);
        w.Array(doc.classes);
    }
    w.Array(d.hot);
    w.Array(d.facet_values);
    w.Array(d.alive);
    w.Put<uint64_t>(d.values.size());
    for (const auto& v : d.values) w.Text(v);
    w.Put<uint64_t>(d.words.size());
    for (const auto& v : d.words) w.Text(v);
    w.Array(d.word_hash);
    w.Array(d.sorted);
    for (size_t i = 0; i < d.words.size(); ++i) {
        w.Array(d.post_slots[i]);
        w.Array(d.post_weights[i]);
    }
    w.Put(kSnapshotEnd);
}

// The index in `bytes`, and its sequence; null when it is not a whole snapshot of this format.
std::unique_ptr<SearchIndexData> Load(std::string_view bytes, int64_t* sequence) {
    SnapshotReader r(bytes);
    if (r.Get<uint32_t>() != kSnapshotMagic || r.Get<uint32_t>() != kSnapshotVersion) return nullptr;
    auto d = std::make_unique<SearchIndexData>();
    *sequence = r.Get<int64_t>();
    d->live = r.Get<uint64_t>();
    d->total_length = r.Get<int64_t>();
    const auto docs = r.Get<uint64_t>();
    if (!r.ok() || docs > bytes.size()) return nullptr;
    d->docs.resize(docs);
    for (auto& doc : d->docs) {
        doc.id = r.Get<int64_t>();
        doc.name = r.Text();
        doc.tags = r.Array<uint32_t>();
        doc.classes = r.Array<uint32_t>();
    }
    d->hot = r.Array<SearchIndexData::Hot>();
    d->facet_values = r.Array<uint32_t>();
    d->alive = r.Array<uint8_t>();
    const auto values = r.Get<uint64_t>();
    if (!r.ok() || values > bytes.size()) return nullptr;
    for (uint64_t i = 0; i < values && r.ok(); ++i) d->values.push_back(r.Text());
    const auto words = r.Get<uint64_t>();
    if (!r.ok() || words > bytes.size()) return nullptr;
    d->words.reserve(words);
    for (uint64_t i = 0; i < words && r.ok(); ++i) d->words.push_back(r.Text());
    d->word_hash = r.Array<uint32_t>();
    d->sorted = r.Array<uint32_t>();
    d->post_slots.resize(words);
    d->post_weights.resize(words);
    for (uint64_t i = 0; i < words && r.ok(); ++i) {
        d->post_slots[i] = r.Array<uint32_t>();
        d->post_weights[i] = r.Array<uint16_t>();
    }
    if (r.Get<uint32_t>() != kSnapshotEnd || !r.AtEnd()) return nullptr;
    // Everything must agree before a query trusts it.
    const size_t n = d->docs.size();
    if (d->hot.size() != n || d->alive.size() != n || d->word_hash.size() != words || d->sorted.size() != words) {
        return nullptr;
    }
    size_t live = 0;
    for (size_t s = 0; s < n; ++s) {
        live += d->alive[s] != 0;
        const auto& h = d->hot[s];
        if (h.domain >= values || h.owner >= values || h.kind >= values ||
            static_cast<size_t>(h.facets) + h.tags + h.classes > d->facet_values.size()) {
            return nullptr;
        }
    }
    if (live != d->live) return nullptr;
    for (uint32_t v : d->facet_values) {
        if (v >= values) return nullptr;
    }
    for (uint32_t w : d->sorted) {
        if (w >= words) return nullptr;
    }
    for (size_t w = 0; w < words; ++w) {
        if (d->post_slots[w].size() != d->post_weights[w].size()) return nullptr;
        for (uint32_t s : d->post_slots[w]) {
            if (s >= n) return nullptr;
        }
    }
    for (size_t s = 0; s < n; ++s) {
        if (d->alive[s]) d->slot_of[d->docs[s].name] = static_cast<uint32_t>(s);
    }
    for (size_t v = 0; v < d->values.size(); ++v) d->value_ids.emplace(d->values[v], static_cast<uint32_t>(v));
    size_t table = 1024;
    while (table <= words * 2) table *= 2;
    d->RebuildWordTable(table);
    d->scratch.assign(words, 0);
    return d;
}

}  // namespace

SearchChanges::SearchChanges(int64_t since) : since_(since) {}
SearchChanges::~SearchChanges() = default;

void SearchChanges::ReplaceAll() {
    full_ = std::make_unique<SearchIndexData>();
    products_.clear();
    removed_.clear();
}

void SearchChanges::Put(const IndexedProduct& p) {
    if (full_) {
        full_->Add(p.id, p.domain, p.owner, p.kind, p.tags, p.classifications, p.trust, p.text);
        return;
    }
    Owned o{p.id, std::string(p.domain), std::string(p.owner), std::string(p.kind), std::string(p.tags),
            std::string(p.classifications), p.trust, {}};
    for (size_t f = 0; f < kSearchFields; ++f) o.text[f] = std::string(p.text[f]);
    products_.push_back(std::move(o));
}

void SearchChanges::Remove(std::string_view name) {
    if (!full_) removed_.emplace_back(name);
}

SearchIndex::SearchIndex(std::string snapshot)
    : snapshot_(std::move(snapshot)), data_(std::make_unique<SearchIndexData>()) {}

void SearchIndex::WriteSnapshot() const {
    // Written aside and renamed into place, so that a reader sees a whole file or the previous one.
    const std::string temporary = snapshot_ + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return;  // a snapshot only saves time: without one, the next process loads anew
        std::shared_lock lock(mutex_);
        Save(*data_, sequence(), out);
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(temporary, ec);
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, snapshot_, ec);
    if (ec) std::filesystem::remove(temporary, ec);
}
SearchIndex::~SearchIndex() = default;

size_t SearchIndex::size() const {
    std::shared_lock lock(mutex_);
    return data_->live;
}

Status SearchIndex::CatchUp(int64_t latest, const std::function<Status(int64_t, SearchChanges&)>& read) {
    if (sequence() >= 0 && sequence() == latest) return Status::Ok();
    std::lock_guard one_reader(catch_up_);
    if (sequence() < 0 && !snapshot_.empty()) {  // a new process: start from the snapshot, if any
        std::ifstream in(snapshot_, std::ios::binary | std::ios::ate);
        std::string bytes;
        if (in) {
            bytes.resize(static_cast<size_t>(std::max<std::streamoff>(0, in.tellg())));
            in.seekg(0);
            if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) bytes.clear();
        }
        int64_t saved = -1;
        if (auto loaded = bytes.empty() ? nullptr : Load(bytes, &saved)) {
            std::unique_lock lock(mutex_);
            data_ = std::move(loaded);
            sequence_.store(saved, std::memory_order_release);
        }
    }
    const int64_t since = sequence();
    if (since >= 0 && since == latest) return Status::Ok();  // another thread caught up meanwhile
    SearchChanges changes(since);
    if (since < 0) changes.ReplaceAll();
    TESSERA_RETURN_IF_ERROR(read(since, changes));
    const bool full = changes.full_ != nullptr;
    const size_t changed = changes.products_.size() + changes.removed_.size();
    if (full) {
        changes.full_->Finish();
        std::unique_lock lock(mutex_);
        data_ = std::move(changes.full_);
    } else {
        std::unique_lock lock(mutex_);
        SearchIndexData& d = *data_;
        for (const auto& name : changes.removed_) d.Remove(name);
        for (const auto& o : changes.products_) {
            std::array<std::string_view, kSearchFields> text;
            for (size_t f = 0; f < kSearchFields; ++f) text[f] = o.text[f];
            d.Add(o.id, o.domain, o.owner, o.kind, o.tags, o.classifications, o.trust, text);
        }
        d.CompactIfWasteful();
        d.SortWords();
    }
    sequence_.store(changes.sequence_, std::memory_order_release);
    // A new snapshot after a full load, or once the changes since the last one cost a next process
    // more than a few milliseconds to read.
    if (!snapshot_.empty() && (full || changed >= 1000)) WriteSnapshot();
    return Status::Ok();
}

SearchIndex::Ranked SearchIndex::Query(const SearchQuery& q) const {
    Ranked out;
    const std::vector<std::string> terms = Normalized(q.terms);
    if (terms.empty()) return out;
    std::shared_lock lock(mutex_);
    const SearchIndexData& d = *data_;
    const size_t slots = d.docs.size();
    const size_t k = terms.size();

    // 1. Per query word: its weighted frequency in every product (the sum over the indexed words
    //    it begins), in a dense array, and how many live products hold it (its IDF).
    thread_local std::vector<uint32_t> frequency;
    thread_local std::vector<uint32_t> candidates;
    frequency.assign(k * slots, 0);
    std::vector<size_t> holders(k, 0);
    size_t driver = 0, driver_postings = SIZE_MAX;
    std::vector<std::vector<uint32_t>> words_of(k);
    for (size_t i = 0; i < k; ++i) {
        auto first = std::lower_bound(d.sorted.begin(), d.sorted.end(), terms[i],
                                      [&](uint32_t w, const std::string& t) { return d.words[w] < t; });
        size_t postings = 0;
        for (auto it = first; it != d.sorted.end() && StartsWith(d.words[*it], terms[i]); ++it) {
            words_of[i].push_back(*it);
            postings += d.post_slots[*it].size();
        }
        if (postings < driver_postings) {
            driver = i;
            driver_postings = postings;
        }
    }
    for (const auto& w : words_of) {
        if (w.empty()) {  // a word begins no indexed word: nothing matches
            if (!q.states.empty()) out.facets["status"];
            return out;
        }
    }
    // The matches in slot order, so that what is read of them comes from memory in order: from the
    // driver's dense array when it holds many, else collected from its postings and sorted.
    const bool scan = driver_postings * 16 > slots;
    for (size_t i = 0; i < k; ++i) {
        uint32_t* f = frequency.data() + i * slots;
        const bool collect = i == driver && !scan;
        for (uint32_t w : words_of[i]) {
            const auto& ps = d.post_slots[w];
            const auto& pw = d.post_weights[w];
            for (size_t j = 0; j < ps.size(); ++j) {
                const uint32_t s = ps[j];
                if (!d.alive[s]) continue;
                if (f[s] == 0) {
                    ++holders[i];
                    if (collect) candidates.push_back(s);
                }
                f[s] += pw[j] & kMaxWeight;
                if (pw[j] & kInName) f[s] |= kNamed;
            }
        }
    }
    if (scan) {
        const uint32_t* f = frequency.data() + driver * slots;
        for (uint32_t s = 0; s < slots; ++s) {
            if (f[s] != 0) candidates.push_back(s);
        }
    } else {
        std::sort(candidates.begin(), candidates.end());
    }
    // Every word required.
    std::vector<uint32_t> matches;
    for (uint32_t s : candidates) {
        bool all = true;
        for (size_t i = 0; i < k && all; ++i) all = frequency[i * slots + s] != 0;
        if (all) matches.push_back(s);
    }
    candidates.clear();

    // 2. Filters and facets, from the interned values (a value no product holds matches nothing).
    auto id_of = [&](const std::string& v) {
        auto it = d.value_ids.find(v);
        return it == d.value_ids.end() ? kNone : it->second;
    };
    const uint32_t domain = id_of(q.domain), owner = id_of(q.owner), kind = id_of(q.kind), tag = id_of(q.tag),
                   classification = id_of(q.classification);
    auto has = [&](uint32_t first, uint32_t count, uint32_t v) {
        const uint32_t* values = d.facet_values.data() + first;
        return std::find(values, values + count, v) != values + count;
    };
    auto state_of = [&](uint32_t s) {
        auto it = q.states.find(d.docs[s].name);
        return it == q.states.end() ? std::string() : it->second;
    };
    // Which filters a product fails, as bits: it counts for a facet when it fails no other filter.
    enum : unsigned { kDomain = 1, kOwner = 2, kKind = 4, kTag = 8, kClassification = 16, kStatus = 32 };
    auto failed = [&](uint32_t s, const SearchIndexData::Hot& h) {
        unsigned f = 0;
        if (!q.domain.empty() && h.domain != domain) f |= kDomain;
        if (!q.owner.empty() && h.owner != owner) f |= kOwner;
        if (!q.kind.empty() && h.kind != kind) f |= kKind;
        if (!q.tag.empty() && !has(h.facets, h.tags, tag)) f |= kTag;
        if (!q.classification.empty() && !has(h.facets + h.tags, h.classes, classification)) f |= kClassification;
        if (!q.status.empty() && state_of(s) != q.status) f |= kStatus;
        return f;
    };
    const size_t nvalues = d.values.size();
    std::vector<int64_t> by_domain(nvalues), by_owner(nvalues), by_kind(nvalues), by_tag(nvalues), by_class(nvalues);
    std::map<std::string, int64_t> by_status;
    std::vector<uint32_t> kept;
    for (uint32_t s : matches) {
        const auto& h = d.hot[s];
        const unsigned f = failed(s, h);
        if ((f & ~kDomain) == 0) ++by_domain[h.domain];
        if ((f & ~kOwner) == 0) ++by_owner[h.owner];
        if ((f & ~kKind) == 0) ++by_kind[h.kind];
        const uint32_t* facets = d.facet_values.data() + h.facets;
        if ((f & ~kTag) == 0) for (uint32_t t = 0; t < h.tags; ++t) ++by_tag[facets[t]];
        if ((f & ~kClassification) == 0) for (uint32_t c = 0; c < h.classes; ++c) ++by_class[facets[h.tags + c]];
        if (!q.states.empty() && (f & ~kStatus) == 0) ++by_status[state_of(s)];
        if (f == 0) kept.push_back(s);
    }
    auto facet = [&](const char* name, const std::vector<int64_t>& counts) {
        for (size_t v = 0; v < counts.size(); ++v) {
            if (counts[v] > 0) out.facets[name][d.values[v]] = counts[v];
        }
    };
    facet("domain", by_domain);
    facet("owner", by_owner);
    facet("kind", by_kind);
    facet("tag", by_tag);
    facet("classification", by_class);
    if (!q.states.empty()) out.facets["status"] = std::move(by_status);
    out.total = static_cast<int64_t>(kept.size());
    const int64_t first = std::min(q.offset, out.total);
    const int64_t last = std::min(out.total, q.offset + q.limit);

    // 3. Rank: BM25F as FTS5's bm25() computes it (k1 = 1.2, b = 0.75, frequencies weighted per
    //    field) with an IDF that stays positive, plus the address bonus, times trust. Only the best
    //    `last` are kept, in a heap; the address bonus (at most 2) is only computed for a product
    //    that could still enter it.
    if (first < last) {
        const double n = static_cast<double>(d.live);
        const double mean_length = d.live > 0 ? static_cast<double>(d.total_length) / n : 1;
        std::vector<double> idf(k);
        for (size_t i = 0; i < k; ++i) {
            const double held = static_cast<double>(holders[i]);
            idf[i] = std::log(1.0 + (n - held + 0.5) / (held + 0.5));
        }
        struct Scored {
            double score, text, trust;
            uint32_t slot;
        };
        auto better = [&](const Scored& a, const Scored& b) {
            if (a.score != b.score) return a.score > b.score;
            if (a.trust != b.trust) return a.trust > b.trust;  // equal scores: the more trusted first
            return d.docs[a.slot].name < d.docs[b.slot].name;  // stable for equal scores
        };
        std::vector<Scored> heap;  // the best so far; its front is the worst of them
        const auto depth = static_cast<size_t>(last);
        heap.reserve(depth + 1);
        for (uint32_t s : kept) {
            const auto& h = d.hot[s];
            const double length = static_cast<double>(h.length) / mean_length;
            double bm25 = 0;
            bool named = false;
            for (size_t i = 0; i < k; ++i) {
                const uint32_t accumulated = frequency[i * slots + s];
                named |= (accumulated & kNamed) != 0;
                const double f = accumulated & ~kNamed;
                bm25 += idf[i] * f * (kK1 + 1) / (f + kK1 * (1 - kB + kB * length));
            }
            if (heap.size() == depth && (bm25 + (named ? 2.0 : 0.0)) * h.trust < heap.front().score) continue;
            const double text = bm25 + (named ? AddressBonus(d.docs[s].name, q.terms) : 0.0);
            Scored c{text * h.trust, text, h.trust, s};
            if (heap.size() < depth) {
                heap.push_back(c);
                std::push_heap(heap.begin(), heap.end(), better);
            } else if (better(c, heap.front())) {
                std::pop_heap(heap.begin(), heap.end(), better);
                heap.back() = c;
                std::push_heap(heap.begin(), heap.end(), better);
            }
        }
        std::sort_heap(heap.begin(), heap.end(), better);
        for (size_t i = static_cast<size_t>(first); i < heap.size(); ++i) {
            const auto& doc = d.docs[heap[i].slot];
            out.page.push_back(Row{doc.id, doc.name, heap[i].text, heap[i].trust});
        }
    }
    return out;
}

std::vector<VocabularyTerm> SearchIndex::Vocabulary() const {
    std::shared_lock lock(mutex_);
    const SearchIndexData& d = *data_;
    std::vector<VocabularyTerm> out;
    for (uint32_t w : d.sorted) {
        int64_t held = 0;
        for (uint32_t s : d.post_slots[w]) held += d.alive[s];
        if (held > 0) out.push_back({d.words[w], held});
    }
    return out;
}

std::shared_ptr<SearchIndex> SharedSearchIndex(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return std::make_shared<SearchIndex>("");
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(path, ec).string();
    if (ec) key = path;
    static std::mutex mutex;
    static std::unordered_map<std::string, std::weak_ptr<SearchIndex>> indexes;
    std::lock_guard lock(mutex);
    auto& slot = indexes[key];
    auto index = slot.lock();
    if (!index) {
        index = std::make_shared<SearchIndex>(key + "-search");
        slot = index;
    }
    return index;
}

// Per query word: 1 when it is a word of the product's name (a plural `s`/`es` ignored), 0.75
// when it begins one, half that for the domain's name; averaged over the words, times (1 + share
// of the name's words the query covers) / 2, so the product named by the query beats one whose
// name merely contains it; then doubled, to weigh like a strong BM25 match. `orders`:
// orders.orders 2, orders.order_facts 0.5 (its domain only). `campaign`: marketing.campaigns 2,
// marketing.campaign_attribution 1.5.
double AddressBonus(std::string_view address, const std::vector<std::string>& terms) {
    if (terms.empty()) return 0;
    const size_t dot = address.find('.');
    const size_t own_start = dot == std::string_view::npos ? 0 : dot + 1;
    auto boundary = [&](size_t i) { return i >= address.size() || address[i] == '.' || address[i] == '_'; };
    std::vector<size_t> covered;  // start offsets of the name's words some term matched
    double total = 0;
    for (const auto& t : terms) {
        double best = 0;
        for (size_t at = address.find(t); at != std::string_view::npos && !t.empty(); at = address.find(t, at + 1)) {
            if (at > 0 && !boundary(at - 1)) continue;  // inside a word
            size_t end = at + t.size();
            bool whole = boundary(end) || (address[end] == 's' && boundary(end + 1)) ||
                         (address.compare(end, 2, "es") == 0 && boundary(end + 2));
            const bool own = at >= own_start;
            best = std::max(best, (whole ? 1.0 : 0.75) * (own ? 1.0 : 0.5));
            if (own && std::find(covered.begin(), covered.end(), at) == covered.end()) covered.push_back(at);
        }
        total += best;
    }
    size_t words = 1;
    for (size_t i = own_start; i < address.size(); ++i) words += address[i] == '_' ? 1 : 0;
    const double coverage = std::min(1.0, static_cast<double>(covered.size()) / static_cast<double>(words));
    return 2.0 * total / static_cast<double>(terms.size()) * (1.0 + coverage) / 2.0;
}

Snippet MakeSnippet(const std::array<std::string, kSearchFields>& fields, const std::vector<std::string>& raw_terms) {
    const std::vector<std::string> terms = Normalized(raw_terms);
    Snippet out;
    size_t best_count = 0;
    std::string best_text;
    for (size_t f = 0; f < kSearchFields; ++f) {
        const std::string& field = fields[f];
        std::string marked;  // the field with \x01 and \x02 around each matching word
        std::set<std::string_view> matched;  // the query's words this field matched
        size_t copied = 0;
        std::string lower;
        ForEachToken(field, [&](size_t begin, size_t end) {
            lower.assign(field, begin, end - begin);
            for (char& c : lower) c = Lower(c);
            bool hit = false;
            for (const auto& t : terms) {
                if (StartsWith(lower, t)) {
                    matched.insert(t);
                    hit = true;
                }
            }
            if (!hit) return;
            marked.append(field, copied, begin - copied);
            marked += '\x01';
            marked.append(field, begin, end - begin);
            marked += '\x02';
            copied = end;
        });
        if (matched.size() > best_count) {
            marked.append(field, copied, std::string::npos);
            best_count = matched.size();
            best_text = std::move(marked);
            out.field = kSearchFieldNames[f];
        }
    }
    if (best_count == 0) return out;
    // The line of the first match (columns and ports hold one per line).
    size_t open = best_text.find('\x01');
    size_t line_start = best_text.rfind('\n', open);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    size_t line_end = best_text.find('\n', open);
    std::string line = best_text.substr(line_start, line_end == std::string::npos ? std::string::npos : line_end - line_start);
    for (char& ch : line) {
        if (ch == '\x01') ch = '[';
        else if (ch == '\x02') ch = ']';
    }
    out.text = line.size() > 160 ? line.substr(0, 157) + "..." : line;
    return out;
}

}  // namespace tessera::store::internal
