#pragma once

// The metadata store: versioned documents behind one interface, implemented today on SQLite (WAL),
// the embedded default; a PostgreSQL store for several server replicas does not exist yet. Nothing
// of the database leaks through: callers see entities as JSON documents and revisions as numbers.
//
//   TESSERA_ASSIGN_OR_RETURN(auto store, store::OpenSqlite(".tessera/catalog.db"));
//   store::CommitRequest req{.author = "alice", .message = "add orders"};
//   req.changes.push_back({store::Change::kPut, "DataProduct", "orders.order_facts", "orders", json});
//   TESSERA_ASSIGN_OR_RETURN(store::RevisionInfo rev, store->Commit(req));
//
// Every commit is one revision, applied all or nothing. A store object may be used from one thread
// at a time; several processes may share one store (writers are serialised by the database).

#include <cstdint>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace tessera::store {

struct RevisionInfo {
    int64_t number = 0;
    std::string author;
    std::string message;
    int64_t created_at_ms = 0;  // Unix time in milliseconds
    int64_t changes = 0;        // entities written or deleted in this revision
};

// One entity as stored: its current (or historical) document.
struct EntityRecord {
    std::string kind;      // "Domain", "Team", "DataProduct"
    std::string name;      // the address: "orders", "orders_core", "orders.order_facts"
    std::string scope;     // the domain it belongs to, for listing by domain ("" when none)
    std::string origin;    // where it was declared (a file path), informational
    std::string document;  // canonical JSON
    int64_t revision = 0;  // the revision that wrote this version
};

// What the search index holds of a product; written in the same transaction as the product.
struct SearchDocument {
    std::string domain;
    std::string owner;
    std::string kind;
    std::string title;
    std::string description;
    std::string ports;    // port names and descriptions
    std::string columns;  // column names (also split at '_') and descriptions
    std::string tags;     // tags and glossary terms, space separated
    std::vector<std::string> tag_list;
    std::vector<std::string> classifications;
};

struct Change {
    enum Op { kPut, kDelete };
    Op op = kPut;
    std::string kind;
    std::string name;
    std::string scope;
    std::string document;               // kPut only
    std::string origin;                 // kPut only
    std::vector<std::string> depends_on;  // kPut of a product: the products it reads
    std::optional<SearchDocument> search;  // kPut of a product: its entry in the search index
};

// A full-text query with filters. Terms match as prefixes; all terms must match.
struct SearchQuery {
    std::vector<std::string> terms;  // lower case words
    std::string domain, owner, tag, kind, classification;
    // Freshness states by product (the engine computes them), for the `status` facet and filter.
    std::map<std::string, std::string> states;
    std::string status;
    int64_t limit = 20;
    int64_t offset = 0;
};

struct SearchHit {
    std::string name;
    double score = 0;          // higher is better
    double text_score = 0;     // BM25 with field weights (positive)
    double trust = 0;          // the boost from trust signals
    std::string matched;       // which field matched best: name, title, columns…
    std::string snippet;       // the match with [brackets] around the terms
};

// A word of the search index and how many products hold it.
struct VocabularyTerm {
    std::string term;
    int64_t documents = 0;
};

struct SearchPage {
    std::vector<SearchHit> hits;
    int64_t total = 0;
    // facet -> value -> count, over every match of the text (each facet ignoring its own filter)
    std::map<std::string, std::map<std::string, int64_t>> facets;
};

// The latest state of a product's builds, for freshness (engine/freshness.h).
struct RunSummary {
    std::string product;
    std::string last_status;        // of the newest finished run; "" when none finished
    std::string last_error;
    int64_t last_success_ms = 0;    // when the newest succeeded run finished; 0: never
    int64_t newest_snapshot_ms = 0; // 0: none
};

struct CommitRequest {
    std::vector<Change> changes;
    std::string author;
    std::string message;
    // When set, the commit fails with kAborted unless the current revision equals it.
    std::optional<int64_t> expected_revision;
};

// One entry of an entity's history: the version written by a revision (document empty when the
// revision deleted it).
struct HistoryEntry {
    RevisionInfo revision;
    bool deleted = false;
    std::string document;
};

struct Dependency {
    std::string product;   // the reader
    std::string upstream;  // the product it reads
};

// What lists of products need of each, read from the stored documents without decoding them (fast
// at any catalog size).
struct ProductSummary {
    std::string name;    // domain.product
    std::string domain;
    std::string owner;   // "" when none
    std::string kind;    // "" when the document leaves the default
    std::string title;   // "" when none
};

