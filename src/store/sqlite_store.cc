// The embedded store: SQLite in WAL mode. Tables are specified in docs/operations.md.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <set>
#include <unordered_map>
#include <filesystem>

#include "store/internal/search_index.h"
#include "store/internal/sqlite.h"
#include "store/store.h"

namespace tessera::store {
namespace {

using internal::Database;
using internal::Statement;

// Schema migrations, applied in order; entry i moves the schema from version i to i + 1. Never
// edit a released entry: add a new one. `PRAGMA user_version` records the version.
const char* const kMigrations[] = {
        // 1: revisions, versions of entities, the current state, product dependencies.
        R"sql(
        CREATE TABLE revisions (
            number        INTEGER PRIMARY KEY,
            author        TEXT NOT NULL,
            message       TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            changes       INTEGER NOT NULL
        );
        CREATE TABLE entity_versions (
            kind     TEXT NOT NULL,
            name     TEXT NOT NULL,
            revision INTEGER NOT NULL REFERENCES revisions(number),
            deleted  INTEGER NOT NULL,
            scope    TEXT NOT NULL,
            origin   TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (kind, name, revision)
        );
        CREATE TABLE entities (
            kind     TEXT NOT NULL,
            name     TEXT NOT NULL,
            scope    TEXT NOT NULL,
            origin   TEXT NOT NULL,
            document TEXT NOT NULL,
            revision INTEGER NOT NULL,
            PRIMARY KEY (kind, name)
        );
        CREATE INDEX entities_by_scope ON entities (kind, scope, name);
        CREATE TABLE dependencies (
            product  TEXT NOT NULL,
            upstream TEXT NOT NULL,
            PRIMARY KEY (product, upstream)
        );
        CREATE INDEX dependencies_by_upstream ON dependencies (upstream);
        )sql",
        // 2: runs of products, their quality check results, published snapshots.
        R"sql(
        CREATE TABLE runs (
            id               INTEGER PRIMARY KEY,
            product          TEXT NOT NULL,
            status           TEXT NOT NULL,
            trigger          TEXT NOT NULL,
            author           TEXT NOT NULL,
            catalog_revision INTEGER NOT NULL,
            started_at_ms    INTEGER NOT NULL,
            finished_at_ms   INTEGER NOT NULL,
            error            TEXT NOT NULL,
            details          TEXT NOT NULL
        );
        CREATE INDEX runs_by_product ON runs (product, id);
        CREATE TABLE check_results (
            run_id   INTEGER NOT NULL REFERENCES runs(id),
            port     TEXT NOT NULL,
            name     TEXT NOT NULL,
            status   TEXT NOT NULL,
            failures INTEGER NOT NULL,
            message  TEXT NOT NULL,
            sample   TEXT NOT NULL
        );
        CREATE INDEX check_results_by_run ON check_results (run_id);
        CREATE TABLE snapshots (
            product       TEXT NOT NULL,
            port          TEXT NOT NULL,
            version       INTEGER NOT NULL,
            path          TEXT NOT NULL,
            rows          INTEGER NOT NULL,
            bytes         INTEGER NOT NULL,
            run_id        INTEGER NOT NULL REFERENCES runs(id),
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (product, port, version)
        );
        )sql",
        // 3: the search index of products, kept in the same transactions as the products.
        R"sql(
        CREATE TABLE search_docs (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL UNIQUE,
            domain          TEXT NOT NULL,
            owner           TEXT NOT NULL,
            kind            TEXT NOT NULL,
            tags            TEXT NOT NULL,
            classifications TEXT NOT NULL,
            trust           REAL NOT NULL DEFAULT 1
        );
        CREATE VIRTUAL TABLE search_index USING fts5(name, title, columns, ports, tags, description,
                                                     tokenize = 'unicode61');
        CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row');
        )sql",
        // 4: governance: policy proposals and their approvals, waivers, recorded scorecards.
        R"sql(
        CREATE TABLE policy_proposals (
            id            INTEGER PRIMARY KEY,
            policy        TEXT NOT NULL,
            document      TEXT NOT NULL,
            origin        TEXT NOT NULL,
            proposer      TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            quorum        INTEGER NOT NULL,
            state         TEXT NOT NULL,
            decided_at_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE policy_approvals (
            proposal_id    INTEGER NOT NULL REFERENCES policy_proposals(id),
            domain         TEXT NOT NULL,
            representative TEXT NOT NULL,
            approved_at_ms INTEGER NOT NULL,
            PRIMARY KEY (proposal_id, domain)
        );
        CREATE TABLE waivers (
            id            INTEGER PRIMARY KEY,
            policy        TEXT NOT NULL,
            product       TEXT NOT NULL,
            reason        TEXT NOT NULL,
            approver      TEXT NOT NULL,
            author        TEXT NOT NULL,
            expires       TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            revoked_at_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX waivers_by_policy ON waivers (policy, product);
        CREATE TABLE scorecards (
            check_id       INTEGER NOT NULL,
            recorded_at_ms INTEGER NOT NULL,
            scope          TEXT NOT NULL,
            name           TEXT NOT NULL,
            score          REAL NOT NULL,
            properties     TEXT NOT NULL,
            violations     INTEGER NOT NULL,
            overdue_issues INTEGER NOT NULL,
            PRIMARY KEY (check_id, scope, name)
        );
        CREATE INDEX scorecards_by_name ON scorecards (scope, name, check_id);
        )sql",
        // 5: quality issues and their comments; at most one unresolved issue per failing check.
        R"sql(
        CREATE TABLE quality_issues (
            id                 INTEGER PRIMARY KEY,
            product            TEXT NOT NULL,
            domain             TEXT NOT NULL,
            port               TEXT NOT NULL,
            column_name        TEXT NOT NULL,
            check_name         TEXT NOT NULL,
            origin             TEXT NOT NULL,
            title              TEXT NOT NULL,
            description        TEXT NOT NULL,
            state              TEXT NOT NULL,
            opened_by          TEXT NOT NULL,
            opened_at_ms       INTEGER NOT NULL,
            due_at_ms          INTEGER NOT NULL,
            acknowledged_by    TEXT NOT NULL DEFAULT '',
            acknowledged_at_ms INTEGER NOT NULL DEFAULT 0,
            resolved_by        TEXT NOT NULL DEFAULT '',
            resolved_at_ms     INTEGER NOT NULL DEFAULT 0,
            resolution         TEXT NOT NULL DEFAULT '',
            opened_run         INTEGER NOT NULL DEFAULT 0,
            last_run           INTEGER NOT NULL DEFAULT 0,
            resolved_run       INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX quality_issues_one_per_check ON quality_issues (product, port, check_name)
            WHERE origin = 'check' AND state <> 'resolved';
        CREATE INDEX quality_issues_by_product ON quality_issues (product, state);
        CREATE INDEX quality_issues_by_domain ON quality_issues (domain, state);
        CREATE TABLE quality_issue_comments (
            issue_id      INTEGER NOT NULL REFERENCES quality_issues(id),
            author        TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            text          TEXT NOT NULL
        );
        CREATE INDEX quality_issue_comments_by_issue ON quality_issue_comments (issue_id);
        )sql",
        // 6: identity and access: API tokens (hashed), role bindings, access requests, grants and
        // the append-only audit log (docs/access.md).
        R"sql(
        CREATE TABLE api_tokens (
            id            TEXT PRIMARY KEY,
            user          TEXT NOT NULL,
            salt          TEXT NOT NULL,
            secret_hash   TEXT NOT NULL,
            description   TEXT NOT NULL,
            created_by    TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            revoked_at_ms INTEGER NOT NULL
        );
        CREATE INDEX api_tokens_by_user ON api_tokens (user);
        CREATE TABLE role_bindings (
            subject       TEXT NOT NULL,
            role          TEXT NOT NULL,
            domain        TEXT NOT NULL,
            granted_by    TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (subject, role, domain)
        );
        CREATE TABLE access_requests (
            id              INTEGER PRIMARY KEY,
            user            TEXT NOT NULL,
            product         TEXT NOT NULL,
            domain          TEXT NOT NULL,
            reason          TEXT NOT NULL,
            columns         TEXT NOT NULL,
            unmasked        INTEGER NOT NULL,
            until_ms        INTEGER NOT NULL,
            state           TEXT NOT NULL,
            decided_by      TEXT NOT NULL,
            decision_reason TEXT NOT NULL,
            created_at_ms   INTEGER NOT NULL,
            decided_at_ms   INTEGER NOT NULL,
            grant_id        INTEGER NOT NULL
        );
        CREATE INDEX access_requests_by_domain ON access_requests (domain, state);
        CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (user, product) WHERE state = 'pending';
        CREATE TABLE grants (
            id            INTEGER PRIMARY KEY,
            user          TEXT NOT NULL,
            product       TEXT NOT NULL,
            columns       TEXT NOT NULL,
            unmasked      INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            granted_by    TEXT NOT NULL,
            request_id    INTEGER NOT NULL,
            created_at_ms INTEGER NOT NULL,
            revoked_at_ms INTEGER NOT NULL,
            revoked_by    TEXT NOT NULL
        );
        CREATE INDEX grants_by_user ON grants (user, product);
        CREATE TABLE audit_log (
            id      INTEGER PRIMARY KEY,
            at_ms   INTEGER NOT NULL,
            user    TEXT NOT NULL,
            action  TEXT NOT NULL,
            target  TEXT NOT NULL,
            outcome TEXT NOT NULL,
            details TEXT NOT NULL,
            rows    INTEGER NOT NULL
        );
        CREATE INDEX audit_log_by_time ON audit_log (at_ms);
        -- Append-only, whatever the caller: rows cannot be changed or removed through SQL.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        )sql",
        // 7: the search index moves into memory (store/internal/search_index.h): FTS5 goes, the
        // products' text stays in a plain table, and every change to a product's entry appends
        // its name to a change feed in the same transaction, which each process's index reads to
        // catch up. The feed starts at a random sequence, so that an index never mistakes another
        // catalog at the same path (deleted and created again) for the one it has read.
        R"sql(
        CREATE TABLE search_text (
            id          INTEGER PRIMARY KEY,
            title       TEXT NOT NULL,
            columns     TEXT NOT NULL,
            ports       TEXT NOT NULL,
            tags        TEXT NOT NULL,
            description TEXT NOT NULL
        );
        INSERT INTO search_text SELECT rowid, title, columns, ports, tags, description FROM search_index;
        DROP TABLE search_vocab;
        DROP TABLE search_index;
        CREATE TABLE search_changes (
            seq  INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL
        );
        INSERT INTO search_changes (seq, name) VALUES (abs(random() % 1000000000000) + 1, '');
        )sql",
        // 8: secrets of the catalog (the key of `mask: hash`).
        R"sql(
        CREATE TABLE catalog_secrets (
            name          TEXT PRIMARY KEY,
            value         TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL
        );
        )sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

