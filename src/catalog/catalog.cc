#include "catalog/catalog.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "model/address.h"

namespace tessera::catalog {
namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kDomain = "Domain";
constexpr const char* kTeam = "Team";
constexpr const char* kProduct = "DataProduct";
constexpr const char* kPolicy = "Policy";

std::string KindText(model::EntityKind k) { return std::string(model::EntityKindName(k)); }

bool IsNamedList(const Json& j) {
    return j.is_array() && !j.empty() && std::all_of(j.begin(), j.end(), [](const Json& item) {
        return item.is_object() && item.contains("name") && item["name"].is_string();
    });
}

// Walks two documents side by side in document order. Lists whose items all carry a `name` are
// matched by it, so reordering columns is no change, and an added or removed item is one change
// with the whole item, not one per field.
void DiffValues(const Json& a, const Json& b, const std::string& path, std::vector<FieldChange>* out) {
    if (a == b) return;
    if (a.is_object() && b.is_object()) {
        for (const auto& [k, v] : a.items()) {
            std::string p = path.empty() ? k : path + "." + k;
            if (b.contains(k)) DiffValues(v, b[k], p, out);
            else out->push_back({p, v.dump(), ""});
        }
        for (const auto& [k, v] : b.items()) {
            if (!a.contains(k)) out->push_back({path.empty() ? k : path + "." + k, "", v.dump()});
        }
        return;
    }
    if (IsNamedList(a) && IsNamedList(b)) {
        auto find = [](const Json& list, const std::string& name) -> const Json* {
            for (const auto& item : list) {
                if (item["name"] == name) return &item;
            }
            return nullptr;
        };
        for (const auto& item : a) {
            std::string name = item["name"].get<std::string>();
            std::string p = path + "[" + name + "]";
            if (const Json* other = find(b, name)) DiffValues(item, *other, p, out);
            else out->push_back({p, item.dump(), ""});
        }
        for (const auto& item : b) {
            std::string name = item["name"].get<std::string>();
            if (!find(a, name)) out->push_back({path + "[" + name + "]", "", item.dump()});
        }
        return;
    }
    out->push_back({path, a.dump(), b.dump()});
}

}  // namespace

std::set<std::string> ChangedDomains(const Plan& plan, const spec::Batch& batch) {
    std::set<std::string> domains;
    for (const auto& c : plan.changes) {
        if (c.action == Action::kUnchanged) continue;
        if (c.kind == model::EntityKind::kDomain) domains.insert(c.name);
        if (c.kind == model::EntityKind::kDataProduct) domains.insert(c.name.substr(0, c.name.find('.')));
        if (c.kind == model::EntityKind::kTeam) {
            for (const auto& t : batch.teams) {
                if (t.team.name == c.name) domains.insert(t.team.domain);
            }
        }
    }
    return domains;
}

store::SearchDocument SearchDocumentOf(const model::DataProduct& p) {
    store::SearchDocument d;
    d.domain = p.domain;
    d.owner = p.owner;
    d.kind = std::string(model::ProductKindName(p.kind));
    d.title = p.title;
    d.description = p.description;
    std::set<std::string> classes, tags(p.tags.begin(), p.tags.end());
    for (const auto& o : p.outputs) {
        d.ports += o.name + " " + o.description + "\n";
        for (const auto& c : o.columns) {
            d.columns += c.name + (c.title.empty() ? "" : " " + c.title) + (c.description.empty() ? "" : " " + c.description) + "\n";
            if (c.classification != model::Classification::kUnset) classes.insert(std::string(model::ClassificationName(c.classification)));
            tags.insert(c.tags.begin(), c.tags.end());
            tags.insert(c.glossary.begin(), c.glossary.end());
        }
    }
    d.tag_list.assign(p.tags.begin(), p.tags.end());
    d.classifications.assign(classes.begin(), classes.end());
    for (const auto& t : tags) d.tags += t + " ";
    return d;
}

