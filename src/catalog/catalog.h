#pragma once

// The catalog: the operations on the mesh's metadata (plan, apply, get, list, history, diff,
// delete) over a store. It checks a batch against what already exists, computes what would
// change, and applies a batch as one revision, all or nothing.
//
//   TESSERA_ASSIGN_OR_RETURN(auto cat, catalog::Catalog::Open(".tessera/catalog.db"));
//   spec::LoadReport loaded = spec::LoadPaths({"examples/ecommerce"});
//   TESSERA_ASSIGN_OR_RETURN(auto checked, cat->Check(loaded.batch));   // diagnostics
//   TESSERA_ASSIGN_OR_RETURN(auto result, cat->Apply(loaded.batch, {.author = "alice"}));
//
// A Catalog is used from one thread at a time; several processes may open the same catalog.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/speller.h"
#include "spec/descriptor.h"
#include "store/store.h"

namespace tessera::catalog {

enum class Action { kCreate, kUpdate, kUnchanged, kDelete };
std::string_view ActionName(Action a);  // "create", "update", "unchanged", "delete"

// One changed field, addressed by a readable path where list items are named by their `name`:
// `spec.outputs[daily].columns[amount].type`. Values are JSON text; empty when absent.
struct FieldChange {
    std::string path;
    std::string before;
    std::string after;
};

struct EntityChange {
    model::EntityKind kind;
    std::string name;
    Action action = Action::kUnchanged;
    std::vector<FieldChange> fields;  // for kUpdate
};

struct Plan {
    int64_t base_revision = 0;  // the catalog revision the plan was computed against
    std::vector<EntityChange> changes;  // batch order: domains, teams, products
    size_t Count(Action a) const;
    bool HasChanges() const { return Count(Action::kCreate) + Count(Action::kUpdate) + Count(Action::kDelete) > 0; }
};

struct ApplyOptions {
    std::string author;
    std::string message;
    // Fail with kAborted unless the catalog is still at this revision.
    std::optional<int64_t> expected_revision;
};

struct ApplyResult {
    Plan plan;
    // The revision written; absent when the batch changed nothing (no empty revisions).
    std::optional<store::RevisionInfo> revision;
};

// An entity as the catalog holds it.
struct StoredEntity {
    spec::Entity entity;
    std::string document;  // canonical JSON
    int64_t revision = 0;  // the revision that wrote this version
    std::string origin;
};

// A policy as the catalog holds it, with the file it was applied from (for located errors).
struct StoredPolicy {
    model::Policy policy;
    std::string origin;
    int64_t revision = 0;
};

struct HistoryItem {
    store::RevisionInfo revision;
    Action action;  // create, update or delete
    std::vector<FieldChange> fields;  // what this revision changed, for updates
    std::string version;  // the entity's `metadata.version` after the revision (before, for a delete); "" when none
};

struct DeleteOptions {
    bool force = false;  // delete even while others reference it
    std::string author;
    std::string message;
    std::optional<int64_t> expected_revision;
};

class Catalog {
public:
    explicit Catalog(std::unique_ptr<store::Store> store);

    // Opens the embedded SQLite catalog at `path` (created when missing).
    static Result<std::unique_ptr<Catalog>> Open(const std::string& path);

    Result<int64_t> Revision();

    // The checks across documents (duplicates, references, cycles) of `batch` against the
    // catalog. Returns the diagnostics; an empty list means the batch may be applied.
    Result<std::vector<spec::Diagnostic>> Check(const spec::Batch& batch);

    // What applying `batch` would change. Entities of the catalog absent from the batch are left
    // alone (apply never deletes).
    Result<Plan> MakePlan(const spec::Batch& batch);

    // Checks and applies `batch` as one revision. kInvalidArgument (with every diagnostic in the
    // message, one per line) when Check finds errors; kAborted when `expected_revision` is stale.
    // Nothing is written unless everything is.
    Result<ApplyResult> Apply(const spec::Batch& batch, const ApplyOptions& options);

    Result<std::vector<model::Domain>> Domains();
    Result<std::vector<model::Team>> Teams();
    Result<std::vector<model::DataProduct>> Products(const std::string& domain = "");
    // Every policy (kind Policy), sorted by name.
    Result<std::vector<StoredPolicy>> Policies();

    // Finds an entity by address: "domain.product", or a Domain or Team name ("domain/orders"
    // or "team/orders_core" when a domain and a team share a name). kNotFound with suggestions.
    Result<StoredEntity> Find(const std::string& address, std::optional<int64_t> at_revision = std::nullopt);

    // The current canonical JSON of an entity, without decoding it (cheaper than Find when the
    // caller only looks for a key). kNotFound when it is not in the catalog.
    Result<std::string> Document(const std::string& address);

    // The revisions that changed an entity, oldest first, with what each changed.
    Result<std::vector<HistoryItem>> History(const std::string& address);

    // Field changes of an entity between two revisions (`to` absent: the current state).
    Result<std::vector<FieldChange>> Diff(const std::string& address, int64_t from, std::optional<int64_t> to);

    // Removes an entity as one revision. kFailedPrecondition while other entities reference it
    // (products reading a product, products of a domain, products owned by a team), unless
    // `force`.
    Result<store::RevisionInfo> Delete(const std::string& address, const DeleteOptions& options);

    // The newest revisions, newest first.
    Result<std::vector<store::RevisionInfo>> Revisions(int64_t limit);

    // The products that read `product` ("domain.name") directly, sorted.
    Result<std::vector<std::string>> Readers(const std::string& product);

