#include "store/internal/sqlite.h"

namespace tessera::store::internal {

Status SqliteError(int rc, const std::string& what, sqlite3* db) {
    std::string message = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        return Unavailable(message + " (another process holds the catalog; retry)");
    }
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_FULL) {
        return Unavailable(message);
    }
    return Internal(message);
}

Statement& Statement::Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_.get(), i, v);
    return *this;
}

Statement& Statement::Bind(int i, double v) {
    sqlite3_bind_double(stmt_.get(), i, v);
    return *this;
}

Statement& Statement::BindNull(int i) {
    sqlite3_bind_null(stmt_.get(), i);
    return *this;
}

Result<bool> Statement::Step() {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(rc, "catalog query failed", db_);
}

Status Statement::Run() {
    while (true) {
        TESSERA_ASSIGN_OR_RETURN(bool row, Step());
        if (!row) return Status::Ok();
    }
}

void Statement::Reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

std::string Statement::Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_.get(), col);
    int n = sqlite3_column_bytes(stmt_.get(), col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

Result<Database> Database::Open(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    Database db;
    db.db_.reset(raw);
    if (rc != SQLITE_OK) return SqliteError(rc, "cannot open catalog " + path, raw);
    sqlite3_busy_timeout(raw, 10000);
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Status Database::Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        Status s = SqliteError(rc, "catalog statement failed", nullptr);
        return Status(s.code(), "catalog statement failed: " + message);
    }
    return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(rc, "cannot prepare catalog query", db_.get());
    return Statement(db_.get(), stmt);
}

}  // namespace tessera::store::internal