// One build of a product (engine/): when, how it ended, and why.
struct RunRecord {
    int64_t id = 0;
    std::string product;        // "domain.name"
    std::string status;         // running | succeeded | failed | blocked
    std::string trigger;        // manual | schedule | upstream
    std::string author;
    int64_t catalog_revision = 0;  // the product's definition the run built
    int64_t started_at_ms = 0;
    int64_t finished_at_ms = 0;  // 0 while running
    std::string error;           // why it failed or was blocked, for people
    std::string details;         // JSON: steps and timings, schema diff
};

// The outcome of one quality check in one run.
struct CheckRecord {
    int64_t run_id = 0;
    std::string port;
    std::string check;
    std::string status;  // passed | failed | warned | error
    int64_t failures = 0;
    std::string message;
    std::string sample;  // JSON array of failing rows (a few)
};

// A quality problem of a product, with an owner's time to fix it (docs/governance.md). Opened
// by a consumer (`origin` "consumer") or by a run whose check failed ("check"); a product has at
// most one unresolved issue per port and check of origin "check", and a run whose check passes
// resolves it.
struct IssueRecord {
    int64_t id = 0;
    std::string product;  // "domain.name"
    std::string domain;
    std::string port;     // empty: the product as a whole
    std::string column;   // empty: no one column
    std::string check;    // origin "check": the failing check's name
    std::string origin;   // consumer | check
    std::string title;
    std::string description;
    std::string state;    // open | acknowledged | resolved
    std::string opened_by;
    int64_t opened_at_ms = 0;
    int64_t due_at_ms = 0;  // opened_at_ms + the domain's time to fix
    std::string acknowledged_by;
    int64_t acknowledged_at_ms = 0;
    std::string resolved_by;
    int64_t resolved_at_ms = 0;
    std::string resolution;  // the resolver's note, or why a run resolved it
    int64_t opened_run = 0;  // origin "check": the run that opened it
    int64_t last_run = 0;    // origin "check": the newest run in which the check failed
    int64_t resolved_run = 0;
};

struct IssueComment {
    int64_t issue_id = 0;
    std::string author;
    int64_t created_at_ms = 0;
    std::string text;
};

struct IssueQuery {
    std::string product;  // "domain.name", or empty
    std::string domain;   // or empty
    std::string state;    // open | acknowledged | resolved | all; empty: unresolved (open or acknowledged)
    bool overdue = false;  // only unresolved issues past their due time at `now_ms`
    int64_t now_ms = 0;
};

// What a finished run does to its product's issues, in the run's transaction (see IssueRecord):
// each failing check (failed, warned or error) opens an issue unless one is unresolved already;
// each passing check, and each check the run no longer has, resolves its unresolved issue.
struct RunIssueSync {
    bool enabled = false;
    std::string domain;
    int64_t time_to_fix_ms = 0;
};

// --- Governance (docs/governance.md) ---

// One domain representative's approval of a policy proposal; one per domain.
struct ApprovalRecord {
    std::string domain;
    std::string representative;
    int64_t approved_at_ms = 0;
};

// A proposed policy (its canonical JSON document) waiting for approvals.
struct ProposalRecord {
    int64_t id = 0;
    std::string policy;    // the policy's name
    std::string document;  // canonical JSON of the Policy
    std::string origin;    // the file it was proposed from
    std::string proposer;
    int64_t created_at_ms = 0;
    int64_t quorum = 1;    // approving domains needed
    std::string state;     // open | accepted | withdrawn
    int64_t decided_at_ms = 0;
    std::vector<ApprovalRecord> approvals;  // oldest first
};

// An exemption of one product from one policy until the end of `expires` (UTC).
struct WaiverRecord {
    int64_t id = 0;
    std::string policy;
    std::string product;  // "domain.name"
    std::string reason;
    std::string approver;
    std::string author;
    std::string expires;  // YYYY-MM-DD
    int64_t created_at_ms = 0;
    int64_t revoked_at_ms = 0;  // 0 while not revoked
};

// One recorded score of a product or domain, from one `tessera check`.
struct ScoreRecord {
    int64_t check_id = 0;
    int64_t recorded_at_ms = 0;
    std::string scope;  // product | domain | mesh
    std::string name;   // "domain.name", the domain, or "" for the mesh
    double score = 0;   // 0..100
    std::string properties;  // JSON object: property -> score (absent: no rule)
    int64_t violations = 0;
    int64_t overdue_issues = 0;
};

