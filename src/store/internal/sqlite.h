#pragma once

// A thin RAII layer over the SQLite C API. Only store/ includes it.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tessera::store::internal {

// A prepared statement; finalised on destruction. Bind with 1-based indices.
class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt, &sqlite3_finalize) {}

    Statement& Bind(int i, std::string_view v);
    Statement& Bind(int i, int64_t v);
    Statement& Bind(int i, double v);
    Statement& BindNull(int i);
    // SQLITE_ROW -> true, SQLITE_DONE -> false, otherwise an error Status.
    Result<bool> Step();
    // Step until done.
    Status Run();
    // Steps through every row, calling `on_row()` while the statement sits on it.
    template <typename F>
    Status ForEachRow(F&& on_row) {
        while (true) {
            TESSERA_ASSIGN_OR_RETURN(bool row, Step());
            if (!row) return Status::Ok();
            on_row();
        }
    }
    void Reset();

    int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
    double Double(int col) const { return sqlite3_column_double(stmt_.get(), col); }
    std::string Text(int col) const;
    // The text of a column without a copy, valid until the statement moves on.
    std::string_view TextView(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
        return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col))) : std::string_view();
    }
    bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }

private:
    sqlite3* db_ = nullptr;
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_{nullptr, &sqlite3_finalize};
};

// One connection; closed on destruction. Not thread-safe: use it from one thread at a time.
class Database {
public:
    static Result<Database> Open(const std::string& path);

    Status Exec(const std::string& sql);
    Result<Statement> Prepare(std::string_view sql);
    int64_t Changes() const { return sqlite3_changes64(db_.get()); }
    // Rows this connection has written since it opened (with `PRAGMA data_version`, which moves
    // when another connection commits, it tells whether anything may have changed).
    int64_t TotalChanges() const { return sqlite3_total_changes64(db_.get()); }
    std::string LastError() const { return sqlite3_errmsg(db_.get()); }
    sqlite3* handle() const { return db_.get(); }

private:
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_{nullptr, &sqlite3_close};
};

// Maps a SQLite result code to a Status (BUSY/LOCKED -> kUnavailable, others -> kInternal).
Status SqliteError(int rc, const std::string& what, sqlite3* db);

}  // namespace tessera::store::internal
