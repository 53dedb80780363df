#pragma once

// SQL over tables handed in from memory, with nothing else reachable: an in-memory DuckDB that
// holds only the given tables, no file, network or extension access, a locked configuration, one
// read statement at a time and a time limit per query. Governance evaluates policies in it over
// the catalog's metadata tables (docs/governance.md).
//
//   engine::InputTable t("products", {{"name", engine::ColumnType::kVarchar},
//                                     {"columns", engine::ColumnType::kBigint}});
//   t.AddRow({"orders.order_facts", engine::InputCell::Int(12)});
//   TESSERA_ASSIGN_OR_RETURN(auto box, engine::SqlSandbox::Open({std::move(t)}));
//   TESSERA_ASSIGN_OR_RETURN(engine::Table r, box->Query("select name from products", {.timeout_ms = 2000}));
//
// A sandbox is used from one thread at a time.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "engine/query.h"

namespace tessera::engine {

// The column types of an `InputTable`, as DuckDB names them: VARCHAR, BIGINT, DOUBLE, BOOLEAN,
// TIMESTAMP (no time zone; UTC by convention) and VARCHAR[].
enum class ColumnType { kVarchar, kBigint, kDouble, kBoolean, kTimestamp, kVarcharList };

// "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "VARCHAR[]".
std::string_view ColumnTypeName(ColumnType type);

// One cell of an `InputTable` row, typed by how it is made: text converts implicitly, every other
// kind is spelled out, so that a number is never taken for text or a flag. A cell borrows what it
// is made from (text, list items) until `AddRow` has copied it.
//
//   t.AddRow({product.name, InputCell::Int(3), InputCell::List(product.tags), InputCell::Null()});
class InputCell {
public:
    enum class Kind { kNull, kText, kInt, kDouble, kBool, kTimestamp, kList };

    InputCell(std::string_view text) : kind_(Kind::kText), text_(text) {}      // NOLINT: implicit
    InputCell(const std::string& text) : InputCell(std::string_view(text)) {}  // NOLINT: implicit
    InputCell(const char* text) : InputCell(std::string_view(text)) {}         // NOLINT: implicit

    static InputCell Null() { return InputCell(Kind::kNull); }
    // Text, or NULL when `text` is empty.
    static InputCell TextOrNull(std::string_view text) {
        return text.empty() ? Null() : InputCell(text);
    }
    static InputCell Int(int64_t value);
    static InputCell Double(double value);
    static InputCell Bool(bool value);
    // A TIMESTAMP `unix_ms` milliseconds after 1970-01-01 00:00:00 (UTC).
    static InputCell Timestamp(int64_t unix_ms);
    // A VARCHAR[] of `items` (never NULL; empty when `items` is).
    static InputCell List(std::span<const std::string> items);

    Kind kind() const { return kind_; }

private:
    friend class InputTable;
    explicit InputCell(Kind kind) : kind_(kind) {}

    Kind kind_;
    std::string_view text_;
    std::span<const std::string> items_;
    int64_t integer_ = 0;  // kInt, kBool (0 or 1), kTimestamp (microseconds)
    double double_ = 0;
};

// One table to load into a sandbox: named, typed columns and rows added one at a time. Values are
// stored column by column, as the sandbox appends them (no text, no cast in between): a million
// rows cost about their values.
//
// A row must have one cell per column, each NULL or of its column's kind (text for VARCHAR,
// `Int` for BIGINT, `Double` for DOUBLE, `Bool` for BOOLEAN, `Timestamp` for TIMESTAMP, `List`
// for VARCHAR[]); anything else is a programmer error, reported by `SqlSandbox::Open` as
// kInternal (and asserted in debug builds).
class InputTable {
public:
    InputTable(std::string name, std::vector<std::pair<std::string, ColumnType>> columns);

    void AddRow(std::initializer_list<InputCell> cells);
    // Sizes the buffers for `rows` rows in all, to spare regrowing them.
    void Reserve(size_t rows);

    const std::string& name() const { return name_; }
    size_t column_count() const { return columns_.size(); }
    const std::string& column_name(size_t column) const { return columns_[column].name; }
    ColumnType column_type(size_t column) const { return columns_[column].type; }
    size_t row_count() const { return row_count_; }

private:
    friend class SqlSandbox;  // reads the columns' buffers to append them

    // One column's values, row by row; a NULL row holds a placeholder value.
    struct Column {
        std::string name;
        ColumnType type = ColumnType::kVarchar;
        std::vector<uint8_t> nulls;     // nonzero: the row is NULL
        std::vector<int64_t> integers;  // kBigint; kTimestamp in microseconds
        std::vector<double> doubles;    // kDouble
        std::vector<uint8_t> booleans;  // kBoolean
        std::string text;               // kVarchar cells; kVarcharList items
        std::vector<size_t> ends;       // end in `text` of each cell or item
        std::vector<size_t> list_ends;  // kVarcharList: end in `ends` of each row's items
    };
    void Push(Column& column, const InputCell& cell);
    void PushNull(Column& column);

    std::string name_;
    std::vector<Column> columns_;
    size_t row_count_ = 0;
    std::string misuse_;  // the first programmer error in `AddRow`, for `SqlSandbox::Open`
};

struct SandboxQueryOptions {
    int64_t timeout_ms = 10000;
    int64_t max_rows = 100000;  // more rows: the result keeps the first ones and `truncated` is set
};

class SqlSandbox {
public:
    // Loads `tables` into a fresh in-memory database, each as a table of its typed columns, and
    // locks it down; unless `threads` is 1, the largest table is appended on a second thread.
    // kInvalidArgument when a table or column name repeats or DuckDB refuses a value (text that
    // is not UTF-8); kInternal when a table was filled against its contract.
    static Result<std::unique_ptr<SqlSandbox>> Open(const std::vector<InputTable>& tables, int threads = 0);
    ~SqlSandbox();

    // Runs one read statement (SELECT, WITH … SELECT, VALUES). kInvalidArgument with DuckDB's
    // message for SQL that does not parse or bind, or that is not one read statement;
    // kPermissionDenied for what the sandbox forbids (files, extensions, settings);
    // kDeadlineExceeded after `timeout_ms`.
    Result<Table> Query(const std::string& sql, const SandboxQueryOptions& options);

private:
    struct State;
    explicit SqlSandbox(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace tessera::engine