RevisionInfo ReadRevision(const Statement& s, int first) {
    return {s.Int(first), s.Text(first + 1), s.Text(first + 2), s.Int(first + 3), s.Int(first + 4)};
}

class SqliteStore final : public Store {
public:
    SqliteStore(Database db, const std::string& path) : db_(std::move(db)), index_(internal::SharedSearchIndex(path)) {}

    Status Init() {
        // No memory map: loading the search index reads the products' text, whose pages lie all
        // over the file, and the kernel maps the pages around each one read: a search process held
        // the whole catalog (800 MB at 100,000 products) as resident memory. A 32 MiB page cache.
        TESSERA_RETURN_IF_ERROR(db_.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-32768;"));
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("PRAGMA user_version"));
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        int version = row ? static_cast<int>(s.Int(0)) : 0;
        s.Reset();  // an open read would keep migration 7 from dropping tables
        if (version > kSchemaVersion) {
            return FailedPrecondition("the catalog has schema version " + std::to_string(version) +
                                      ", newer than this Tessera understands (" + std::to_string(kSchemaVersion) +
                                      "): upgrade Tessera");
        }
        for (int v = version; v < kSchemaVersion; ++v) {
            TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
            Status st = db_.Exec(kMigrations[v]);
            if (st.ok()) st = db_.Exec("PRAGMA user_version = " + std::to_string(v + 1));
            if (st.ok()) st = db_.Exec("COMMIT");
            if (!st.ok()) {
                (void)db_.Exec("ROLLBACK");
                return Status(st.code(), "catalog migration to schema version " + std::to_string(v + 1) +
                                                 " failed: " + st.message());
            }
        }
        migrated_search_ = version >= 1 && version < 3;  // an existing catalog: index what it holds
        schema_version_ = kSchemaVersion;
        return Status::Ok();
    }

    int SchemaVersion() const override { return schema_version_; }

