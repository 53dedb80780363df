#pragma once

// Column lineage from a transform's SQL: for every column the query produces, the input columns it
// is computed from and how (passed through, derived, aggregated, windowed). It reads DuckDB's
// parse tree (`json_serialize_sql`, obtained by the engine) and follows projections, aliases,
// joins, CTEs, subqueries, `SELECT *` (with EXCLUDE / REPLACE), `COLUMNS(…)` and set operations.
// Where a column cannot be traced (a table function, `*` over files whose columns are unknown, a
// script of several statements) it says so instead of guessing.
//
//   search::InputSchemas inputs = {{"o", {"order_id", "amount"}}, {"raw", std::nullopt}};
//   auto lineage = search::ColumnLineage(parse_tree_json, inputs);
//   // lineage->columns[0] = {name: "order_id", kind: kDirect, sources: {{"o", "order_id"}}}

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace tessera::search {

// The columns of each input table of a transform, by input name; nullopt when unknown (files).
using InputSchemas = std::map<std::string, std::optional<std::vector<std::string>>>;

struct SourceColumn {
    std::string input;   // the input's name in the transform
    std::string column;
    bool operator<(const SourceColumn& o) const { return std::tie(input, column) < std::tie(o.input, o.column); }
    bool operator==(const SourceColumn& o) const = default;
};

enum class LineageKind {
    kDirect,     // the input column itself, perhaps renamed
    kDerived,    // computed from the sources row by row (functions, operators, CASE, casts)
    kAggregate,  // an aggregate over the sources
    kWindow,     // a window function over the sources
    kConstant,   // no input column (a literal, count(*))
    kUnknown,    // cannot be traced: `reason` says why
};
std::string_view LineageKindName(LineageKind k);

struct ColumnLineageEntry {
    std::string name;
    LineageKind kind = LineageKind::kUnknown;
    std::vector<SourceColumn> sources;  // sorted, unique
    std::string reason;                 // for kUnknown
};

struct QueryLineage {
    std::vector<ColumnLineageEntry> columns;  // in output order
};

// Traces the columns of the single statement in `parse_tree_json`. kInvalidArgument when the JSON
// is not a parse tree of one SELECT (DuckDB could not serialize it, e.g. a script).
Result<QueryLineage> ColumnLineage(const std::string& parse_tree_json, const InputSchemas& inputs);

}  // namespace tessera::search