// A published version of an output port: immutable Parquet files in `path`.
struct SnapshotRecord {
    std::string product;
    std::string port;
    int64_t version = 0;  // 1, 2, …: the folder v<version>
    std::string path;     // relative to the data folder: domain/product/port/v<version>
    int64_t rows = 0;
    int64_t bytes = 0;
    int64_t run_id = 0;
    int64_t created_at_ms = 0;
};

// --- Identity and access (access/ owns the meaning; the store keeps rows) ---

// An API token: only a salted SHA-256 of its secret is kept.
struct TokenRecord {
    std::string id;           // the public part of the token
    std::string user;
    std::string salt;         // hex
    std::string secret_hash;  // hex SHA-256 of salt || secret
    std::string description;
    std::string created_by;
    int64_t created_at_ms = 0;
    int64_t expires_at_ms = 0;  // 0: never
    int64_t revoked_at_ms = 0;  // 0: live
};

struct RoleBindingRecord {
    std::string subject;  // a user, or "group:NAME"
    std::string role;
    std::string domain;   // "" for global roles
    std::string granted_by;
    int64_t created_at_ms = 0;
};

struct AccessRequestRecord {
    int64_t id = 0;
    std::string user;
    std::string product;
    std::string domain;
    std::string reason;
    std::string columns;  // JSON array of names; [] for every column
    bool unmasked = false;
    int64_t until_ms = 0;
    std::string state;    // pending | approved | denied
    std::string decided_by;
    std::string decision_reason;
    int64_t created_at_ms = 0;
    int64_t decided_at_ms = 0;
    int64_t grant_id = 0;
};

struct GrantRecord {
    int64_t id = 0;
    std::string user;
    std::string product;
    std::string columns;  // JSON array; [] for every column
    bool unmasked = false;
    int64_t expires_at_ms = 0;
    std::string granted_by;
    int64_t request_id = 0;
    int64_t created_at_ms = 0;
    int64_t revoked_at_ms = 0;
    std::string revoked_by;
};

// One line of the append-only audit log.
struct AuditRecord {
    int64_t id = 0;
    int64_t at_ms = 0;
    std::string user;
    std::string action;
    std::string target;
    std::string outcome;
    std::string details;
    int64_t rows = -1;
};

struct AuditQuery {
    int64_t since_ms = 0;
    std::string user;
    std::string action_prefix;
    int64_t limit = 1000;
};

class Store {
public:
    virtual ~Store() = default;

    // The newest revision number (0 for an empty store).
    virtual Result<int64_t> CurrentRevision() = 0;

    // The current version of an entity, or kNotFound. With `at_revision`, the version that was
    // current after that revision (kNotFound if it did not exist then).
    virtual Result<EntityRecord> Get(const std::string& kind, const std::string& name,
                                     std::optional<int64_t> at_revision = std::nullopt) = 0;

    // Current entities of `kind`, sorted by name; only those of `scope` when it is not empty.
    virtual Result<std::vector<EntityRecord>> List(const std::string& kind, const std::string& scope = "") = 0;

    // Names only, sorted: cheaper than List for reference checks.
    virtual Result<std::vector<std::string>> ListNames(const std::string& kind) = 0;

    // Every current product-to-product dependency.
    virtual Result<std::vector<Dependency>> Dependencies() = 0;

    // Every current product, by name (see ProductSummary).
    virtual Result<std::vector<ProductSummary>> ProductSummaries() = 0;

    // Applies all changes as one new revision, or none of them. kAborted when `expected_revision`
    // does not match; kNotFound when a kDelete names nothing; kUnavailable when the database stays
    // locked by another writer. Deleting a DataProduct ends, in the same transaction, its access:
    // its live grants are revoked and its pending access requests denied (by the author, each with
    // an audit line), so that a product created again under the name starts with no reader.
    virtual Result<RevisionInfo> Commit(const CommitRequest& request) = 0;

    // Every version of one entity, oldest first; kNotFound when it never existed.
    virtual Result<std::vector<HistoryEntry>> History(const std::string& kind, const std::string& name) = 0;

    // The newest `limit` revisions, newest first.
    virtual Result<std::vector<RevisionInfo>> Revisions(int64_t limit) = 0;

    // The schema version of the store's own tables (migrations are applied on open).
    virtual int SchemaVersion() const = 0;

    // --- Runs and snapshots (the data plane) ---

    // Records a run that starts now; returns its id.
    virtual Result<int64_t> StartRun(const RunRecord& run) = 0;

