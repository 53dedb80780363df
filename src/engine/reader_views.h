#pragma once

// What one reader may open of the snapshot store: for each product port they name, a view and
// the exact files it reads, such that every one of those files holds only what that reader may
// see. The consumer query sandbox gives its DuckDB these files and nothing else
// (`allowed_paths`), so no SQL, however it escapes the statement check, reaches another byte; a
// build reads its upstream products through the same function, as a reader of its domain.
//
//   engine::ReaderViews views(catalog, {.data_dir = home + "/data"}, *policy, "carl", mask_key);
//   TESSERA_ASSIGN_OR_RETURN(engine::ReaderView v, views.View("orders", "order_facts"));
//   // CREATE VIEW orders.order_facts AS <v.select>;  SET allowed_paths = <v.files>
//
// Files (docs/data-plane.md, "Snapshot store"): a reader who may see every column of a Parquet
// snapshot in clear reads the snapshot's own files. Any other reader reads a *reader file*: one
// Parquet file in the snapshot's `.readers/` folder with only the columns they may see, masked
// columns already masked (the `mask: hash` HMAC under the catalog's key), written once by trusted
// code the first time a reader of that shape asks, and shared by every reader of the same shape.
// Snapshots published before reader files existed get theirs the same way, on first read.
//
// Not thread-safe: one `ReaderViews` per query or build. Several processes may write the same
// reader file at once (each writes its own temporary file and renames it into place).

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "engine/query.h"  // AccessPolicy

namespace tessera::engine {

// One product port as one reader sees it.
struct ReaderView {
    std::string schema;   // the SQL schema of the view: the domain
    std::string name;     // the view's name as written: product, product__port or product@v3
    std::string product;  // domain.product
    std::string port;
    int64_t version = 0;
    std::string select;               // the view's body: `SELECT … FROM read_parquet([…])`
    std::vector<std::string> files;   // absolute paths: exactly the files `select` reads
    std::vector<std::string> columns; // the columns the view has, in order
};

struct ReaderViewsConfig {
    std::string data_dir;      // the snapshot store
    int threads = 0;           // DuckDB threads of writing a reader file; 0: DuckDB's default
    std::string memory_limit;  // of writing a reader file; empty: DuckDB's default
};

class ReaderViews {
public:
    // `policy` and `catalog` must outlive this object. `mask_key` keys `mask: hash` (non-empty).
    ReaderViews(catalog::Catalog& catalog, ReaderViewsConfig config, const AccessPolicy& policy, std::string reader,
                std::string mask_key);
    ~ReaderViews();

    // The view of `schema.table` (`domain`, `product[__port][@vN]`, lower case) for the reader,
    // writing its reader file when it is missing. kNotFound for an unknown product;
    // kInvalidArgument for an entity that is not a product, a missing port or version;
    // kPermissionDenied when the policy refuses the product or leaves no column visible;
    // kFailedPrecondition when the port has no snapshot yet; kUnavailable when a reader file
    // cannot be written.
    Result<ReaderView> View(const std::string& schema, const std::string& table);

private:
    struct State;
    catalog::Catalog& catalog_;
    ReaderViewsConfig config_;
    const AccessPolicy& policy_;
    std::string reader_;
    std::string mask_key_;
    std::unique_ptr<State> state_;  // a trusted DuckDB, opened on first need
};

}  // namespace tessera::engine
