#pragma once

// One product's build as plain data: what a sandboxed build process is handed (`BuildPlan`) and
// what it hands back (`BuildResult`), their JSON wire form, and `ExecuteBuild`, the step that runs
// in the child process (engine/build_child.h) with a locked-down DuckDB.
//
//   BuildPlan plan;                       // made by the Runner, in the server or CLI process
//   plan.views = {{"raw", "SELECT * FROM read_csv(['/src/shop/customers.csv'])"}};
//   plan.readable_files = {"/src/shop/customers.csv"};
//   plan.transform_sql = "select id::BIGINT as id from raw";
//   plan.outputs = {{"current", model::DataFormat::kParquet, "/data/…/.tmp-run7/part-0.parquet", {{"id", "BIGINT"}}}};
//   BuildResult r = ExecuteBuild(plan);   // in the child
//
// The plan is everything a build needs from the catalog: the child never opens the catalog, the
// Tessera home or its secrets. Its DuckDB may open exactly `readable_files` and the outputs' files
// (`allowed_paths`; no directory is allowed), with external access off and the configuration
// locked before any SQL of the product runs; the kernel (Landlock) lets it write only in the
// outputs' folders and the spill folder, so an input file cannot be overwritten. `views` are the only SQL the child
// runs unlocked: each is `CREATE VIEW name AS sql`, and DuckDB binds a view lazily, so what a view
// reads is checked against the allowed paths when it is read, after the lock.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/mesh.h"
#include "store/store.h"

namespace tessera::engine::internal {

// An input as the transform sees it: a view named like the input.
struct BuildView {
    std::string name;
    std::string sql;  // a SELECT over files listed in `BuildPlan::readable_files`
};

struct BuildColumn {
    std::string name;
    std::string type;
};

// One output port: the transform's table or view of that name is written to `file`.
struct BuildOutput {
    std::string port;
    model::DataFormat format = model::DataFormat::kParquet;
    std::string file;                  // absolute; its folder exists
    std::vector<BuildColumn> columns;  // as declared, for the schema check
};

// One quality check, planned from the descriptor (see `PlanChecks` in quality.h): the rows
// `failing_rows_sql` returns are failures.
struct CheckPlan {
    std::string port;
    std::string name;
    std::string failing_rows_sql;
    int64_t tolerated = 0;   // failures allowed before the check fails
    bool blocking = true;    // error severity: a failure blocks the publish (else it warns)
    std::string what;        // "rows with no email": the message after the count
    // Row count and freshness checks: their message is this text, then the failing value.
    std::string value_message;
    // The failing value is a data value (rows, the newest timestamp), not a count: kept only when
    // the plan keeps samples.
    bool sample_is_data = true;
};

struct BuildPlan {
    std::string product;  // "domain.name", for messages
    std::vector<BuildView> views;
    std::vector<std::string> readable_files;
    std::string transform_sql;
    std::vector<BuildOutput> outputs;
    std::vector<CheckPlan> checks;
    // Samples of failing rows are kept only for products with no masked column, reading no
    // product with one: a value derived from a masked column cannot be told apart from others.
    bool keep_samples = false;
    std::string spill_dir;  // DuckDB's temp_directory
    int threads = 1;
    std::string memory_limit = "1GB";
    int64_t now = 0;  // seconds since 1970, for freshness checks
    // Set by the child when the kernel cannot confine its writes (no Landlock): the inputs are
    // copied into DuckDB before the lock-down, and their files are then neither readable nor
    // writable by the product's SQL.
    bool copy_inputs = false;
    std::string fault;  // tests only: "segv", "abort", "hang", "garbage" (engine/build_child.cc)
};

struct BuildResult {
    bool ok = false;
    std::string error;                     // when !ok: what failed, for the owning team
    std::vector<std::string> schema_diff;  // when the produced schema differs from the declared one
    std::vector<int64_t> rows;             // per output, in plan order, when ok
    std::vector<store::CheckRecord> checks;
};

std::string PlanToJson(const BuildPlan& plan);
Result<BuildPlan> PlanFromJson(const std::string& text);  // kInvalidArgument when malformed
std::string ResultToJson(const BuildResult& result);
Result<BuildResult> ResultFromJson(const std::string& text);  // kInvalidArgument when malformed

// Runs the plan: opens DuckDB, creates the views, locks DuckDB down, runs the transform, checks
// the schema, writes every output file, runs the checks. Never throws; a failure is `ok = false`
// with the reason.
BuildResult ExecuteBuild(const BuildPlan& plan);

}  // namespace tessera::engine::internal
