#pragma once

// SQL over tables handed in from memory, with nothing else reachable: an in-memory DuckDB that
// holds only the given tables, no file, network or extension access, a locked configuration, one
// read statement at a time and a time limit per query. Governance evaluates policies in it over
// the catalog's metadata tables (docs/governance.md).
//
//   engine::InputTable t("products", {{"name", "VARCHAR"}, {"columns", "BIGINT"}});
//   t.AddRow({"orders.order_facts", "12"});
//   TESSERA_ASSIGN_OR_RETURN(auto box, engine::SqlSandbox::Open({std::move(t)}));
//   TESSERA_ASSIGN_OR_RETURN(engine::Table r, box->Query("select name from products", {.timeout_ms = 2000}));
//
// A sandbox is used from one thread at a time.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "engine/query.h"

namespace tessera::engine {

// One table: column names with DuckDB types (`VARCHAR`, `BIGINT`, `BOOLEAN`, `DOUBLE`,
// `TIMESTAMP`, and `VARCHAR[]` given as a JSON array text), and rows of text cells (nullopt for
// NULL). Cells are kept in one buffer: a million rows cost about their text.
class InputTable {
public:
    InputTable(std::string name, std::vector<std::pair<std::string, std::string>> columns)
        : name_(std::move(name)), columns_(std::move(columns)) {}

    // Adds one row; it must have one cell per column (a programmer error otherwise).
    void AddRow(std::initializer_list<std::optional<std::string_view>> cells);
    void AddRow(const std::vector<std::optional<std::string>>& cells);

    const std::string& name() const { return name_; }
    const std::vector<std::pair<std::string, std::string>>& columns() const { return columns_; }
    size_t row_count() const { return columns_.empty() ? 0 : nulls_.size() / columns_.size(); }
    // The cell's text, or false for NULL.
    bool Cell(size_t row, size_t column, std::string_view* text) const;

private:
    void Push(const std::optional<std::string_view>& cell);
    std::string name_;
    std::vector<std::pair<std::string, std::string>> columns_;
    std::string text_;
    std::vector<size_t> ends_;
    std::vector<bool> nulls_;
};

struct SandboxQueryOptions {
    int64_t timeout_ms = 10000;
    int64_t max_rows = 100000;  // more rows: the result keeps the first ones and `truncated` is set
};

class SqlSandbox {
public:
    // Loads `tables` into a fresh in-memory database and locks it down. kInvalidArgument when a
    // cell does not convert to its column's type or a table or column name repeats.
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