    Result<int64_t> CurrentRevision() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT COALESCE(MAX(number), 0) FROM revisions"));
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        return row ? s.Int(0) : 0;
    }

    Result<EntityRecord> Get(const std::string& kind, const std::string& name,
                             std::optional<int64_t> at_revision) override {
        if (!at_revision) {
            TESSERA_ASSIGN_OR_RETURN(
                    Statement s,
                    db_.Prepare("SELECT scope, origin, document, revision FROM entities WHERE kind = ? AND name = ?"));
            s.Bind(1, kind).Bind(2, name);
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) return NotFound(kind + " \"" + name + "\" is not in the catalog");
            return EntityRecord{kind, name, s.Text(0), s.Text(1), s.Text(2), s.Int(3)};
        }
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(R"sql(
            SELECT deleted, scope, origin, document, revision FROM entity_versions
            WHERE kind = ? AND name = ? AND revision <= ? ORDER BY revision DESC LIMIT 1)sql"));
        s.Bind(1, kind).Bind(2, name).Bind(3, *at_revision);
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row || s.Int(0) != 0) {
            return NotFound(kind + " \"" + name + "\" did not exist at revision " + std::to_string(*at_revision));
        }
        return EntityRecord{kind, name, s.Text(1), s.Text(2), s.Text(3), s.Int(4)};
    }

    Result<std::vector<EntityRecord>> List(const std::string& kind, const std::string& scope) override {
        std::string sql = "SELECT name, scope, origin, document, revision FROM entities WHERE kind = ?";
        if (!scope.empty()) sql += " AND scope = ?";
        sql += " ORDER BY name";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        s.Bind(1, kind);
        if (!scope.empty()) s.Bind(2, scope);
        std::vector<EntityRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({kind, s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)}); }));
        return out;
    }

    Result<std::vector<std::string>> ListNames(const std::string& kind) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT name FROM entities WHERE kind = ? ORDER BY name"));
        s.Bind(1, kind);
        std::vector<std::string> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back(s.Text(0)); }));
        return out;
    }

    Result<std::vector<ProductSummary>> ProductSummaries() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT name, scope, coalesce(json_extract(document, '$.metadata.owner'), ''), "
                "coalesce(json_extract(document, '$.spec.kind'), ''), coalesce(json_extract(document, '$.spec.title'), '') "
                "FROM entities WHERE kind = 'DataProduct' ORDER BY name"));
        std::vector<ProductSummary> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)}); }));
        return out;
    }

    Result<std::vector<Dependency>> Dependencies() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s,
                                 db_.Prepare("SELECT product, upstream FROM dependencies ORDER BY product, upstream"));
        std::vector<Dependency> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Text(0), s.Text(1)}); }));
        return out;
    }

    Result<RevisionInfo> Commit(const CommitRequest& request) override {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        Result<RevisionInfo> result = CommitInTransaction(request);
        if (!result.ok()) {
            (void)db_.Exec("ROLLBACK");
            return result;
        }
        Status st = db_.Exec("COMMIT");
        if (!st.ok()) {
            (void)db_.Exec("ROLLBACK");
            return st;
        }
        return result;
    }

    Result<std::vector<HistoryEntry>> History(const std::string& kind, const std::string& name) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(R"sql(
            SELECT r.number, r.author, r.message, r.created_at_ms, r.changes, v.deleted, v.document
            FROM entity_versions v JOIN revisions r ON r.number = v.revision
            WHERE v.kind = ? AND v.name = ? ORDER BY v.revision)sql"));
        s.Bind(1, kind).Bind(2, name);
        std::vector<HistoryEntry> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({ReadRevision(s, 0), s.Int(5) != 0, s.Text(6)}); }));
        if (out.empty()) return NotFound(kind + " \"" + name + "\" has no history: it was never in the catalog");
        return out;
    }

    Result<std::vector<RevisionInfo>> Revisions(int64_t limit) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT number, author, message, created_at_ms, changes FROM revisions ORDER BY number DESC LIMIT ?"));
        s.Bind(1, limit);
        std::vector<RevisionInfo> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back(ReadRevision(s, 0)); }));
        return out;
    }

    Result<int64_t> StartRun(const RunRecord& run) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(R"sql(
            INSERT INTO runs (product, status, trigger, author, catalog_revision, started_at_ms, finished_at_ms,
                              error, details)
            VALUES (?, 'running', ?, ?, ?, ?, 0, '', '{}') RETURNING id)sql"));
        s.Bind(1, run.product).Bind(2, run.trigger).Bind(3, run.author).Bind(4, run.catalog_revision);
        s.Bind(5, run.started_at_ms ? run.started_at_ms : NowMs());
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return Internal("recording a run returned no id");
        int64_t id = s.Int(0);
        TESSERA_RETURN_IF_ERROR(s.Run());
        return id;
    }

    Status FinishRun(const RunRecord& run, const std::vector<CheckRecord>& checks,
                     const std::vector<SnapshotRecord>& snapshots, const RunIssueSync& issues) override {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        Status st = FinishRunInTransaction(run, checks, snapshots);
        if (st.ok() && issues.enabled) st = SyncCheckIssues(run, checks, issues);
        if (st.ok()) st = db_.Exec("COMMIT");
        if (!st.ok()) (void)db_.Exec("ROLLBACK");
        return st;
    }

    Result<int64_t> AbandonRuns(const std::string& product) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "UPDATE runs SET status = 'failed', finished_at_ms = ?, "
                "error = 'abandoned: the process running it ended before it finished' "
                "WHERE product = ? AND status = 'running'"));
        s.Bind(1, NowMs()).Bind(2, product);
        TESSERA_RETURN_IF_ERROR(s.Run());
        return db_.Changes();
    }

    Result<std::vector<RunSummary>> RunSummaries() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(R"sql(
            WITH last AS (
                SELECT product, status, error,
                       row_number() OVER (PARTITION BY product ORDER BY id DESC) AS n
                FROM runs WHERE status <> 'running'),
            success AS (SELECT product, max(finished_at_ms) AS at FROM runs WHERE status = 'succeeded' GROUP BY product),
            snapshot AS (SELECT product, max(created_at_ms) AS at FROM snapshots GROUP BY product),
            products AS (SELECT product FROM last UNION SELECT product FROM snapshot)
            SELECT p.product, coalesce(l.status, ''), coalesce(l.error, ''), coalesce(s.at, 0), coalesce(n.at, 0)
            FROM products p
            LEFT JOIN last l ON l.product = p.product AND l.n = 1
            LEFT JOIN success s ON s.product = p.product
            LEFT JOIN snapshot n ON n.product = p.product
            ORDER BY p.product)sql"));
        std::vector<RunSummary> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Int(4)}); }));
        return out;
    }

    Result<std::vector<RunRecord>> Runs(const std::string& product, int64_t limit) override {
        std::string sql = "SELECT id, product, status, trigger, author, catalog_revision, started_at_ms, "
                          "finished_at_ms, error, details FROM runs";
        if (!product.empty()) sql += " WHERE product = ?";
        sql += " ORDER BY id DESC LIMIT ?";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        int i = 1;
        if (!product.empty()) s.Bind(i++, product);
        s.Bind(i, limit);
        std::vector<RunRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6), s.Int(7),
                           s.Text(8), s.Text(9)}); }));
        return out;
    }

    Result<std::vector<CheckRecord>> Checks(int64_t run_id) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT run_id, port, name, status, failures, message, sample FROM check_results WHERE run_id = ? "
                "ORDER BY rowid"));
        s.Bind(1, run_id);
        std::vector<CheckRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5), s.Text(6)}); }));
        return out;
    }

    Result<std::vector<SnapshotRecord>> Snapshots(const std::string& product, const std::string& port) override {
        std::string sql = "SELECT product, port, version, path, rows, bytes, run_id, created_at_ms FROM snapshots "
                          "WHERE product = ?";
        if (!port.empty()) sql += " AND port = ?";
        sql += " ORDER BY port, version DESC";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        s.Bind(1, product);
        if (!port.empty()) s.Bind(2, port);
        std::vector<SnapshotRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Text(0), s.Text(1), s.Int(2), s.Text(3), s.Int(4), s.Int(5), s.Int(6), s.Int(7)}); }));
        return out;
    }

    Status DeleteSnapshots(const std::vector<SnapshotRecord>& snapshots) override {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        Status st = Status::Ok();
        auto del = db_.Prepare("DELETE FROM snapshots WHERE product = ? AND port = ? AND version = ?");
        if (!del.ok()) st = del.status();
        for (const auto& snap : snapshots) {
            if (!st.ok()) break;
            del->Reset();
            del->Bind(1, snap.product).Bind(2, snap.port).Bind(3, snap.version);
            st = del->Run();
        }
        if (st.ok()) st = db_.Exec("COMMIT");
        if (!st.ok()) (void)db_.Exec("ROLLBACK");
        return st;
    }

    Result<std::vector<VocabularyTerm>> SearchVocabulary() override {
        TESSERA_RETURN_IF_ERROR(CatchUpSearch());
        return index_->Vocabulary();
    }

    Result<SearchPage> Search(const SearchQuery& q) override;
    // Brings the shared in-memory index up to what this connection sees: reads the change feed
    // since the index's sequence (or everything, the first time) when it moved.
    Status CatchUpSearch();
    Status ReadSearchChanges(int64_t since, internal::SearchChanges& changes);

    // --- Governance ---

    Result<ProposalRecord> AddProposal(const ProposalRecord& p) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO policy_proposals (policy, document, origin, proposer, created_at_ms, quorum, state) "
                "VALUES (?, ?, ?, ?, ?, ?, 'open') RETURNING id"));
        s.Bind(1, p.policy).Bind(2, p.document).Bind(3, p.origin).Bind(4, p.proposer);
        s.Bind(5, p.created_at_ms ? p.created_at_ms : NowMs()).Bind(6, p.quorum);
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return Internal("recording the proposal returned no id");
        int64_t id = s.Int(0);
        TESSERA_RETURN_IF_ERROR(s.Run());
        return GetProposal(id);
    }

    Result<std::vector<ProposalRecord>> ReadProposals(const std::string& where, std::optional<int64_t> id) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT id, policy, document, origin, proposer, created_at_ms, quorum, state, decided_at_ms "
                "FROM policy_proposals " + where + " ORDER BY id DESC"));
        if (id) s.Bind(1, *id);
        std::vector<ProposalRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6), s.Text(7),
                           s.Int(8), {}});
        }));
        TESSERA_ASSIGN_OR_RETURN(Statement a, db_.Prepare(
                "SELECT domain, representative, approved_at_ms FROM policy_approvals WHERE proposal_id = ? "
                "ORDER BY approved_at_ms, domain"));
        for (auto& p : out) {
            a.Reset();
            a.Bind(1, p.id);
            TESSERA_RETURN_IF_ERROR(a.ForEachRow([&] { p.approvals.push_back({a.Text(0), a.Text(1), a.Int(2)}); }));
        }
        return out;
    }

    Result<std::vector<ProposalRecord>> Proposals() override { return ReadProposals("", std::nullopt); }

    Result<ProposalRecord> GetProposal(int64_t id) override {
        TESSERA_ASSIGN_OR_RETURN(auto found, ReadProposals("WHERE id = ?", id));
        if (found.empty()) return NotFound("policy proposal " + std::to_string(id) + " does not exist");
        return found.front();
    }

    Result<ProposalRecord> ApproveProposal(int64_t id, const ApprovalRecord& approval) override {
        TESSERA_ASSIGN_OR_RETURN(ProposalRecord p, GetProposal(id));
        if (p.state != "open") {
            return FailedPrecondition("policy proposal " + std::to_string(id) + " is " + p.state + ", not open");
        }
        for (const auto& a : p.approvals) {
            if (a.domain == approval.domain) {
                return AlreadyExists("domain " + a.domain + " approved proposal " + std::to_string(id) +
                                     " already (by " + a.representative + ")");
            }
        }
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO policy_approvals (proposal_id, domain, representative, approved_at_ms) VALUES (?, ?, ?, ?)"));
        s.Bind(1, id).Bind(2, approval.domain).Bind(3, approval.representative);
        s.Bind(4, approval.approved_at_ms ? approval.approved_at_ms : NowMs());
        TESSERA_RETURN_IF_ERROR(s.Run());
        return GetProposal(id);
    }

    Status DecideProposal(int64_t id, const std::string& state) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "UPDATE policy_proposals SET state = ?, decided_at_ms = ? WHERE id = ? AND state = 'open'"));
        s.Bind(1, state).Bind(2, NowMs()).Bind(3, id);
        TESSERA_RETURN_IF_ERROR(s.Run());
        if (db_.Changes() == 0) {
            TESSERA_ASSIGN_OR_RETURN(ProposalRecord p, GetProposal(id));
            return FailedPrecondition("policy proposal " + std::to_string(id) + " is " + p.state + ", not open");
        }
        return Status::Ok();
    }

    Result<WaiverRecord> AddWaiver(const WaiverRecord& w) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO waivers (policy, product, reason, approver, author, expires, created_at_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
        WaiverRecord out = w;
        out.created_at_ms = w.created_at_ms ? w.created_at_ms : NowMs();
        s.Bind(1, w.policy).Bind(2, w.product).Bind(3, w.reason).Bind(4, w.approver).Bind(5, w.author);
        s.Bind(6, w.expires).Bind(7, out.created_at_ms);
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return Internal("recording the waiver returned no id");
        out.id = s.Int(0);
        TESSERA_RETURN_IF_ERROR(s.Run());
        return out;
    }

    Result<std::vector<WaiverRecord>> Waivers() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT id, policy, product, reason, approver, author, expires, created_at_ms, revoked_at_ms "
                "FROM waivers ORDER BY id DESC"));
        std::vector<WaiverRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Int(7), s.Int(8)});
        }));
        return out;
    }

    Status RevokeWaiver(int64_t id) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "UPDATE waivers SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms = 0"));
        s.Bind(1, NowMs()).Bind(2, id);
        TESSERA_RETURN_IF_ERROR(s.Run());
        if (db_.Changes() > 0) return Status::Ok();
        TESSERA_ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT 1 FROM waivers WHERE id = ?"));
        q.Bind(1, id);
        TESSERA_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) return NotFound("waiver " + std::to_string(id) + " does not exist");
        return FailedPrecondition("waiver " + std::to_string(id) + " is revoked already");
    }

    Result<int64_t> RecordScores(const std::vector<ScoreRecord>& scores) override {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        auto write = [&]() -> Result<int64_t> {
            TESSERA_ASSIGN_OR_RETURN(Statement next, db_.Prepare("SELECT COALESCE(MAX(check_id), 0) + 1 FROM scorecards"));
            TESSERA_ASSIGN_OR_RETURN(bool row, next.Step());
            int64_t check_id = row ? next.Int(0) : 1;
            int64_t now = NowMs();
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "INSERT INTO scorecards (check_id, recorded_at_ms, scope, name, score, properties, violations, "
                    "overdue_issues) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
            for (const auto& r : scores) {
                s.Reset();
                s.Bind(1, check_id).Bind(2, r.recorded_at_ms ? r.recorded_at_ms : now).Bind(3, r.scope).Bind(4, r.name);
                s.Bind(5, r.score).Bind(6, r.properties).Bind(7, r.violations).Bind(8, r.overdue_issues);
                TESSERA_RETURN_IF_ERROR(s.Run());
            }
            return check_id;
        };
        auto id = write();
        Status st = id.ok() ? db_.Exec("COMMIT") : id.status();
        if (!st.ok()) {
            (void)db_.Exec("ROLLBACK");
            return st;
        }
        return id;
    }

    Result<std::vector<ScoreRecord>> Scores(const std::string& scope, const std::string& name, int64_t checks) override {
        std::string sql =
                "SELECT check_id, recorded_at_ms, scope, name, score, properties, violations, overdue_issues "
                "FROM scorecards WHERE scope = ? AND check_id > (SELECT COALESCE(MAX(check_id), 0) FROM scorecards) - ?";
        if (!name.empty()) sql += " AND name = ?";
        sql += " ORDER BY check_id, name";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        s.Bind(1, scope).Bind(2, checks);
        if (!name.empty()) s.Bind(3, name);
        std::vector<ScoreRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Double(4), s.Text(5), s.Int(6), s.Int(7)});
        }));
        return out;
    }

    Result<IssueRecord> OpenIssue(const IssueRecord& issue) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO quality_issues (product, domain, port, column_name, check_name, origin, title, description, "
                "state, opened_by, opened_at_ms, due_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id"));
        int64_t now = issue.opened_at_ms ? issue.opened_at_ms : NowMs();
        s.Bind(1, issue.product).Bind(2, issue.domain).Bind(3, issue.port).Bind(4, issue.column).Bind(5, issue.check);
        s.Bind(6, issue.origin).Bind(7, issue.title).Bind(8, issue.description).Bind(9, issue.opened_by).Bind(10, now);
        s.Bind(11, issue.due_at_ms);
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return Internal("recording the issue returned no id");
        int64_t id = s.Int(0);
        TESSERA_RETURN_IF_ERROR(s.Run());
        return GetIssue(id);
    }

    Result<std::vector<IssueRecord>> Issues(const IssueQuery& q) override {
        std::string sql = std::string(kIssueColumns) + " WHERE 1 = 1";
        std::vector<std::string> args;
        if (!q.product.empty()) {
            sql += " AND product = ?";
            args.push_back(q.product);
        }
        if (!q.domain.empty()) {
            sql += " AND domain = ?";
            args.push_back(q.domain);
        }
        if (q.state.empty() || q.overdue) {
            sql += " AND state <> 'resolved'";
        } else if (q.state != "all") {
            sql += " AND state = ?";
            args.push_back(q.state);
        }
        if (q.overdue) sql += " AND due_at_ms < " + std::to_string(q.now_ms ? q.now_ms : NowMs());
        sql += " ORDER BY id DESC";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        for (size_t i = 0; i < args.size(); ++i) s.Bind(static_cast<int>(i + 1), args[i]);
        std::vector<IssueRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back(ReadIssue(s)); }));
        return out;
    }

    Result<IssueRecord> GetIssue(int64_t id) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(std::string(kIssueColumns) + " WHERE id = ?"));
        s.Bind(1, id);
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return NotFound("quality issue #" + std::to_string(id) + " does not exist (tessera issue list)");
        return ReadIssue(s);
    }

    Result<IssueRecord> TransitionIssue(int64_t id, const std::string& state, const std::string& user,
                                        const std::string& note) override {
        std::string sql;
        if (state == "acknowledged") {
            sql = "UPDATE quality_issues SET state = 'acknowledged', acknowledged_by = ?1, acknowledged_at_ms = ?2 "
                  "WHERE id = ?3 AND state = 'open'";
        } else if (state == "resolved") {
            sql = "UPDATE quality_issues SET state = 'resolved', resolved_by = ?1, resolved_at_ms = ?2, resolution = ?4 "
                  "WHERE id = ?3 AND state IN ('open', 'acknowledged')";
        } else {
            return InvalidArgument("an issue moves to acknowledged or resolved, not \"" + state + "\"");
        }
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        s.Bind(1, user).Bind(2, NowMs()).Bind(3, id);
        if (state == "resolved") s.Bind(4, note);
        TESSERA_RETURN_IF_ERROR(s.Run());
        bool changed = db_.Changes() > 0;
        TESSERA_ASSIGN_OR_RETURN(IssueRecord issue, GetIssue(id));
        if (!changed) {
            return FailedPrecondition("quality issue #" + std::to_string(id) + " is " + issue.state +
                                      (state == "acknowledged" ? ": only an open issue can be acknowledged"
                                                               : ": it was resolved already"));
        }
        return issue;
    }

    Status AddIssueComment(const IssueComment& c) override {
        TESSERA_RETURN_IF_ERROR(GetIssue(c.issue_id).status());
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO quality_issue_comments (issue_id, author, created_at_ms, text) VALUES (?, ?, ?, ?)"));
        s.Bind(1, c.issue_id).Bind(2, c.author).Bind(3, c.created_at_ms ? c.created_at_ms : NowMs()).Bind(4, c.text);
        return s.Run();
    }

    Result<std::vector<IssueComment>> IssueComments(int64_t issue_id) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT issue_id, author, created_at_ms, text FROM quality_issue_comments WHERE issue_id = ? ORDER BY rowid"));
        s.Bind(1, issue_id);
        std::vector<IssueComment> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Int(0), s.Text(1), s.Int(2), s.Text(3)}); }));
        return out;
    }

    bool SearchIndexNeedsRebuild() const override { return migrated_search_; }

    Status RebuildSearchIndex(const std::vector<std::pair<std::string, SearchDocument>>& docs) override {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        Status st = Status::Ok();
        for (const auto& [name, doc] : docs) {
            Change c{Change::kPut, "DataProduct", name, doc.domain, "", "", {}, doc};
            st = IndexProduct(c);
            if (!st.ok()) break;
        }
        if (st.ok()) st = db_.Exec("COMMIT");
        if (!st.ok()) (void)db_.Exec("ROLLBACK");
        if (st.ok()) migrated_search_ = false;
        return st;
    }

    // --- Identity and access ---

    Status PutToken(const TokenRecord& t, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "INSERT INTO api_tokens (id, user, salt, secret_hash, description, created_by, created_at_ms, "
                    "expires_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING"));
            s.Bind(1, t.id).Bind(2, t.user).Bind(3, t.salt).Bind(4, t.secret_hash).Bind(5, t.description);
            s.Bind(6, t.created_by).Bind(7, t.created_at_ms).Bind(8, t.expires_at_ms);
            TESSERA_RETURN_IF_ERROR(s.Run());
            if (db_.Changes() == 0) return AlreadyExists("token " + t.id + " exists");
            return InsertAudit(audit).status();
        });
    }

    Result<TokenRecord> GetToken(const std::string& id) override {
        TESSERA_ASSIGN_OR_RETURN(std::vector<TokenRecord> found, SelectTokens("WHERE id = ?", id));
        if (found.empty()) return NotFound("token " + id + " does not exist");
        return found.front();
    }

    Result<std::vector<TokenRecord>> Tokens(const std::string& user) override {
        if (user.empty()) return SelectTokens("", "");
        return SelectTokens("WHERE user = ?", user);
    }

    Status RevokeToken(const std::string& id, int64_t at_ms, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(TokenRecord t, GetToken(id));
            if (t.revoked_at_ms) return FailedPrecondition("token " + id + " is revoked already");
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ?"));
            s.Bind(1, at_ms).Bind(2, id);
            TESSERA_RETURN_IF_ERROR(s.Run());
            return InsertAudit(audit).status();
        });
    }

    Status AddRoleBinding(const RoleBindingRecord& b, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status { return InsertRoleBinding(b, audit); });
    }

    Status AddFirstRoleBinding(const RoleBindingRecord& b, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT subject FROM role_bindings WHERE role = ? LIMIT 1"));
            s.Bind(1, b.role);
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (row) return FailedPrecondition("the role " + b.role + " is bound already (to " + s.Text(0) + ")");
            return InsertRoleBinding(b, audit);
        });
    }

    Status RemoveRoleBinding(const RoleBindingRecord& b, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "DELETE FROM role_bindings WHERE subject = ? AND role = ? AND domain = ?"));
            s.Bind(1, b.subject).Bind(2, b.role).Bind(3, b.domain);
            TESSERA_RETURN_IF_ERROR(s.Run());
            if (db_.Changes() == 0) {
                return NotFound(b.subject + " has no role " + b.role + (b.domain.empty() ? "" : " in " + b.domain));
            }
            return InsertAudit(audit).status();
        });
    }

    Result<std::vector<RoleBindingRecord>> RoleBindings(const std::vector<std::string>& subjects) override {
        std::string sql = "SELECT subject, role, domain, granted_by, created_at_ms FROM role_bindings";
        if (!subjects.empty()) {
            sql += " WHERE subject IN (";
            for (size_t i = 0; i < subjects.size(); ++i) sql += i ? ", ?" : "?";
            sql += ")";
        }
        sql += " ORDER BY subject, role, domain";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        for (size_t i = 0; i < subjects.size(); ++i) s.Bind(static_cast<int>(i + 1), subjects[i]);
        std::vector<RoleBindingRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)}); }));
        return out;
    }

    Result<int64_t> AddAccessRequest(const AccessRequestRecord& r, const AuditRecord& audit) override {
        int64_t id = 0;
        TESSERA_RETURN_IF_ERROR(InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "INSERT INTO access_requests (user, product, domain, reason, columns, unmasked, until_ms, state, "
                    "decided_by, decision_reason, created_at_ms, decided_at_ms, grant_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', '', '', ?, 0, 0) ON CONFLICT DO NOTHING RETURNING id"));
            s.Bind(1, r.user).Bind(2, r.product).Bind(3, r.domain).Bind(4, r.reason).Bind(5, r.columns);
            s.Bind(6, int64_t{r.unmasked}).Bind(7, r.until_ms).Bind(8, r.created_at_ms);
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) return AlreadyExists(r.user + " has a pending request for " + r.product + " already");
            id = s.Int(0);
            TESSERA_RETURN_IF_ERROR(s.Run());
            AuditRecord a = audit;
            a.target = "request " + std::to_string(id) + " " + a.target;
            return InsertAudit(a).status();
        }));
        return id;
    }

    Result<AccessRequestRecord> GetAccessRequest(int64_t id) override {
        TESSERA_ASSIGN_OR_RETURN(auto found, SelectRequests("WHERE id = ?", {std::to_string(id)}));
        if (found.empty()) return NotFound("access request " + std::to_string(id) + " does not exist");
        return found.front();
    }

    Result<std::vector<AccessRequestRecord>> AccessRequests(const std::string& user, const std::string& domain,
                                                            const std::string& state) override {
        std::vector<std::string> where, args;
        if (!user.empty()) where.push_back("user = ?"), args.push_back(user);
        if (!domain.empty()) where.push_back("domain = ?"), args.push_back(domain);
        if (!state.empty()) where.push_back("state = ?"), args.push_back(state);
        std::string clause;
        for (size_t i = 0; i < where.size(); ++i) clause += (i ? " AND " : "WHERE ") + where[i];
        return SelectRequests(clause, args);
    }

    Result<int64_t> DecideAccessRequest(const AccessRequestRecord& d, const std::optional<GrantRecord>& grant,
                                        const AuditRecord& audit) override {
        int64_t grant_id = 0;
        TESSERA_RETURN_IF_ERROR(InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(AccessRequestRecord current, GetAccessRequest(d.id));
            if (current.state != "pending") {
                return FailedPrecondition("access request " + std::to_string(d.id) + " is " + current.state +
                                          " already (by " + current.decided_by + ")");
            }
            if (grant) {
                TESSERA_ASSIGN_OR_RETURN(Statement g, db_.Prepare(
                        "INSERT INTO grants (user, product, columns, unmasked, expires_at_ms, granted_by, request_id, "
                        "created_at_ms, revoked_at_ms, revoked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, '') RETURNING id"));
                g.Bind(1, grant->user).Bind(2, grant->product).Bind(3, grant->columns).Bind(4, int64_t{grant->unmasked});
                g.Bind(5, grant->expires_at_ms).Bind(6, grant->granted_by).Bind(7, d.id).Bind(8, grant->created_at_ms);
                TESSERA_ASSIGN_OR_RETURN(bool row, g.Step());
                if (!row) return Internal("the grant was not created");
                grant_id = g.Int(0);
                TESSERA_RETURN_IF_ERROR(g.Run());
            }
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "UPDATE access_requests SET state = ?, decided_by = ?, decision_reason = ?, decided_at_ms = ?, "
                    "grant_id = ? WHERE id = ? AND state = 'pending'"));
            s.Bind(1, d.state).Bind(2, d.decided_by).Bind(3, d.decision_reason).Bind(4, d.decided_at_ms);
            s.Bind(5, grant_id).Bind(6, d.id);
            TESSERA_RETURN_IF_ERROR(s.Run());
            AuditRecord a = audit;
            if (grant_id) a.details += (a.details.empty() ? "" : "; ") + std::string("grant ") + std::to_string(grant_id);
            return InsertAudit(a).status();
        }));
        return grant_id;
    }

    Result<GrantRecord> GetGrant(int64_t id) override {
        TESSERA_ASSIGN_OR_RETURN(auto found, SelectGrants("WHERE id = ?", {std::to_string(id)}));
        if (found.empty()) return NotFound("grant " + std::to_string(id) + " does not exist");
        return found.front();
    }

    Result<std::vector<GrantRecord>> Grants(const std::string& user, const std::string& product) override {
        std::vector<std::string> where, args;
        if (!user.empty()) where.push_back("user = ?"), args.push_back(user);
        if (!product.empty()) where.push_back("product = ?"), args.push_back(product);
        std::string clause;
        for (size_t i = 0; i < where.size(); ++i) clause += (i ? " AND " : "WHERE ") + where[i];
        return SelectGrants(clause, args);
    }

    Status RevokeGrant(int64_t id, const std::string& by, int64_t at_ms, const AuditRecord& audit) override {
        return InTransaction([&]() -> Status {
            TESSERA_ASSIGN_OR_RETURN(GrantRecord g, GetGrant(id));
            if (g.revoked_at_ms) {
                return FailedPrecondition("grant " + std::to_string(id) + " is revoked already (by " + g.revoked_by + ")");
            }
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE grants SET revoked_at_ms = ?, revoked_by = ? WHERE id = ?"));
            s.Bind(1, at_ms).Bind(2, by).Bind(3, id);
            TESSERA_RETURN_IF_ERROR(s.Run());
            return InsertAudit(audit).status();
        });
    }

    Result<int64_t> AppendAudit(const AuditRecord& record) override { return InsertAudit(record); }

    Result<std::string> CatalogSecret(const std::string& name, const std::string& candidate) override {
        auto stored = [&]() -> Result<std::optional<std::string>> {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT value FROM catalog_secrets WHERE name = ?"));
            s.Bind(1, name);
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            return row ? std::optional<std::string>(s.Text(0)) : std::nullopt;
        };
        TESSERA_ASSIGN_OR_RETURN(auto found, stored());
        if (found) return *found;  // the usual case: no write
        {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "INSERT OR IGNORE INTO catalog_secrets (name, value, created_at_ms) VALUES (?, ?, ?)"));
            s.Bind(1, name).Bind(2, candidate).Bind(3, NowMs());
            TESSERA_RETURN_IF_ERROR(s.Run());
        }
        TESSERA_ASSIGN_OR_RETURN(found, stored());
        if (!found) return Internal("the secret " + name + " was not stored");
        return *found;
    }

    Result<std::vector<AuditRecord>> Audit(const AuditQuery& q) override {
        std::string sql = "SELECT id, at_ms, user, action, target, outcome, details, rows FROM audit_log WHERE at_ms >= ?";
        if (!q.user.empty()) sql += " AND user = ?";
        if (!q.action_prefix.empty()) sql += " AND (action = ? OR substr(action, 1, ?) = ?)";
        sql += " ORDER BY id DESC LIMIT ?";
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(sql));
        int i = 1;
        s.Bind(i++, q.since_ms);
        if (!q.user.empty()) s.Bind(i++, q.user);
        if (!q.action_prefix.empty()) {
            std::string dotted = q.action_prefix + ".";
            s.Bind(i, q.action_prefix);
            s.Bind(i + 1, static_cast<int64_t>(dotted.size()));
            s.Bind(i + 2, dotted);
            i += 3;
        }
        s.Bind(i, q.limit);
        std::vector<AuditRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Int(7)});
        }));
        return out;
    }