std::string_view ActionName(Action a) {
    switch (a) {
        case Action::kCreate: return "create";
        case Action::kUpdate: return "update";
        case Action::kUnchanged: return "unchanged";
        case Action::kDelete: return "delete";
    }
    return "";
}

size_t Plan::Count(Action a) const {
    return static_cast<size_t>(std::count_if(changes.begin(), changes.end(), [a](const EntityChange& c) { return c.action == a; }));
}

std::vector<FieldChange> DiffDocuments(const std::string& before, const std::string& after) {
    std::vector<FieldChange> out;
    if (before.empty() || after.empty()) {
        if (before != after) out.push_back({"(whole document)", before, after});
        return out;
    }
    DiffValues(Json::parse(before), Json::parse(after), "", &out);
    return out;
}

Catalog::Catalog(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path) {
    TESSERA_ASSIGN_OR_RETURN(auto store, store::OpenSqlite(path));
    auto catalog = std::make_unique<Catalog>(std::move(store));
    if (catalog->store_->SearchIndexNeedsRebuild()) {
        TESSERA_ASSIGN_OR_RETURN(auto products, catalog->Products());
        std::vector<std::pair<std::string, store::SearchDocument>> docs;
        for (const auto& p : products) docs.emplace_back(p.FullName(), SearchDocumentOf(p));
        TESSERA_RETURN_IF_ERROR(catalog->store_->RebuildSearchIndex(docs));
    }
    return catalog;
}

Result<int64_t> Catalog::Revision() { return store_->CurrentRevision(); }

Result<spec::KnownMesh> Catalog::Known(const spec::Batch& batch) {
    spec::KnownMesh known;
    TESSERA_ASSIGN_OR_RETURN(auto domains, store_->ListNames(kDomain));
    TESSERA_ASSIGN_OR_RETURN(auto teams, store_->ListNames(kTeam));
    TESSERA_ASSIGN_OR_RETURN(auto products, store_->ListNames(kProduct));
    known.domains.insert(domains.begin(), domains.end());
    known.teams.insert(teams.begin(), teams.end());
    for (auto& p : products) known.product_ports[p];
    TESSERA_ASSIGN_OR_RETURN(auto deps, store_->Dependencies());
    for (const auto& d : deps) known.product_inputs[d.product].push_back(d.upstream);
    // Port names are needed only for the catalog products the batch reads.
    std::set<std::string> in_batch;
    for (const auto& p : batch.products) in_batch.insert(p.product.FullName());
    for (const auto& p : batch.products) {
        for (const auto& in : p.product.inputs) {
            if (!in.IsProduct() || in_batch.count(in.product) || !known.product_ports.count(in.product)) continue;
            auto& ports = known.product_ports[in.product];
            if (!ports.empty()) continue;
            TESSERA_ASSIGN_OR_RETURN(auto record, store_->Get(kProduct, in.product));
            TESSERA_ASSIGN_OR_RETURN(auto entity, spec::DecodeJson(record.document));
            for (const auto& o : std::get<model::DataProduct>(entity).outputs) ports.push_back(o.name);
        }
    }
    return known;
}

Result<std::vector<spec::Diagnostic>> Catalog::Check(const spec::Batch& batch) {
    TESSERA_ASSIGN_OR_RETURN(auto known, Known(batch));
    return spec::CheckReferences(batch, known);
}

