#pragma once

// A small RAII layer over DuckDB's C API, for the engine only: a `Database`, its `Connection`s and
// the materialized `QueryResult` of a statement, with DuckDB's errors turned into `Status` values.
// No DuckDB header leaks out of here; callers see strings.
//
//   TESSERA_ASSIGN_OR_RETURN(Database db, Database::Open("", {{"threads", "2"}}));
//   TESSERA_ASSIGN_OR_RETURN(Connection con, db.Connect());
//   TESSERA_ASSIGN_OR_RETURN(QueryResult r, con.Query("select 42 as answer"));
//   r.column_name(0);  // "answer"
//   r.column_type(0);  // "INTEGER"
//   r.Cell(0, 0);      // "42"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "engine/query.h"  // engine::Table

// DuckDB's opaque handle types, declared as in duckdb.h so that this header need not include it
// (the names are DuckDB's).
struct _duckdb_database;    // NOLINT(bugprone-reserved-identifier)
struct _duckdb_connection;  // NOLINT(bugprone-reserved-identifier)

namespace tessera::engine::internal {

// Options applied when a database opens, as DuckDB's own setting names and values, in order:
// {"threads", "2"}, {"memory_limit", "1GB"}, {"enable_external_access", "false"}…
using ConfigOptions = std::vector<std::pair<std::string, std::string>>;

// The column types `Connection::Append` writes, as DuckDB names them: VARCHAR, BIGINT, DOUBLE,
// BOOLEAN, TIMESTAMP and VARCHAR[].
enum class ColumnType { kVarchar, kBigint, kDouble, kBoolean, kTimestamp, kVarcharList };

// One column of values for `Connection::Append`, borrowed from the caller for the call. Row `r`
// is NULL when `nulls` is not empty and `nulls[r]` is nonzero; otherwise its value is, by type:
// - kBigint: `integers[r]`; kTimestamp: `integers[r]` microseconds since 1970-01-01 00:00 (UTC);
// - kDouble: `doubles[r]`; kBoolean: `booleans[r] != 0`;
// - kVarchar: string `r`, where string `i` is `text` from `ends[i - 1]` (0 for the first) to
//   `ends[i]`;
// - kVarcharList: the strings from `list_ends[r - 1]` (0 for the first row) to `list_ends[r]`.
// Every span that the type reads covers every row, NULL ones included (their values are
// ignored). Text must be UTF-8.
struct ColumnValues {
    ColumnType type = ColumnType::kVarchar;
    std::span<const uint8_t> nulls;
    std::span<const int64_t> integers;
    std::span<const double> doubles;
    std::span<const uint8_t> booleans;
    std::string_view text;
    std::span<const size_t> ends;
    std::span<const size_t> list_ends;
};

// What a statement gave back, as DuckDB classifies it.
enum class ResultKind {
    kRows,         // a query: SELECT, DESCRIBE, PRAGMA… (possibly zero rows)
    kChangedRows,  // INSERT, UPDATE, DELETE, COPY, CREATE TABLE AS: one `Count` row
    kNothing,      // CREATE, SET, DROP…: no rows
};

// The complete, materialized result of one statement: column names, column types as DuckDB
// prints them (`INTEGER`, `DECIMAL(12,2)`, `VARCHAR[]`, `STRUCT(a INTEGER, b VARCHAR)`,
// `TIMESTAMP WITH TIME ZONE`…) and every cell as the text DuckDB's `CAST(x AS VARCHAR)` gives,
// or NULL.
//
// A plain value: it holds no DuckDB handle, outlives the connection that produced it, and is safe
// to read from several threads at once. Cells are stored in one buffer, so a result costs about
// the size of its text.
class QueryResult {
public:
    QueryResult() = default;

    ResultKind kind() const { return kind_; }
    size_t column_count() const { return column_names_.size(); }
    size_t row_count() const { return row_count_; }
    const std::vector<std::string>& column_names() const { return column_names_; }
    const std::vector<std::string>& column_types() const { return column_types_; }
    const std::string& column_name(size_t column) const { return column_names_[column]; }
    const std::string& column_type(size_t column) const { return column_types_[column]; }

    // Whether the cell is SQL NULL. `row < row_count()`, `column < column_count()`.
    bool IsNull(size_t row, size_t column) const { return nulls_[Index(row, column)]; }
    // The cell's text; empty for NULL (tell the two apart with `IsNull`). Valid while the result
    // lives.
    std::string_view Cell(size_t row, size_t column) const;

private:
    friend class QueryResultBuilder;  // fills results in, in duckdb.cc
    size_t Index(size_t row, size_t column) const { return row * column_names_.size() + column; }
    void AppendCell(std::string_view text) {
        text_.append(text);
        ends_.push_back(text_.size());
        nulls_.push_back(false);
    }
    void AppendNull() {
        ends_.push_back(text_.size());
        nulls_.push_back(true);
    }