private:
    static constexpr const char* kIssueColumns =
            "SELECT id, product, domain, port, column_name, check_name, origin, title, description, state, opened_by, "
            "opened_at_ms, due_at_ms, acknowledged_by, acknowledged_at_ms, resolved_by, resolved_at_ms, resolution, "
            "opened_run, last_run, resolved_run FROM quality_issues";

    static IssueRecord ReadIssue(const Statement& s) {
        return {s.Int(0),  s.Text(1),  s.Text(2),  s.Text(3), s.Text(4),  s.Text(5),  s.Text(6),
                s.Text(7), s.Text(8),  s.Text(9),  s.Text(10), s.Int(11),  s.Int(12),  s.Text(13),
                s.Int(14), s.Text(15), s.Int(16),  s.Text(17), s.Int(18),  s.Int(19),  s.Int(20)};
    }

    // RunIssueSync: failing checks open (or keep open) one issue each; passing checks, and checks
    // the run no longer has, resolve theirs. Runs inside FinishRun's transaction.
    Status SyncCheckIssues(const RunRecord& run, const std::vector<CheckRecord>& checks, const RunIssueSync& sync) {
        if (checks.empty()) return Status::Ok();  // the run ended before its checks: nothing to judge
        const int64_t now = run.finished_at_ms ? run.finished_at_ms : NowMs();
        TESSERA_ASSIGN_OR_RETURN(Statement open, db_.Prepare(
                "INSERT INTO quality_issues (product, domain, port, column_name, check_name, origin, title, description, "
                "state, opened_by, opened_at_ms, due_at_ms, opened_run, last_run) "
                "VALUES (?1, ?2, ?3, ?10, ?4, 'check', ?5, ?6, 'open', 'tessera', ?7, ?8, ?9, ?9) "
                "ON CONFLICT (product, port, check_name) WHERE origin = 'check' AND state <> 'resolved' "
                "DO UPDATE SET last_run = excluded.last_run"));
        TESSERA_ASSIGN_OR_RETURN(Statement resolve, db_.Prepare(
                "UPDATE quality_issues SET state = 'resolved', resolved_by = 'tessera', resolved_at_ms = ?1, "
                "resolution = ?2, resolved_run = ?3 WHERE product = ?4 AND port = ?5 AND check_name = ?6 "
                "AND origin = 'check' AND state <> 'resolved'"));
        std::set<std::pair<std::string, std::string>> ran;
        for (const auto& c : checks) {
            ran.insert({c.port, c.check});
            if (c.status == "passed") {
                resolve.Reset();
                resolve.Bind(1, now).Bind(2, "the check passed in run #" + std::to_string(run.id)).Bind(3, run.id);
                resolve.Bind(4, run.product).Bind(5, c.port).Bind(6, c.check);
                TESSERA_RETURN_IF_ERROR(resolve.Run());
                continue;
            }
            open.Reset();
            open.Bind(1, run.product).Bind(2, sync.domain).Bind(3, c.port).Bind(4, c.check);
            open.Bind(5, "check " + c.port + "." + c.check + " " + (c.status == "error" ? "cannot run" : "fails"));
            open.Bind(6, c.message).Bind(7, now).Bind(8, now + sync.time_to_fix_ms).Bind(9, run.id);
            // The checks a column's constraints become are named `<column>.<constraint>`.
            auto dot = c.check.rfind('.');
            open.Bind(10, dot == std::string::npos ? std::string() : c.check.substr(0, dot));
            TESSERA_RETURN_IF_ERROR(open.Run());
        }
        TESSERA_ASSIGN_OR_RETURN(Statement stale, db_.Prepare(
                "SELECT port, check_name FROM quality_issues WHERE product = ? AND origin = 'check' AND state <> 'resolved'"));
        stale.Bind(1, run.product);
        std::vector<std::pair<std::string, std::string>> gone;
        TESSERA_RETURN_IF_ERROR(stale.ForEachRow([&] {
            std::pair<std::string, std::string> key{stale.Text(0), stale.Text(1)};
            if (!ran.count(key)) gone.push_back(key);
        }));
        for (const auto& [port, check] : gone) {
            resolve.Reset();
            resolve.Bind(1, now).Bind(2, "run #" + std::to_string(run.id) + " no longer has this check").Bind(3, run.id);
            resolve.Bind(4, run.product).Bind(5, port).Bind(6, check);
            TESSERA_RETURN_IF_ERROR(resolve.Run());
        }
        return Status::Ok();
    }


    // Runs `body` in one IMMEDIATE transaction; rolls back when it fails.
    template <typename F>
    Status InTransaction(F&& body) {
        TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
        Status st = body();
        if (st.ok()) st = db_.Exec("COMMIT");
        if (!st.ok()) (void)db_.Exec("ROLLBACK");
        return st;
    }

    Result<int64_t> InsertAudit(const AuditRecord& r) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO audit_log (at_ms, user, action, target, outcome, details, rows) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        s.Bind(1, r.at_ms ? r.at_ms : NowMs()).Bind(2, r.user).Bind(3, r.action).Bind(4, r.target);
        s.Bind(5, r.outcome.empty() ? std::string("ok") : r.outcome).Bind(6, r.details).Bind(7, r.rows);
        TESSERA_RETURN_IF_ERROR(s.Run());
        TESSERA_ASSIGN_OR_RETURN(Statement id, db_.Prepare("SELECT last_insert_rowid()"));
        TESSERA_ASSIGN_OR_RETURN(bool row, id.Step());
        return row ? id.Int(0) : 0;
    }

    Status InsertRoleBinding(const RoleBindingRecord& b, const AuditRecord& audit) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "INSERT INTO role_bindings (subject, role, domain, granted_by, created_at_ms) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING"));
        s.Bind(1, b.subject).Bind(2, b.role).Bind(3, b.domain).Bind(4, b.granted_by);
        s.Bind(5, b.created_at_ms ? b.created_at_ms : NowMs());
        TESSERA_RETURN_IF_ERROR(s.Run());
        if (db_.Changes() == 0) {
            return AlreadyExists(b.subject + " has the role " + b.role + (b.domain.empty() ? "" : " in " + b.domain) +
                                 " already");
        }
        return InsertAudit(audit).status();
    }

    Result<std::vector<TokenRecord>> SelectTokens(const std::string& where, const std::string& arg) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT id, user, salt, secret_hash, description, created_by, created_at_ms, expires_at_ms, "
                "revoked_at_ms FROM api_tokens " + where + " ORDER BY created_at_ms, id"));
        if (!where.empty()) s.Bind(1, arg);
        std::vector<TokenRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Int(7), s.Int(8)});
        }));
        return out;
    }

    Result<std::vector<AccessRequestRecord>> SelectRequests(const std::string& where, const std::vector<std::string>& args) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT id, user, product, domain, reason, columns, unmasked, until_ms, state, decided_by, "
                "decision_reason, created_at_ms, decided_at_ms, grant_id FROM access_requests " + where + " ORDER BY id"));
        for (size_t i = 0; i < args.size(); ++i) s.Bind(static_cast<int>(i + 1), args[i]);
        std::vector<AccessRequestRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6) != 0, s.Int(7),
                           s.Text(8), s.Text(9), s.Text(10), s.Int(11), s.Int(12), s.Int(13)});
        }));
        return out;
    }

    Result<std::vector<GrantRecord>> SelectGrants(const std::string& where, const std::vector<std::string>& args) {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT id, user, product, columns, unmasked, expires_at_ms, granted_by, request_id, created_at_ms, "
                "revoked_at_ms, revoked_by FROM grants " + where + " ORDER BY id"));
        for (size_t i = 0; i < args.size(); ++i) s.Bind(static_cast<int>(i + 1), args[i]);
        std::vector<GrantRecord> out;
        TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
            out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4) != 0, s.Int(5), s.Text(6), s.Int(7), s.Int(8),
                           s.Int(9), s.Text(10)});
        }));
        return out;
    }
    // Recomputes the trust boost of products (after a run or a change of who reads them):
    // 1 + 0.5 × (share of checks passed in the last finished run) + 0.25 × (that run published)
    // + 0.1 × ln(1 + products reading it).
    Status UpdateTrust(const std::set<std::string>& products) {
        TESSERA_ASSIGN_OR_RETURN(Statement read, db_.Prepare(R"sql(
            WITH last AS (SELECT MAX(id) AS id FROM runs WHERE product = ?1 AND status <> 'running')
            SELECT COALESCE((SELECT CAST(SUM(c.status = 'passed') AS REAL) / COUNT(*) FROM check_results c
                             WHERE c.run_id = (SELECT id FROM last)), 0),
                   COALESCE((SELECT r.status = 'succeeded' FROM runs r WHERE r.id = (SELECT id FROM last)), 0),
                   (SELECT COUNT(*) FROM dependencies WHERE upstream = ?1))sql"));
        TESSERA_ASSIGN_OR_RETURN(Statement write, db_.Prepare("UPDATE search_docs SET trust = ? WHERE name = ?"));
        TESSERA_ASSIGN_OR_RETURN(Statement feed, db_.Prepare("INSERT INTO search_changes (name) VALUES (?)"));
        for (const auto& name : products) {
            read.Reset();
            read.Bind(1, name);
            TESSERA_ASSIGN_OR_RETURN(bool row, read.Step());
            if (!row) continue;
            double trust = 1.0 + 0.5 * read.Double(0) + 0.25 * read.Double(1) + 0.1 * std::log1p(read.Double(2));
            TESSERA_RETURN_IF_ERROR(read.Run());
            write.Reset();
            write.Bind(1, trust).Bind(2, name);
            TESSERA_RETURN_IF_ERROR(write.Run());
            if (db_.Changes() == 0) continue;
            feed.Reset();
            feed.Bind(1, name);
            TESSERA_RETURN_IF_ERROR(feed.Run());
        }
        return Status::Ok();
    }

    // Keeps search_docs and search_text in step with one product change, and appends it to the
    // change feed the in-memory indexes read.
    Status IndexProduct(const Change& c) {
        TESSERA_ASSIGN_OR_RETURN(Statement feed, db_.Prepare("INSERT INTO search_changes (name) VALUES (?)"));
        feed.Bind(1, c.name);
        TESSERA_RETURN_IF_ERROR(feed.Run());
        TESSERA_ASSIGN_OR_RETURN(Statement find, db_.Prepare("SELECT id FROM search_docs WHERE name = ?"));
        find.Bind(1, c.name);
        TESSERA_ASSIGN_OR_RETURN(bool exists, find.Step());
        if (exists) {
            int64_t id = find.Int(0);
            TESSERA_RETURN_IF_ERROR(find.Run());
            TESSERA_ASSIGN_OR_RETURN(Statement d1, db_.Prepare("DELETE FROM search_text WHERE id = ?"));
            d1.Bind(1, id);
            TESSERA_RETURN_IF_ERROR(d1.Run());
            TESSERA_ASSIGN_OR_RETURN(Statement d2, db_.Prepare("DELETE FROM search_docs WHERE id = ?"));
            d2.Bind(1, id);
            TESSERA_RETURN_IF_ERROR(d2.Run());
        }
        if (c.op == Change::kDelete || !c.search) return Status::Ok();
        const SearchDocument& d = *c.search;
        auto bars = [](const std::vector<std::string>& v) {
            std::string out = "|";
            for (const auto& x : v) out += x + "|";
            return out;
        };
        TESSERA_ASSIGN_OR_RETURN(Statement ins, db_.Prepare(
                "INSERT INTO search_docs (name, domain, owner, kind, tags, classifications) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING id"));
        ins.Bind(1, c.name).Bind(2, d.domain).Bind(3, d.owner).Bind(4, d.kind).Bind(5, bars(d.tag_list));
        ins.Bind(6, bars(d.classifications));
        TESSERA_ASSIGN_OR_RETURN(bool row, ins.Step());
        if (!row) return Internal("indexing " + c.name + " returned no id");
        int64_t id = ins.Int(0);
        TESSERA_RETURN_IF_ERROR(ins.Run());
        TESSERA_ASSIGN_OR_RETURN(Statement text, db_.Prepare(
                "INSERT INTO search_text (id, title, columns, ports, tags, description) VALUES (?, ?, ?, ?, ?, ?)"));
        text.Bind(1, id).Bind(2, d.title).Bind(3, d.columns).Bind(4, d.ports).Bind(5, d.tags).Bind(6, d.description);
        return text.Run();
    }

    Status FinishRunInTransaction(const RunRecord& run, const std::vector<CheckRecord>& checks,
                                  const std::vector<SnapshotRecord>& snapshots) {
        TESSERA_ASSIGN_OR_RETURN(Statement up, db_.Prepare(
                "UPDATE runs SET status = ?, finished_at_ms = ?, error = ?, details = ? WHERE id = ?"));
        up.Bind(1, run.status).Bind(2, run.finished_at_ms ? run.finished_at_ms : NowMs()).Bind(3, run.error);
        up.Bind(4, run.details.empty() ? std::string("{}") : run.details).Bind(5, run.id);
        TESSERA_RETURN_IF_ERROR(up.Run());
        if (db_.Changes() == 0) return NotFound("run " + std::to_string(run.id) + " was never started");
        TESSERA_ASSIGN_OR_RETURN(Statement check, db_.Prepare(
                "INSERT INTO check_results (run_id, port, name, status, failures, message, sample) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        for (const auto& c : checks) {
            check.Reset();
            check.Bind(1, run.id).Bind(2, c.port).Bind(3, c.check).Bind(4, c.status).Bind(5, c.failures);
            check.Bind(6, c.message).Bind(7, c.sample.empty() ? std::string("[]") : c.sample);
            TESSERA_RETURN_IF_ERROR(check.Run());
        }
        TESSERA_ASSIGN_OR_RETURN(Statement snap, db_.Prepare(
                "INSERT INTO snapshots (product, port, version, path, rows, bytes, run_id, created_at_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const auto& sn : snapshots) {
            snap.Reset();
            snap.Bind(1, sn.product).Bind(2, sn.port).Bind(3, sn.version).Bind(4, sn.path).Bind(5, sn.rows);
            snap.Bind(6, sn.bytes).Bind(7, run.id).Bind(8, sn.created_at_ms ? sn.created_at_ms : NowMs());
            Status st = snap.Run();
            if (!st.ok()) {
                return Aborted("snapshot " + sn.product + "." + sn.port + " v" + std::to_string(sn.version) +
                               " exists already: another run published it");
            }
        }
        return UpdateTrust({run.product});
    }

    Result<RevisionInfo> CommitInTransaction(const CommitRequest& request) {
        TESSERA_ASSIGN_OR_RETURN(int64_t current, CurrentRevision());
        if (request.expected_revision && *request.expected_revision != current) {
            return Aborted("the catalog is at revision " + std::to_string(current) + ", not the expected " +
                           std::to_string(*request.expected_revision) + ": someone applied in between; re-run plan");
        }
        RevisionInfo info{current + 1, request.author, request.message, NowMs(),
                          static_cast<int64_t>(request.changes.size())};
        TESSERA_ASSIGN_OR_RETURN(Statement rev, db_.Prepare(
                "INSERT INTO revisions (number, author, message, created_at_ms, changes) VALUES (?, ?, ?, ?, ?)"));
        rev.Bind(1, info.number).Bind(2, info.author).Bind(3, info.message).Bind(4, info.created_at_ms).Bind(5, info.changes);
        TESSERA_RETURN_IF_ERROR(rev.Run());

        TESSERA_ASSIGN_OR_RETURN(Statement put, db_.Prepare(R"sql(
            INSERT INTO entities (kind, name, scope, origin, document, revision) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, name) DO UPDATE SET scope = excluded.scope, origin = excluded.origin,
                document = excluded.document, revision = excluded.revision)sql"));
        TESSERA_ASSIGN_OR_RETURN(Statement del, db_.Prepare("DELETE FROM entities WHERE kind = ? AND name = ?"));
        TESSERA_ASSIGN_OR_RETURN(Statement version, db_.Prepare(
                "INSERT INTO entity_versions (kind, name, revision, deleted, scope, origin, document) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        TESSERA_ASSIGN_OR_RETURN(Statement clear_deps, db_.Prepare("DELETE FROM dependencies WHERE product = ?"));
        TESSERA_ASSIGN_OR_RETURN(Statement add_dep,
                                 db_.Prepare("INSERT OR IGNORE INTO dependencies (product, upstream) VALUES (?, ?)"));

        TESSERA_ASSIGN_OR_RETURN(Statement old_deps, db_.Prepare("SELECT upstream FROM dependencies WHERE product = ?"));
        std::set<std::string> trust_changed;  // products whose readers or definition changed
        for (const Change& c : request.changes) {
            if (c.kind == "DataProduct") {
                trust_changed.insert(c.name);
                trust_changed.insert(c.depends_on.begin(), c.depends_on.end());
                old_deps.Reset();
                old_deps.Bind(1, c.name);
                TESSERA_RETURN_IF_ERROR(old_deps.ForEachRow([&] { trust_changed.insert(old_deps.Text(0)); }));
            }
            if (c.op == Change::kPut) {
                put.Reset();
                put.Bind(1, c.kind).Bind(2, c.name).Bind(3, c.scope).Bind(4, c.origin).Bind(5, c.document).Bind(6, info.number);
                TESSERA_RETURN_IF_ERROR(put.Run());
            } else {
                del.Reset();
                del.Bind(1, c.kind).Bind(2, c.name);
                TESSERA_RETURN_IF_ERROR(del.Run());
                if (db_.Changes() == 0) return NotFound(c.kind + " \"" + c.name + "\" is not in the catalog");
                if (c.kind == "DataProduct") TESSERA_RETURN_IF_ERROR(EndAccessOfDeleted(c.name, info));
            }
            version.Reset();
            version.Bind(1, c.kind).Bind(2, c.name).Bind(3, info.number).Bind(4, int64_t{c.op == Change::kDelete});
            version.Bind(5, c.scope).Bind(6, c.origin).Bind(7, c.op == Change::kPut ? c.document : std::string());
            TESSERA_RETURN_IF_ERROR(version.Run());
            if (c.kind == "DataProduct") TESSERA_RETURN_IF_ERROR(IndexProduct(c));
            if (c.kind == "DataProduct") {
                clear_deps.Reset();
                clear_deps.Bind(1, c.name);
                TESSERA_RETURN_IF_ERROR(clear_deps.Run());
                for (const auto& up : c.depends_on) {
                    add_dep.Reset();
                    add_dep.Bind(1, c.name).Bind(2, up);
                    TESSERA_RETURN_IF_ERROR(add_dep.Run());
                }
            }
        }
        TESSERA_RETURN_IF_ERROR(UpdateTrust(trust_changed));
        TESSERA_RETURN_IF_ERROR(PruneSearchChanges());
        return info;
    }

    // The access to a deleted product ends with it (see Commit in store.h): a grant names a product
    // by name, and a product created again under that name is another product.
    Status EndAccessOfDeleted(const std::string& product, const RevisionInfo& info) {
        std::string why = "data product " + product + " was deleted (revision " + std::to_string(info.number) + ")";
        std::vector<int64_t> grants, requests;
        {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "SELECT id FROM grants WHERE product = ? AND revoked_at_ms = 0 ORDER BY id"));
            s.Bind(1, product);
            TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { grants.push_back(s.Int(0)); }));
        }
        {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "SELECT id FROM access_requests WHERE product = ? AND state = 'pending' ORDER BY id"));
            s.Bind(1, product);
            TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] { requests.push_back(s.Int(0)); }));
        }
        for (int64_t id : grants) {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("UPDATE grants SET revoked_at_ms = ?, revoked_by = ? WHERE id = ?"));
            s.Bind(1, info.created_at_ms).Bind(2, info.author).Bind(3, id);
            TESSERA_RETURN_IF_ERROR(s.Run());
            TESSERA_RETURN_IF_ERROR(InsertAudit({0, info.created_at_ms, info.author, "access.revoke",
                                                 "grant " + std::to_string(id) + " " + product, "ok", why, -1})
                                            .status());
        }
        for (int64_t id : requests) {
            TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                    "UPDATE access_requests SET state = 'denied', decided_by = ?, decision_reason = ?, decided_at_ms = ? "
                    "WHERE id = ?"));
            s.Bind(1, info.author).Bind(2, why).Bind(3, info.created_at_ms).Bind(4, id);
            TESSERA_RETURN_IF_ERROR(s.Run());
            TESSERA_RETURN_IF_ERROR(InsertAudit({0, info.created_at_ms, info.author, "access.deny",
                                                 "request " + std::to_string(id) + " " + product, "ok", why, -1})
                                            .status());
        }
        return Status::Ok();
    }

    // Keeps the newest 100,000 entries of the change feed: an index further behind reloads
    // everything, which costs less than reading so many changes one by one.
    Status PruneSearchChanges() {
        return db_.Exec("DELETE FROM search_changes WHERE seq < (SELECT MAX(seq) FROM search_changes) - 100000");
    }

    Database db_;
    int schema_version_ = 0;
    bool migrated_search_ = false;
    // The in-memory search index, shared with every store of this file in the process.
    std::shared_ptr<internal::SearchIndex> index_;
};

