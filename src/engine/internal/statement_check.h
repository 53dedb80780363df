#pragma once

// The statement check of the consumer sandbox, the second line behind the files a reader's DuckDB
// may open (engine/reader_files.h): reads DuckDB's parse tree of one query (`json_serialize_sql`)
// and resolves every table name the way DuckDB's binder will, by scope.
//
//   TESSERA_ASSIGN_OR_RETURN(auto products, CheckStatement(tree["statements"][0], {}));
//   // products: the `domain.product[__port][@vN]` names the query reads, each to bind to a view.
//
// Scope, as the binder has it: the CTEs of a query node (its `WITH`) are visible in that node and
// everything nested in it (subqueries in FROM, WHERE, SELECT, lateral joins, set-operation arms),
// each CTE's body sees the CTEs defined before it, and only a recursive CTE sees itself, in its
// recursive arm. A CTE of a subquery is invisible outside it. An unqualified name that is not an
// in-scope CTE is refused (DuckDB would look it up as a table, a system view or a file); so is a
// qualified name in a system schema, a three-part name, a table function other than `range`,
// `generate_series` and `unnest`, `DESCRIBE`/`SUMMARIZE`, time travel `AT (…)`, a schema-qualified
// function call (system macros), functions that show the host or the configuration, and functions
// that build a value whose size an argument chooses beyond the limits (they run uninterrupted).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace tessera::engine::internal {

// A table name the query reads that is not a CTE: `schema.table` as written, lower-cased.
struct TableName {
    std::string schema;
    std::string table;
    bool operator==(const TableName&) const = default;
};

struct StatementLimits {
    // Expressions in one SELECT list (binding a subquery over a very wide select list is quadratic
    // in DuckDB and cannot be interrupted).
    size_t max_select_items = 1024;
    // The largest count or width a size-choosing function (`repeat`, `lpad`, `printf('%0Nd')`…)
    // may be given, as a constant.
    int64_t max_built_size = 10000;
};

// Checks one parsed statement (`{"node": …}`). Returns the names to bind to products, in order of
// appearance, each once; `information_schema.tables`, `.columns` and `.schemata` are allowed and
// not returned. kInvalidArgument names what is refused and what to write instead;
// kResourceExhausted for what goes past `limits`.
Result<std::vector<TableName>> CheckStatement(const nlohmann::json& statement, const StatementLimits& limits);

}  // namespace tessera::engine::internal