Result<Plan> Catalog::MakePlan(const spec::Batch& batch) {
    Plan plan;
    TESSERA_ASSIGN_OR_RETURN(plan.base_revision, store_->CurrentRevision());
    auto add = [&](const spec::Entity& e) -> Status {
        EntityChange change{spec::KindOf(e), spec::EntityName(e), Action::kUnchanged, {}};
        std::string after = spec::EncodeJson(e);
        auto stored = store_->Get(KindText(change.kind), change.name);
        if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) return stored.status();
        if (!stored.ok()) {
            change.action = Action::kCreate;
        } else if (stored->document == after) {
            change.action = Action::kUnchanged;
        } else {
            change.fields = DiffDocuments(stored->document, after);
            change.action = change.fields.empty() ? Action::kUnchanged : Action::kUpdate;
        }
        plan.changes.push_back(std::move(change));
        return Status::Ok();
    };
    for (const auto& d : batch.domains) TESSERA_RETURN_IF_ERROR(add(d.domain));
    for (const auto& t : batch.teams) TESSERA_RETURN_IF_ERROR(add(t.team));
    for (const auto& p : batch.products) TESSERA_RETURN_IF_ERROR(add(p.product));
    for (const auto& p : batch.policies) TESSERA_RETURN_IF_ERROR(add(p.policy));
    return plan;
}

Result<ApplyResult> Catalog::Apply(const spec::Batch& batch, const ApplyOptions& options) {
    TESSERA_ASSIGN_OR_RETURN(auto diagnostics, Check(batch));
    if (!diagnostics.empty()) {
        std::vector<std::string> lines;
        for (const auto& d : diagnostics) lines.push_back(d.ToString());
        return InvalidArgument(text::Join(lines, "\n"));
    }
    ApplyResult result;
    TESSERA_ASSIGN_OR_RETURN(result.plan, MakePlan(batch));
    if (options.expected_revision && *options.expected_revision != result.plan.base_revision) {
        return Aborted("the catalog is at revision " + std::to_string(result.plan.base_revision) +
                       ", not the expected " + std::to_string(*options.expected_revision) +
                       ": someone applied in between; re-run plan");
    }
    if (!result.plan.HasChanges()) return result;

    store::CommitRequest request;
    request.author = options.author;
    request.message = options.message;
    // The checks above read revision `base_revision`; commit only if nobody wrote since.
    request.expected_revision = result.plan.base_revision;
    std::map<std::string, Action> actions;
    for (const auto& c : result.plan.changes) actions[KindText(c.kind) + "/" + c.name] = c.action;
    auto changed = [&](const char* kind, const std::string& name) {
        Action a = actions[std::string(kind) + "/" + name];
        return a == Action::kCreate || a == Action::kUpdate;
    };
    for (const auto& d : batch.domains) {
        if (!changed(kDomain, d.domain.name)) continue;
        request.changes.push_back({store::Change::kPut, kDomain, d.domain.name, d.domain.name,
                                   spec::EncodeJson(d.domain), d.at.file, {}, std::nullopt});
    }
    for (const auto& t : batch.teams) {
        if (!changed(kTeam, t.team.name)) continue;
        request.changes.push_back({store::Change::kPut, kTeam, t.team.name, t.team.domain, spec::EncodeJson(t.team),
                                   t.at.file, {}, std::nullopt});
    }
    for (const auto& p : batch.products) {
        if (!changed(kProduct, p.product.FullName())) continue;
        std::vector<std::string> upstream;
        for (const auto& in : p.product.inputs) {
            if (in.IsProduct()) upstream.push_back(in.product);
        }
        std::error_code ec;
        std::string origin = p.origin.empty() ? "" : std::filesystem::absolute(p.origin, ec).lexically_normal().string();
        request.changes.push_back({store::Change::kPut, kProduct, p.product.FullName(), p.product.domain,
                                   spec::EncodeJson(p.product), origin, std::move(upstream), SearchDocumentOf(p.product)});
    }
    for (const auto& p : batch.policies) {
        if (!changed(kPolicy, p.policy.name)) continue;
        std::error_code ec;
        std::string origin = p.origin.empty() ? "" : std::filesystem::absolute(p.origin, ec).lexically_normal().string();
        request.changes.push_back({store::Change::kPut, kPolicy, p.policy.name, p.policy.domain,
                                   spec::EncodeJson(p.policy), origin, {}, std::nullopt});
    }
    auto committed = store_->Commit(request);
    if (!committed.ok() && committed.status().code() == StatusCode::kAborted && !options.expected_revision) {
        return Aborted("another apply changed the catalog while this one was checked; run apply again");
    }
    if (!committed.ok()) return committed.status();
    result.revision = *committed;
    return result;
}