Status SqliteStore::CatchUpSearch() {
    TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM search_changes"));
    TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
    const int64_t latest = row ? s.Int(0) : 0;
    TESSERA_RETURN_IF_ERROR(s.Run());
    return index_->CatchUp(latest, [&](int64_t since, internal::SearchChanges& changes) -> Status {
        // One snapshot for the feed and the products it names.
        const bool own = sqlite3_get_autocommit(db_.handle()) != 0;
        if (own) TESSERA_RETURN_IF_ERROR(db_.Exec("BEGIN"));
        Status st = ReadSearchChanges(since, changes);
        if (own) {
            if (st.ok()) st = db_.Exec("COMMIT");
            if (!st.ok()) (void)db_.Exec("ROLLBACK");
        }
        return st;
    });
}

Status SqliteStore::ReadSearchChanges(int64_t since, internal::SearchChanges& changes) {
    TESSERA_ASSIGN_OR_RETURN(Statement range, db_.Prepare(
            "SELECT COALESCE((SELECT MIN(seq) FROM search_changes), 0), COALESCE((SELECT MAX(seq) FROM search_changes), 0)"));
    TESSERA_ASSIGN_OR_RETURN(bool row, range.Step());
    const int64_t oldest = row ? range.Int(0) : 0, newest = row ? range.Int(1) : 0;
    TESSERA_RETURN_IF_ERROR(range.Run());
    changes.SetSequence(newest);
    // Everything again when the index never loaded, the feed no longer reaches back to it, it went
    // backwards (another catalog at this path), or so much changed that one pass costs less.
    const int64_t many = std::max<int64_t>(1000, static_cast<int64_t>(index_->size() / 4));
    const bool full = since < 0 || oldest > since + 1 || newest < since || newest - since > many;
    const std::string columns =
            "SELECT d.id, d.name, d.domain, d.owner, d.kind, d.tags, d.classifications, d.trust, t.title, t.columns, "
            "t.ports, t.tags, t.description FROM search_docs d JOIN search_text t ON t.id = d.id";
    auto put = [&](const Statement& s) {
        internal::IndexedProduct p;
        p.id = s.Int(0);
        p.domain = s.TextView(2);
        p.owner = s.TextView(3);
        p.kind = s.TextView(4);
        p.tags = s.TextView(5);
        p.classifications = s.TextView(6);
        p.trust = s.Double(7);
        p.text[0] = s.TextView(1);
        for (int f = 1; f < internal::kSearchFields; ++f) p.text[static_cast<size_t>(f)] = s.TextView(7 + f);
        changes.Put(p);
    };
    if (full) {
        changes.ReplaceAll();
        TESSERA_ASSIGN_OR_RETURN(Statement all, db_.Prepare(columns));
        return all.ForEachRow([&] { put(all); });
    }
    TESSERA_ASSIGN_OR_RETURN(Statement names, db_.Prepare(
            "SELECT DISTINCT name FROM search_changes WHERE seq > ? AND name <> ''"));
    names.Bind(1, since);
    std::vector<std::string> changed;
    TESSERA_RETURN_IF_ERROR(names.ForEachRow([&] { changed.push_back(names.Text(0)); }));
    TESSERA_ASSIGN_OR_RETURN(Statement one, db_.Prepare(columns + " WHERE d.name = ?"));
    for (const auto& name : changed) {
        one.Reset();
        one.Bind(1, name);
        TESSERA_ASSIGN_OR_RETURN(bool found, one.Step());
        if (found) {
            put(one);
        } else {
            changes.Remove(name);
        }
        TESSERA_RETURN_IF_ERROR(one.Run());
    }
    return Status::Ok();
}

