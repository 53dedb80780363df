#pragma once

// Consumer queries in a sandbox. Every data product with a published snapshot is a view named by
// its address: `orders.order_facts` (schema = domain), `orders.order_facts__daily` for one port of
// a product with several, and `orders.order_facts@v3` for an older retained version. Views apply
// the columns' masks unless the reader may see them unmasked.
//
//   engine::QueryEngine q(catalog, {.data_dir = ".tessera/data"}, engine::AllowAllReaders());
//   TESSERA_ASSIGN_OR_RETURN(auto table, q.Run("select count(*) from orders.order_facts", {.user = "ann"}));
//
// The sandbox (docs/data-plane.md, docs/security.md), two lines deep:
// - the files: each view reads only files that hold nothing its reader may not see (columns they
//   may not see are absent, masked ones masked: engine/reader_views.h), and DuckDB is locked
//   down to exactly those files (`allowed_paths`, no directory, `enable_external_access = false`,
//   `lock_configuration = true`), so whatever SQL runs, no other byte is reachable;
// - the statement: one read statement (its parsed tree is checked, not its text), every table
//   name resolved by scope as DuckDB binds it, to a product or an in-scope CTE; no table function
//   but `range`, `generate_series`, `unnest`; no file as a table, no system view, no settings
//   function (engine/internal/statement_check.h).
// Limits: the SQL's length, a timeout from parse to the last row, DuckDB's memory and threads per
// query, and the result's rows and bytes in every format.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"

namespace tessera::engine {

// Who may read what: the one place that decides. The access module fills it with grants; until
// then `AllowAllReaders` lets everyone read every product, masked.
class AccessPolicy {
public:
    virtual ~AccessPolicy() = default;
    // May `user` read `product` at all? kPermissionDenied otherwise, with the reason.
    virtual Status CanRead(const std::string& user, const std::string& product) const = 0;
    // May `user` see `column` of `product` unmasked?
    virtual bool Unmasked(const std::string& user, const std::string& product, const std::string& column) const = 0;
    // May `user` see `column` of `product` at all? A hidden column is left out of the product's
    // view, so no SQL route can name it. Every column by default.
    virtual bool ColumnVisible(const std::string& /*user*/, const std::string& /*product*/,
                               const std::string& /*column*/) const {
        return true;
    }
    // The secret key of `mask: hash` (HMAC-SHA256 under it, so a reader cannot test guesses of a
    // masked value): the catalog's own, so hashes are stable and join across products and queries.
    // Empty: a random key of this query engine (hashes then match only within it).
    virtual std::string MaskKey() const { return ""; }
};
std::unique_ptr<AccessPolicy> AllowAllReaders();

struct QueryOptions {
    std::string user;
    int64_t timeout_ms = 60000;
    int64_t max_rows = 1000000;
    // The result's text (cells as returned), or the written file, at most: past it the query
    // fails with kResourceExhausted.
    int64_t max_result_bytes = int64_t{256} << 20;
    // When set, the result is written there by DuckDB (`parquet`, `csv` or `json`) instead of
    // being returned; the file appears whole or not at all.
    std::string output_file;
    std::string output_format = "parquet";
};

// A result as text: column names and types, and cells (absent for NULL). Scalars are DuckDB's
// text; LIST, ARRAY, STRUCT and MAP cells are JSON (`["FR","DE"]`, `{"a":1}`).
struct Table {
    std::vector<std::string> columns;
    std::vector<std::string> types;
    std::vector<std::vector<std::optional<std::string>>> rows;
    bool truncated = false;  // more rows than max_rows existed
    int64_t rows_written = 0;  // with output_file
};

// DuckDB's threads and memory per query when `QueryConfig` leaves them at 0 / empty.
inline constexpr int kDefaultQueryThreads = 2;
inline constexpr const char* kDefaultQueryMemoryLimit = "1GB";

struct QueryConfig {
    std::string data_dir;
    int threads = 0;           // DuckDB threads per query; 0: kDefaultQueryThreads
    std::string memory_limit;  // DuckDB's memory_limit per query ("512MB"); empty: kDefaultQueryMemoryLimit
    size_t max_sql_bytes = 64 * 1024;  // longer SQL is refused before it is parsed
};

class QueryEngine {
public:
    QueryEngine(catalog::Catalog& catalog, QueryConfig config, std::unique_ptr<AccessPolicy> access);

    // Runs one read-only statement. kInvalidArgument for SQL that is not one SELECT, or that uses
    // what the sandbox forbids (the message names it); kPermissionDenied when the policy refuses
    // a product; kDeadlineExceeded when `timeout_ms` passes (parsing and checking included);
    // kResourceExhausted for SQL longer than `max_sql_bytes`, a result or file past
    // `max_result_bytes`, a query past DuckDB's memory limit, or a value whose size the query
    // chooses beyond the statement check's limits. More than `max_rows` rows: the first ones and
    // `truncated` (a file holds `max_rows` rows then, too).
    Result<Table> Run(const std::string& sql, const QueryOptions& options);

private:
    catalog::Catalog& catalog_;
    QueryConfig config_;
    std::unique_ptr<AccessPolicy> access_;
    std::string own_mask_key_;  // when the policy has no key
};

// Rewrites `domain.product@v3` (outside quotes and comments) to `domain."product@v3"`.
std::string RewriteVersionedNames(const std::string& sql);

// Writing a result, the same for `tessera query` and the server's query route:
// - CsvLine: one RFC 4180 line (quoted when a cell holds a comma, quote or line break; NULL empty);
// Cells are valid UTF-8 (`Table` guarantees it: invalid sequences become U+FFFD); the JSON
// writers replace any invalid sequence they are still given rather than fail.
// - JsonLine: one JSON object per row, columns in order: numbers and booleans bare, nested values
//   as JSON, NULL as null, everything else as strings.
// - JsonCell: one cell of a column of type `type` as JSON text, as JsonLine writes it.
std::string CsvLine(const std::vector<std::optional<std::string>>& cells);
std::string JsonLine(const Table& table, size_t row);
std::string JsonCell(const std::string& type, const std::optional<std::string>& cell);

}  // namespace tessera::engine