namespace {

template <typename T>
Result<std::vector<T>> DecodeAll(Result<std::vector<store::EntityRecord>> records) {
    if (!records.ok()) return records.status();
    std::vector<T> out;
    out.reserve(records->size());
    for (const auto& r : *records) {
        TESSERA_ASSIGN_OR_RETURN(auto e, spec::DecodeJson(r.document));
        out.push_back(std::get<T>(std::move(e)));
    }
    return out;
}

}  // namespace

Result<std::vector<model::Domain>> Catalog::Domains() { return DecodeAll<model::Domain>(store_->List(kDomain)); }
Result<std::vector<model::Team>> Catalog::Teams() { return DecodeAll<model::Team>(store_->List(kTeam)); }
Result<std::vector<model::DataProduct>> Catalog::Products(const std::string& domain) {
    return DecodeAll<model::DataProduct>(store_->List(kProduct, domain));
}

Result<std::vector<StoredPolicy>> Catalog::Policies() {
    TESSERA_ASSIGN_OR_RETURN(auto records, store_->List(kPolicy));
    std::vector<StoredPolicy> out;
    out.reserve(records.size());
    for (const auto& r : records) {
        TESSERA_ASSIGN_OR_RETURN(auto e, spec::DecodeJson(r.document));
        out.push_back({std::get<model::Policy>(std::move(e)), r.origin, r.revision});
    }
    return out;
}