// Matching, filters, facets and ranking happen in the in-memory index (internal/search_index.h);
// the database gives the page's text, for the snippets.
Result<SearchPage> SqliteStore::Search(const SearchQuery& q) {
    SearchPage page;
    if (q.terms.empty()) return page;
    TESSERA_RETURN_IF_ERROR(CatchUpSearch());
    internal::SearchIndex::Ranked ranked = index_->Query(q);
    page.total = ranked.total;
    page.facets = std::move(ranked.facets);
    if (ranked.page.empty()) return page;
    std::string ids;
    for (const auto& r : ranked.page) ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
    std::unordered_map<int64_t, std::array<std::string, internal::kSearchFields>> text;
    TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
            "SELECT id, title, columns, ports, tags, description FROM search_text WHERE id IN (" + ids + ")"));
    TESSERA_RETURN_IF_ERROR(s.ForEachRow([&] {
        auto& fields = text[s.Int(0)];
        for (int f = 1; f < internal::kSearchFields; ++f) fields[static_cast<size_t>(f)] = s.Text(f);
    }));
    for (auto& r : ranked.page) {
        SearchHit hit{r.name, r.text * r.trust, r.text, r.trust, "", ""};
        auto found = text.find(r.id);
        if (found != text.end()) {  // else changed since the index was read: no snippet
            found->second[0] = r.name;
            internal::Snippet snippet = internal::MakeSnippet(found->second, q.terms);
            hit.matched = std::move(snippet.field);
            hit.snippet = std::move(snippet.text);
        }
        page.hits.push_back(std::move(hit));
    }
    return page;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    TESSERA_ASSIGN_OR_RETURN(Database db, Database::Open(path));
    auto store = std::make_unique<SqliteStore>(std::move(db), path);
    TESSERA_RETURN_IF_ERROR(store->Init());
    return std::unique_ptr<Store>(std::move(store));
}

std::string SqliteVersion() { return sqlite3_libversion(); }

}  // namespace tessera::store