    // Ends a run in one transaction: its final status, its check results, and the snapshots it
    // publishes (each becomes its port's newest version). kAborted when a snapshot version is
    // taken already.
    // With `issues.enabled`, the product's quality issues follow the checks in the same
    // transaction (RunIssueSync).
    virtual Status FinishRun(const RunRecord& run, const std::vector<CheckRecord>& checks,
                             const std::vector<SnapshotRecord>& snapshots, const RunIssueSync& issues) = 0;

    // Marks the product's runs still recorded as running as failed: their process died (the
    // caller holds the product's run lock, so none of them is alive). Returns how many.
    virtual Result<int64_t> AbandonRuns(const std::string& product) = 0;

    // Runs of a product, newest first (all products when `product` is empty).
    virtual Result<std::vector<RunRecord>> Runs(const std::string& product, int64_t limit) = 0;
    virtual Result<std::vector<CheckRecord>> Checks(int64_t run_id) = 0;
    // For every product with a finished run or a snapshot, in one read: what freshness needs.
    virtual Result<std::vector<RunSummary>> RunSummaries() = 0;

    // Snapshots of a product (one port, or all when `port` is empty), newest first.
    virtual Result<std::vector<SnapshotRecord>> Snapshots(const std::string& product, const std::string& port = "") = 0;

    // Forgets snapshots (retention); their files are the caller's to remove afterwards.
    virtual Status DeleteSnapshots(const std::vector<SnapshotRecord>& snapshots) = 0;

    // --- Quality issues (docs/governance.md) ---

    // Records a new issue (its id, state "open" and times are assigned); returns it.
    virtual Result<IssueRecord> OpenIssue(const IssueRecord& issue) = 0;
    // Issues matching `query`, newest first.
    virtual Result<std::vector<IssueRecord>> Issues(const IssueQuery& query) = 0;
    // kNotFound when no issue has this id.
    virtual Result<IssueRecord> GetIssue(int64_t id) = 0;
    // Acknowledges (`state` "acknowledged": from open) or resolves ("resolved": from open or
    // acknowledged) an issue, with who and a note. kNotFound for an unknown id;
    // kFailedPrecondition when the issue is not in a state it may move from.
    virtual Result<IssueRecord> TransitionIssue(int64_t id, const std::string& state, const std::string& user,
                                                const std::string& note) = 0;
    // kNotFound for an unknown issue.
    virtual Status AddIssueComment(const IssueComment& comment) = 0;
    // Oldest first.
    virtual Result<std::vector<IssueComment>> IssueComments(int64_t issue_id) = 0;

    // --- Governance: proposals, waivers, scorecards ---

    // Records a proposal (id, state "open" and time assigned); returns it.
    virtual Result<ProposalRecord> AddProposal(const ProposalRecord& proposal) = 0;
    // Every proposal with its approvals, newest first.
    virtual Result<std::vector<ProposalRecord>> Proposals() = 0;
    // kNotFound for an unknown id.
    virtual Result<ProposalRecord> GetProposal(int64_t id) = 0;
    // Adds a domain's approval. kNotFound for an unknown id; kFailedPrecondition unless the
    // proposal is open; kAlreadyExists when the domain approved it already.
    virtual Result<ProposalRecord> ApproveProposal(int64_t id, const ApprovalRecord& approval) = 0;
    // Moves an open proposal to `state` (accepted | withdrawn). kFailedPrecondition unless open.
    virtual Status DecideProposal(int64_t id, const std::string& state) = 0;

    // Records a waiver (id and time assigned); returns it.
    virtual Result<WaiverRecord> AddWaiver(const WaiverRecord& waiver) = 0;
    // Every waiver, expired and revoked ones too, newest first.
    virtual Result<std::vector<WaiverRecord>> Waivers() = 0;
    // kNotFound for an unknown id; kFailedPrecondition when revoked already.
    virtual Status RevokeWaiver(int64_t id) = 0;

    // Records the scores of one check under a new check id (all or none); returns the id.
    virtual Result<int64_t> RecordScores(const std::vector<ScoreRecord>& scores) = 0;
    // Scores of `scope` (and `name`, when not empty), oldest check first, at most the newest
    // `checks` checks.
    virtual Result<std::vector<ScoreRecord>> Scores(const std::string& scope, const std::string& name,
                                                    int64_t checks) = 0;

    // --- Search (the index changes in the same transaction as the catalog) ---

