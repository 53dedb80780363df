#pragma once

// The self-serve data plane: builds data products on DuckDB and publishes their output ports as
// immutable, versioned snapshots under `<data_dir>/<domain>/<product>/<port>/v<N>/`.
//
//   engine::Runner runner(catalog, {.data_dir = ".tessera/data"});
//   engine::RunRequest req;
//   req.all = true;
//   TESSERA_ASSIGN_OR_RETURN(auto outcomes, runner.Run(req, &progress));
//
// One product's run: lock it (a second run of the same product is refused, not interleaved),
// resolve its inputs (upstream products' current snapshots, or source files), run the transform,
// compare the produced schema with the declared one, run the quality checks, and only when every
// error-severity check passes write the snapshot to a temporary folder, sync it, rename it into
// place and record it in the catalog in one transaction. A run killed at any point leaves the
// previous snapshot current; what it left on disk is removed by the next run.
//
// A Runner is used from one thread at a time.

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"
#include "engine/query.h"  // AccessPolicy

namespace tessera::engine {

struct EngineOptions {
    std::string data_dir;          // where snapshots live; created when missing
    int threads = 0;               // DuckDB threads; 0: DuckDB's default (all cores)
    std::string memory_limit;      // e.g. "4GB"; empty: DuckDB's default
    int keep_snapshots = 5;        // retention per port: the newest N versions stay
};

struct RunRequest {
    std::vector<std::string> products;  // addresses "domain.name"
    bool all = false;                   // every product
    bool due = false;                   // what is due now (schedules and upstream triggers)
    std::string author;
    std::time_t now = 0;                // for `due`; 0: the current time
};

// How one product's run ended.
struct RunOutcome {
    std::string product;
    // succeeded | failed (transform or schema) | blocked (quality) | skipped (upstream did not
    // publish) | refused (already running)
    std::string status;
    int64_t run_id = 0;
    std::string error;
    std::vector<store::CheckRecord> checks;
    std::vector<store::SnapshotRecord> published;
    int64_t duration_ms = 0;
};

// The policy of a domain as the reader of the products its builds take as inputs (an input port
// is a standing access request): what the access module decides for `domain` (its own products in
// clear, others as its grants allow). Its `MaskKey()` must be the catalog's key.
using InputPolicyFn = std::function<Result<std::unique_ptr<AccessPolicy>>(const std::string& domain)>;

// Told about progress; the CLI draws a progress line on a TTY.
using ProgressFn = std::function<void(size_t done, size_t total, const std::string& product, const std::string& step)>;

class Runner {
public:
    Runner(catalog::Catalog& catalog, EngineOptions options);

    // Runs the requested products in dependency order (upstream first). When a product does not
    // publish, the products of this request that read it are skipped. Returns one outcome per
    // product; kNotFound for an unknown name, kInvalidArgument for an empty request.
    Result<std::vector<RunOutcome>> Run(const RunRequest& request, const ProgressFn& progress = {});

    // The products due at `now`: a cron schedule with a fire time after the last run's start (or
    // never run), or `trigger: upstream` with an input published after the last successful run.
    Result<std::vector<std::string>> Due(std::time_t now);

    // Reads every product input through `ReaderViews`, as a reader of the building product's
    // domain under `policy`: hidden columns absent, masked ones masked, a product the domain may
    // not read fails the run (kPermissionDenied's message in the run's error). Unset, inputs are
    // read raw, as before reader files (docs/security.md says who sets it).
    void ReadInputsAs(InputPolicyFn policy) { input_policy_ = std::move(policy); }

private:
    RunOutcome RunOne(const model::DataProduct& product, const catalog::StoredEntity& stored, const std::string& author,
                      const std::string& trigger, const std::function<void(const std::string&)>& step);

    catalog::Catalog& catalog_;
    EngineOptions options_;
    InputPolicyFn input_policy_;
};

// Products in dependency order (every product after those it reads); ties by name.
std::vector<std::string> DependencyOrder(const std::vector<std::string>& products,
                                         const std::vector<store::Dependency>& dependencies);

}  // namespace tessera::engine