    ResultKind kind_ = ResultKind::kNothing;
    std::vector<std::string> column_names_;
    std::vector<std::string> column_types_;
    size_t row_count_ = 0;
    std::string text_;          // all cells' text, row by row
    std::vector<size_t> ends_;  // end offset in `text_` of each cell
    std::vector<bool> nulls_;
};

// One session on a `Database`: runs SQL and returns results. Owns its DuckDB connection handle
// and closes it once, on destruction; move-only. The `Database` it came from must outlive it.
//
// Not thread-safe: one thread at a time runs statements on a connection (open one connection per
// thread). The exception is `Interrupt()`, which any thread may call while another runs a query.
//
// Errors carry DuckDB's message verbatim (e.g. `Parser Error: syntax error at or near "selec"`)
// with a code chosen by DuckDB's error type:
// - kInvalidArgument: the SQL is wrong (syntax, binder, catalog, conversion, constraint…); also
//   the default for anything not listed below;
// - kNotFound: a file the SQL reads does not exist;
// - kPermissionDenied: the configuration forbids it (`enable_external_access=false`…);
// - kDeadlineExceeded: the query was stopped by `Interrupt()` (how time limits are enforced);
// - kResourceExhausted: out of memory;
// - kAborted: a transaction conflict; retrying may succeed;
// - kUnavailable: the database file is locked by another process;
// - kInternal: DuckDB's internal or fatal errors, and I/O failures.
// A moved-from connection refuses every call with kFailedPrecondition.
class Connection {
public:
    Connection(Connection&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs `sql` (one statement or several separated by `;`) and returns the result of the last
    // one, fully materialized. Errors as in the class comment.
    Result<QueryResult> Query(std::string_view sql);

    // Runs `sql` (one or several statements) and discards any rows.
    Status Execute(std::string_view sql);

    // Runs one statement and fetches its rows as DuckDB produces them, keeping the first
    // `max_rows`: `truncated` says that more existed (DuckDB then stops producing them). The
    // kept cells' text may total `max_bytes` at most: past it, kResourceExhausted. Other errors
    // as in the class comment.
    struct LimitedResult;
    Result<LimitedResult> QueryLimited(std::string_view sql, size_t max_rows, size_t max_bytes);

    // Splits `sql` into statements with DuckDB's parser (so `;` inside strings and comments is
    // fine), then runs them in order, calling `visit(index, result)` after each. Stops at the first
    // statement that fails, returning its error, or when `visit` returns an error, returning that.
    // A script that does not parse runs nothing.
    Status QueryEach(std::string_view sql,
                     const std::function<Status(size_t index, const QueryResult& result)>& visit);

    // Appends `row_count` rows to the existing table `table` through DuckDB's appender, one data
    // chunk at a time, from `columns`: one per table column, in the table's order, each holding
    // `row_count` values typed as its column is (no cast, no text in between). kNotFound when the
    // table does not exist; kInvalidArgument, with DuckDB's message where it gave one, when the
    // columns do not match the table or a value does not fit (text that is not UTF-8…). After an
    // error the table may hold some of the rows: append to a table that is dropped on failure.
    Status Append(std::string_view table, std::span<const ColumnValues> columns, size_t row_count);

    // Registers the scalar function `name(VARCHAR) -> VARCHAR` on this connection's database: the
    // lower-case hex HMAC-SHA256 of its argument under `key` (NULL stays NULL). The key lives in
    // the function, never in SQL text, so no view definition or plan shows it.
    Status RegisterKeyedHash(const std::string& name, std::string key);

    // Asks the query running on this connection, if any, to stop as soon as it can; that query
    // then fails with kDeadlineExceeded. A no-op when nothing runs. Safe to call from any thread.
    void Interrupt();

private:
    friend class Database;
    explicit Connection(_duckdb_connection* handle) : handle_(handle) {}

    _duckdb_connection* handle_ = nullptr;
};

struct Connection::LimitedResult {
    QueryResult result;
    bool truncated = false;
};

// An open DuckDB database, in memory or in a file. Owns the DuckDB database handle and closes it
// once, on destruction; move-only. Connections it hands out must be destroyed before it.
//
// Thread-safe: several threads may call `Connect()` at once and use their connections in
// parallel; DuckDB coordinates them.
class Database {
public:
    // Opens (creating if needed) the database in the file `path`, or an in-memory one when `path`
    // is empty or ":memory:". `config` is applied at open, in order. Returns kInvalidArgument for
    // an unknown option or a bad value, kNotFound when the file's folder does not exist,
    // kUnavailable when another process holds the file's lock, and kInternal for other failures
    // to open; each with DuckDB's message.
    static Result<Database> Open(std::string_view path = {}, const ConfigOptions& config = {});

    Database(Database&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // A new connection to this database. Returns kInternal if DuckDB refuses one.
    Result<Connection> Connect();

private:
    explicit Database(_duckdb_database* handle) : handle_(handle) {}

    _duckdb_database* handle_ = nullptr;
};

// The version of the DuckDB library in use, e.g. "v1.4.4".
std::string_view DuckDbVersion();

// The first `max_rows` rows of `result` as text (`truncated` when it held more), with its column
// names and types: what a query answers its caller. Text that is not valid UTF-8 (DuckDB lets a
// VARCHAR hold any bytes: `printf('%c', 233)`) has each invalid sequence replaced by U+FFFD, so
// every writer of a result (JSON, CSV) may rely on UTF-8.
Table ToTable(const QueryResult& result, int64_t max_rows);

// `text` with each invalid UTF-8 sequence replaced by U+FFFD (unchanged when it is valid).
std::string ValidUtf8(std::string_view text);

}  // namespace tessera::engine::internal