    // Ranked matches: BM25 over name (10), title (5), columns (3), ports (2), tags (2),
    // description (1), times the trust boost (docs/search.md). Ties by name.
    virtual Result<SearchPage> Search(const SearchQuery& query) = 0;
    // Every distinct indexed word with the number of products holding it, for typo correction.
    virtual Result<std::vector<VocabularyTerm>> SearchVocabulary() = 0;
    // True after a migration created the index over existing products: the catalog rebuilds it.
    virtual bool SearchIndexNeedsRebuild() const = 0;
    virtual Status RebuildSearchIndex(const std::vector<std::pair<std::string, SearchDocument>>& docs) = 0;

    // --- Identity and access. Every write also appends its `audit` record, in one transaction. ---

    // kAlreadyExists when the id is taken.
    virtual Status PutToken(const TokenRecord& token, const AuditRecord& audit) = 0;
    // kNotFound for an unknown id.
    virtual Result<TokenRecord> GetToken(const std::string& id) = 0;
    // Tokens of `user` (all when empty), oldest first.
    virtual Result<std::vector<TokenRecord>> Tokens(const std::string& user) = 0;
    // kNotFound for an unknown id; kFailedPrecondition when revoked already.
    virtual Status RevokeToken(const std::string& id, int64_t at_ms, const AuditRecord& audit) = 0;

    // kAlreadyExists when the same subject, role and domain are bound.
    virtual Status AddRoleBinding(const RoleBindingRecord& binding, const AuditRecord& audit) = 0;
    // kNotFound when no such binding exists.
    virtual Status RemoveRoleBinding(const RoleBindingRecord& binding, const AuditRecord& audit) = 0;
    // Bindings of the subjects given (all when empty), by subject, role, domain.
    virtual Result<std::vector<RoleBindingRecord>> RoleBindings(const std::vector<std::string>& subjects) = 0;
    // Adds `binding` only while no binding has its role (the first admin). kFailedPrecondition otherwise.
    virtual Status AddFirstRoleBinding(const RoleBindingRecord& binding, const AuditRecord& audit) = 0;

    // Returns the new request's id. kAlreadyExists while the user has a pending request for the product.
    virtual Result<int64_t> AddAccessRequest(const AccessRequestRecord& request, const AuditRecord& audit) = 0;
    // kNotFound for an unknown id.
    virtual Result<AccessRequestRecord> GetAccessRequest(int64_t id) = 0;
    // Requests filtered by user, domain and state (each ignored when empty), oldest first.
    virtual Result<std::vector<AccessRequestRecord>> AccessRequests(const std::string& user, const std::string& domain,
                                                                    const std::string& state) = 0;
    // Decides a pending request: sets its state, decider and reason and, with `grant`, creates
    // the grant. Returns the grant's id (0 without). kFailedPrecondition when the request is not
    // pending any more (someone else decided first); kNotFound for an unknown id.
    virtual Result<int64_t> DecideAccessRequest(const AccessRequestRecord& decision, const std::optional<GrantRecord>& grant,
                                                const AuditRecord& audit) = 0;
    // kNotFound for an unknown id.
    virtual Result<GrantRecord> GetGrant(int64_t id) = 0;
    // Grants of a user and / or product (each ignored when empty), oldest first.
    virtual Result<std::vector<GrantRecord>> Grants(const std::string& user, const std::string& product) = 0;
    // kNotFound / kFailedPrecondition (revoked already).
    virtual Status RevokeGrant(int64_t id, const std::string& by, int64_t at_ms, const AuditRecord& audit) = 0;

    // Appends one record; returns its id. There is no update or delete.
    virtual Result<int64_t> AppendAudit(const AuditRecord& record) = 0;
    // Newest first.
    virtual Result<std::vector<AuditRecord>> Audit(const AuditQuery& query) = 0;

    // --- Secrets of the catalog (e.g. the key of `mask: hash`); never shown by any command ---

    // The secret `name`: the stored one, or `candidate` stored now when there is none yet (two
    // first callers at once get the same answer: the first insert wins).
    virtual Result<std::string> CatalogSecret(const std::string& name, const std::string& candidate) = 0;
};

// Opens (creating if needed) a SQLite catalog at `path` in WAL mode and migrates its schema to
// the newest version. kUnavailable when the file cannot be opened; kFailedPrecondition when the
// file was written by a newer Tessera.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path);

// The version of the SQLite library linked in, e.g. "3.40.1".
std::string SqliteVersion();

}  // namespace tessera::store
