// The embedded store: SQLite in WAL mode. Tables are specified in docs/operations.md.

#include <chrono>
#include <filesystem>

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
    explicit SqliteStore(Database db) : db_(std::move(db)) {}

    Status Init() {
        TESSERA_RETURN_IF_ERROR(db_.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("PRAGMA user_version"));
        TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
        int version = row ? static_cast<int>(s.Int(0)) : 0;
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
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            out.push_back({kind, s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)});
        }
        return out;
    }

    Result<std::vector<std::string>> ListNames(const std::string& kind) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare("SELECT name FROM entities WHERE kind = ? ORDER BY name"));
        s.Bind(1, kind);
        std::vector<std::string> out;
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            out.push_back(s.Text(0));
        }
        return out;
    }

    Result<std::vector<Dependency>> Dependencies() override {
        TESSERA_ASSIGN_OR_RETURN(Statement s,
                                 db_.Prepare("SELECT product, upstream FROM dependencies ORDER BY product, upstream"));
        std::vector<Dependency> out;
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            out.push_back({s.Text(0), s.Text(1)});
        }
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
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            out.push_back({ReadRevision(s, 0), s.Int(5) != 0, s.Text(6)});
        }
        if (out.empty()) return NotFound(kind + " \"" + name + "\" has no history: it was never in the catalog");
        return out;
    }

    Result<std::vector<RevisionInfo>> Revisions(int64_t limit) override {
        TESSERA_ASSIGN_OR_RETURN(Statement s, db_.Prepare(
                "SELECT number, author, message, created_at_ms, changes FROM revisions ORDER BY number DESC LIMIT ?"));
        s.Bind(1, limit);
        std::vector<RevisionInfo> out;
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            out.push_back(ReadRevision(s, 0));
        }
        return out;
    }

private:
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

        for (const Change& c : request.changes) {
            if (c.op == Change::kPut) {
                put.Reset();
                put.Bind(1, c.kind).Bind(2, c.name).Bind(3, c.scope).Bind(4, c.origin).Bind(5, c.document).Bind(6, info.number);
                TESSERA_RETURN_IF_ERROR(put.Run());
            } else {
                del.Reset();
                del.Bind(1, c.kind).Bind(2, c.name);
                TESSERA_RETURN_IF_ERROR(del.Run());
                if (db_.Changes() == 0) return NotFound(c.kind + " \"" + c.name + "\" is not in the catalog");
            }
            version.Reset();
            version.Bind(1, c.kind).Bind(2, c.name).Bind(3, info.number).Bind(4, int64_t{c.op == Change::kDelete});
            version.Bind(5, c.scope).Bind(6, c.origin).Bind(7, c.op == Change::kPut ? c.document : std::string());
            TESSERA_RETURN_IF_ERROR(version.Run());
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
        return info;
    }

    Database db_;
    int schema_version_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    TESSERA_ASSIGN_OR_RETURN(Database db, Database::Open(path));
    auto store = std::make_unique<SqliteStore>(std::move(db));
    TESSERA_RETURN_IF_ERROR(store->Init());
    return std::unique_ptr<Store>(std::move(store));
}

std::string SqliteVersion() { return sqlite3_libversion(); }

}  // namespace tessera::store