    // Every product-to-product dependency (reader, upstream).
    Result<std::vector<store::Dependency>> Dependencies();
    // Names of current products (domain.name), sorted; only `domain`'s when given. No document is read.
    Result<std::vector<std::string>> ProductNames(const std::string& domain = "");
    // Every current product's address, owner, kind and title, without decoding documents.
    Result<std::vector<store::ProductSummary>> ProductSummaries() { return store_->ProductSummaries(); }

    // The search index (search/ builds queries on it): follows every apply in its transaction.
    Result<store::SearchPage> Search(const store::SearchQuery& query);
    // Every indexed word with its number of products (reads the whole vocabulary; not cached).
    Result<std::vector<store::VocabularyTerm>> SearchVocabulary() { return store_->SearchVocabulary(); }
    // Typo correction over the index's words, built once per revision and then shared.
    Result<std::shared_ptr<const text::Speller>> SearchSpeller();

    // --- The data plane's records (engine/ writes them; see store.h for the promises) ---
    Result<int64_t> StartRun(const store::RunRecord& run) { return store_->StartRun(run); }
    // Ends a run; in the same transaction its product's quality issues follow its checks (a
    // failing check opens one, due after the domain's time to fix; a passing one resolves it).
    Status FinishRun(const store::RunRecord& run, const std::vector<store::CheckRecord>& checks,
                     const std::vector<store::SnapshotRecord>& snapshots);
    Result<int64_t> AbandonRuns(const std::string& product) { return store_->AbandonRuns(product); }
    Result<std::vector<store::RunRecord>> Runs(const std::string& product, int64_t limit) {
        return store_->Runs(product, limit);
    }
    Result<std::vector<store::CheckRecord>> Checks(int64_t run_id) { return store_->Checks(run_id); }
    Result<std::vector<store::RunSummary>> RunSummaries() { return store_->RunSummaries(); }
    Result<std::vector<store::SnapshotRecord>> Snapshots(const std::string& product, const std::string& port = "") {
        return store_->Snapshots(product, port);
    }
    Status DeleteSnapshots(const std::vector<store::SnapshotRecord>& s) { return store_->DeleteSnapshots(s); }

    // --- Quality issues (docs/governance.md) ---

    // The domain's time to fix in milliseconds (its `time_to_fix`, else the default of 7 days).
    Result<int64_t> TimeToFixMs(const std::string& domain);
    // Opens an issue reported by `draft.opened_by` against `draft.product` (and optionally one of
    // its ports and columns; a column alone finds its port). kNotFound for an unknown product,
    // port or column; kInvalidArgument for an empty title, or a column several ports have without
    // a port.
    Result<store::IssueRecord> OpenIssue(store::IssueRecord draft);
    Result<std::vector<store::IssueRecord>> Issues(const store::IssueQuery& q) { return store_->Issues(q); }
    Result<store::IssueRecord> GetIssue(int64_t id) { return store_->GetIssue(id); }
    // kFailedPrecondition unless the issue is open.
    Result<store::IssueRecord> AcknowledgeIssue(int64_t id, const std::string& user) {
        return store_->TransitionIssue(id, "acknowledged", user, "");
    }
    // kFailedPrecondition when it is resolved already.
    Result<store::IssueRecord> ResolveIssue(int64_t id, const std::string& user, const std::string& note) {
        return store_->TransitionIssue(id, "resolved", user, note);
    }
    // kInvalidArgument for an empty text; kNotFound for an unknown issue.
    Status CommentIssue(int64_t id, const std::string& user, const std::string& text);
    Result<std::vector<store::IssueComment>> IssueComments(int64_t id) { return store_->IssueComments(id); }

    // --- Governance records (governance/ decides; see store.h for the promises) ---
    Result<store::ProposalRecord> AddProposal(const store::ProposalRecord& p) { return store_->AddProposal(p); }
    Result<std::vector<store::ProposalRecord>> Proposals() { return store_->Proposals(); }
    Result<store::ProposalRecord> GetProposal(int64_t id) { return store_->GetProposal(id); }
    Result<store::ProposalRecord> ApproveProposal(int64_t id, const store::ApprovalRecord& a) {
        return store_->ApproveProposal(id, a);
    }
    Status DecideProposal(int64_t id, const std::string& state) { return store_->DecideProposal(id, state); }
    Result<store::WaiverRecord> AddWaiver(const store::WaiverRecord& w) { return store_->AddWaiver(w); }
    Result<std::vector<store::WaiverRecord>> Waivers() { return store_->Waivers(); }
    Status RevokeWaiver(int64_t id) { return store_->RevokeWaiver(id); }
    Result<int64_t> RecordScores(const std::vector<store::ScoreRecord>& s) { return store_->RecordScores(s); }
    Result<std::vector<store::ScoreRecord>> Scores(const std::string& scope, const std::string& name, int64_t checks) {
        return store_->Scores(scope, name, checks);
    }

private:
    struct Resolved {
        std::string kind;
        std::string name;
        std::string port;  // a product address that names one of its output ports
    };
    Result<Resolved> Resolve(const std::string& address);
    Result<spec::KnownMesh> Known(const spec::Batch& batch);

    std::unique_ptr<store::Store> store_;
    std::shared_ptr<const text::Speller> speller_;  // of the search index, at `speller_revision_`
    int64_t speller_revision_ = -1;
};

// What the search index keeps of a product.
store::SearchDocument SearchDocumentOf(const model::DataProduct& product);

// The domains whose entities `plan` creates, updates or deletes (a team counts for its domain, as
// `batch` declares it): whoever applies the batch must be allowed to write each of them.
std::set<std::string> ChangedDomains(const Plan& plan, const spec::Batch& batch);

// The changes between two canonical JSON documents (either may be empty for absent).
std::vector<FieldChange> DiffDocuments(const std::string& before, const std::string& after);

}  // namespace tessera::catalog