Result<Catalog::Resolved> Catalog::Resolve(const std::string& address) {
    // A URN, a REST path or a dotted name: one parser reads every spelling (model/address.h).
    bool prefixed = address.find('/') != std::string::npos && !model::LooksLikeAddress(address);
    if (!prefixed && (model::LooksLikeAddress(address) || address.find('.') != std::string::npos)) {
        TESSERA_ASSIGN_OR_RETURN(model::Address a, model::Address::Parse(address));
        if (a.IsDomain()) return Resolved{kDomain, a.domain, ""};
        return Resolved{kProduct, a.ProductName(), a.port};
    }
    auto slash = address.find('/');
    if (slash != std::string::npos) {
        std::string prefix = address.substr(0, slash), name = address.substr(slash + 1);
        if (prefix == "domain") return Resolved{kDomain, name, ""};
        if (prefix == "team") return Resolved{kTeam, name, ""};
        if (prefix == "product") {
            TESSERA_ASSIGN_OR_RETURN(model::Address a, model::Address::Parse(name));
            if (!a.IsDomain()) return Resolved{kProduct, a.ProductName(), a.port};
        }
        if (prefix == "policy") return Resolved{kPolicy, name, ""};
        return InvalidArgument("expected domain/NAME, team/NAME, policy/NAME or product/DOMAIN.NAME, found \"" +
                               address + "\"");
    }
    for (const char* kind : {kDomain, kTeam, kPolicy}) {
        TESSERA_ASSIGN_OR_RETURN(auto names, store_->ListNames(kind));
        if (std::binary_search(names.begin(), names.end(), address)) return Resolved{kind, address, ""};
    }
    // Not current: it may still have history (a deleted domain, team or policy).
    for (const char* kind : {kDomain, kTeam, kPolicy}) {
        if (store_->History(kind, address).ok()) return Resolved{kind, address, ""};
    }
    std::vector<std::string> all;
    for (const char* kind : {kDomain, kTeam, kProduct, kPolicy}) {
        TESSERA_ASSIGN_OR_RETURN(auto names, store_->ListNames(kind));
        all.insert(all.end(), names.begin(), names.end());
    }
    std::vector<std::string_view> candidates(all.begin(), all.end());
    std::string hint = text::ClosestMatch(address, candidates);
    return NotFound("\"" + address + "\" is not in the catalog" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

Result<StoredEntity> Catalog::Find(const std::string& address, std::optional<int64_t> at_revision) {
    TESSERA_ASSIGN_OR_RETURN(Resolved r, Resolve(address));
    if (at_revision) {
        TESSERA_ASSIGN_OR_RETURN(int64_t current, store_->CurrentRevision());
        if (*at_revision < 1 || *at_revision > current) {
            return NotFound("revision " + std::to_string(*at_revision) + " does not exist (the catalog is at revision " +
                            std::to_string(current) + ")");
        }
    }
    auto record = store_->Get(r.kind, r.name, at_revision);
    if (!record.ok() && record.status().code() == StatusCode::kNotFound && r.kind == kProduct && !at_revision) {
        TESSERA_ASSIGN_OR_RETURN(auto names, store_->ListNames(kProduct));
        std::vector<std::string_view> candidates(names.begin(), names.end());
        std::string hint = text::ClosestMatch(r.name, candidates);
        return NotFound("data product \"" + r.name + "\" is not in the catalog" +
                        (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    if (!record.ok()) return record.status();
    TESSERA_ASSIGN_OR_RETURN(auto entity, spec::DecodeJson(record->document));
    if (!r.port.empty()) {
        const auto& product = std::get<model::DataProduct>(entity);
        std::vector<std::string_view> ports;
        for (const auto& o : product.outputs) ports.push_back(o.name);
        if (std::find(ports.begin(), ports.end(), r.port) == ports.end()) {
            std::string hint = text::ClosestMatch(r.port, ports);
            return NotFound("data product " + r.name + " has no output port \"" + r.port + "\"" +
                            (hint.empty() ? "" : " (did you mean \"" + r.name + "." + hint + "\"?)"));
        }
    }
    return StoredEntity{std::move(entity), record->document, record->revision, record->origin};
}

Result<std::string> Catalog::Document(const std::string& address) {
    TESSERA_ASSIGN_OR_RETURN(Resolved r, Resolve(address));
    TESSERA_ASSIGN_OR_RETURN(auto record, store_->Get(r.kind, r.name));
    return std::move(record.document);
}

Result<std::vector<HistoryItem>> Catalog::History(const std::string& address) {
    TESSERA_ASSIGN_OR_RETURN(Resolved r, Resolve(address));
    TESSERA_ASSIGN_OR_RETURN(auto entries, store_->History(r.kind, r.name));
    std::vector<HistoryItem> out;
    std::string previous, version;
    for (const auto& e : entries) {
        HistoryItem item{e.revision, Action::kUpdate, {}, {}};
        if (e.deleted) {
            item.action = Action::kDelete;
        } else if (previous.empty()) {
            item.action = Action::kCreate;
        } else {
            item.fields = DiffDocuments(previous, e.document);
        }
        if (!e.deleted) {
            Json doc = Json::parse(e.document, nullptr, false);
            const Json* v = doc.is_object() && doc.contains("metadata") ? &doc["metadata"] : nullptr;
            version = v && v->is_object() && v->contains("version") && (*v)["version"].is_string()
                              ? (*v)["version"].get<std::string>()
                              : "";
        }
        item.version = version;
        previous = e.deleted ? std::string() : e.document;
        out.push_back(std::move(item));
    }
    return out;
}

Result<std::vector<FieldChange>> Catalog::Diff(const std::string& address, int64_t from, std::optional<int64_t> to) {
    TESSERA_ASSIGN_OR_RETURN(Resolved r, Resolve(address));
    auto document_at = [&](std::optional<int64_t> rev) -> Result<std::string> {
        auto rec = store_->Get(r.kind, r.name, rev);
        if (rec.ok()) return rec->document;
        if (rec.status().code() == StatusCode::kNotFound) return std::string();
        return rec.status();
    };
    TESSERA_ASSIGN_OR_RETURN(int64_t current, store_->CurrentRevision());
    for (int64_t rev : {from, to.value_or(current)}) {
        if (rev < 0 || rev > current) {
            return NotFound("revision " + std::to_string(rev) + " does not exist (the catalog is at revision " +
                            std::to_string(current) + ")");
        }
    }
    TESSERA_ASSIGN_OR_RETURN(std::string before, document_at(from));
    TESSERA_ASSIGN_OR_RETURN(std::string after, document_at(to.value_or(current)));
    if (before.empty() && after.empty()) {
        return NotFound("\"" + address + "\" existed at neither revision " + std::to_string(from) + " nor " +
                        std::to_string(to.value_or(current)));
    }
    return DiffDocuments(before, after);
}

Result<store::RevisionInfo> Catalog::Delete(const std::string& address, const DeleteOptions& options) {
    TESSERA_ASSIGN_OR_RETURN(Resolved r, Resolve(address));
    TESSERA_ASSIGN_OR_RETURN(auto record, store_->Get(r.kind, r.name));
    TESSERA_ASSIGN_OR_RETURN(int64_t base, store_->CurrentRevision());
    if (!options.force) {
        std::vector<std::string> users;
        if (r.kind == kProduct) {
            TESSERA_ASSIGN_OR_RETURN(users, Readers(r.name));
        } else {
            TESSERA_ASSIGN_OR_RETURN(auto products, Products(r.kind == kDomain ? r.name : ""));
            for (const auto& p : products) {
                if ((r.kind == kDomain && p.domain == r.name) || (r.kind == kTeam && p.owner == r.name)) {
                    users.push_back(p.FullName());
                }
            }
        }
        if (!users.empty()) {
            std::string what = r.kind == kProduct ? "read by" : (r.kind == kDomain ? "holds" : "owns");
            return FailedPrecondition(r.kind + " \"" + r.name + "\" " + what + " " + std::to_string(users.size()) +
                                      " product(s): " + text::Join(users, ", ") +
                                      "; change those first, or delete with --force");
        }
    }
    store::CommitRequest request;
    request.author = options.author;
    request.message = options.message.empty() ? "delete " + r.name : options.message;
    request.expected_revision = options.expected_revision.value_or(base);
    request.changes.push_back({store::Change::kDelete, r.kind, r.name, record.scope, "", "", {}, std::nullopt});
    return store_->Commit(request);
}

Result<std::vector<store::RevisionInfo>> Catalog::Revisions(int64_t limit) { return store_->Revisions(limit); }

Result<std::vector<store::Dependency>> Catalog::Dependencies() { return store_->Dependencies(); }

Result<std::vector<std::string>> Catalog::ProductNames(const std::string& domain) {
    TESSERA_ASSIGN_OR_RETURN(auto names, store_->ListNames(kProduct));
    if (domain.empty()) return names;
    std::string prefix = domain + ".";
    std::vector<std::string> out;
    for (auto& n : names) {
        if (n.compare(0, prefix.size(), prefix) == 0) out.push_back(std::move(n));
    }
    return out;
}

Result<store::SearchPage> Catalog::Search(const store::SearchQuery& query) { return store_->Search(query); }
Result<std::shared_ptr<const text::Speller>> Catalog::SearchSpeller() {
    // Reading the vocabulary scans the whole index; it changes only with a revision.
    TESSERA_ASSIGN_OR_RETURN(int64_t revision, store_->CurrentRevision());
    if (revision != speller_revision_ || !speller_) {
        TESSERA_ASSIGN_OR_RETURN(auto terms, store_->SearchVocabulary());
        std::vector<text::WeightedWord> words;
        words.reserve(terms.size());
        for (auto& t : terms) words.push_back({std::move(t.term), t.documents});
        speller_ = std::make_shared<const text::Speller>(std::move(words));
        speller_revision_ = revision;
    }
    return speller_;
}

Status Catalog::FinishRun(const store::RunRecord& run, const std::vector<store::CheckRecord>& checks,
                          const std::vector<store::SnapshotRecord>& snapshots) {
    store::RunIssueSync sync;
    sync.enabled = true;
    sync.domain = run.product.substr(0, run.product.find('.'));
    TESSERA_ASSIGN_OR_RETURN(sync.time_to_fix_ms, TimeToFixMs(sync.domain));
    return store_->FinishRun(run, checks, snapshots, sync);
}

Result<int64_t> Catalog::TimeToFixMs(const std::string& domain) {
    int64_t seconds = model::kDefaultTimeToFixSeconds;
    auto record = store_->Get(kDomain, domain);
    if (!record.ok() && record.status().code() != StatusCode::kNotFound) return record.status();
    if (record.ok()) {
        TESSERA_ASSIGN_OR_RETURN(auto entity, spec::DecodeJson(record->document));
        const auto& d = std::get<model::Domain>(entity);
        if (d.time_to_fix_seconds > 0) seconds = d.time_to_fix_seconds;
    }
    return seconds * 1000;
}

Result<store::IssueRecord> Catalog::OpenIssue(store::IssueRecord draft) {
    if (draft.title.empty()) return InvalidArgument("an issue needs a title (--title): say what is wrong in a few words");
    TESSERA_ASSIGN_OR_RETURN(auto found, Find("product/" + draft.product));
    const auto& p = std::get<model::DataProduct>(found.entity);
    std::vector<std::string> ports;
    for (const auto& o : p.outputs) ports.push_back(o.name);
    if (!draft.port.empty() && std::find(ports.begin(), ports.end(), draft.port) == ports.end()) {
        return NotFound("data product " + p.FullName() + " has no output port \"" + draft.port + "\" (ports: " +
                        text::Join(ports, ", ") + ")");
    }
    if (!draft.column.empty()) {
        std::vector<std::string> holders;  // ports with the column
        for (const auto& o : p.outputs) {
            if (!draft.port.empty() && o.name != draft.port) continue;
            for (const auto& c : o.columns) {
                if (text::Lower(c.name) == text::Lower(draft.column)) {
                    holders.push_back(o.name);
                    draft.column = c.name;
                }
            }
        }
        if (holders.empty()) {
            return NotFound((draft.port.empty() ? "data product " + p.FullName() : "output port " + p.FullName() + "." + draft.port) +
                            " has no column \"" + draft.column + "\"");
        }
        if (holders.size() > 1) {
            return InvalidArgument("column " + draft.column + " is in several output ports (" + text::Join(holders, ", ") +
                                   "): say which with --port");
        }
        draft.port = holders.front();
    }
    draft.product = p.FullName();
    draft.domain = p.domain;
    draft.origin = "consumer";
    draft.check.clear();
    draft.opened_at_ms = 0;
    TESSERA_ASSIGN_OR_RETURN(int64_t ttf, TimeToFixMs(p.domain));
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    draft.opened_at_ms = now;
    draft.due_at_ms = now + ttf;
    return store_->OpenIssue(draft);
}

Status Catalog::CommentIssue(int64_t id, const std::string& user, const std::string& text) {
    if (text.empty()) return InvalidArgument("a comment needs a text");
    return store_->AddIssueComment({id, user, 0, text});
}

Result<std::vector<std::string>> Catalog::Readers(const std::string& product) {
    TESSERA_ASSIGN_OR_RETURN(auto deps, store_->Dependencies());
    std::vector<std::string> out;
    for (const auto& d : deps) {
        if (d.upstream == product) out.push_back(d.product);
    }
    return out;
}

}  // namespace tessera::catalog
