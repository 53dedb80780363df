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
// resolve its inputs (upstream products' current snapshots, or source files) into a build plan,
// and hand the plan to a build process of its own (engine/build_child.h): a child of this process
// with a DuckDB that may read exactly the inputs' files and write exactly the output files, under
// a memory, thread and time limit, with no access to the catalog, the Tessera home or its secrets.
// The child runs the transform, compares the produced schema with the declared one, writes each
// port to a temporary folder and runs the quality checks. Only when the child succeeded and every
// error-severity check passed does this process sync the folders, rename them into place and
// record the snapshot in the catalog in one transaction. A child that crashes, runs past its time
// limit or is killed ends as a failed run; a run killed at any point leaves the previous snapshot
// current; what it left on disk is removed by the next run.
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

// A build's limits when the options do not say (docs/operations.md, "Builds").
inline constexpr int kDefaultBuildThreads = 2;
inline constexpr const char* kDefaultBuildMemoryLimit = "2GB";
inline constexpr int64_t kDefaultBuildTimeoutSeconds = 3600;

struct EngineOptions {
    std::string data_dir;          // where snapshots live; created when missing
    int threads = 0;               // DuckDB threads per build; 0: kDefaultBuildThreads
    std::string memory_limit;      // DuckDB memory limit per build, e.g. "4GB"; empty: kDefaultBuildMemoryLimit
    int keep_snapshots = 5;        // retention per port: the newest N versions stay
    int64_t timeout_s = 0;         // wall clock per build; 0: kDefaultBuildTimeoutSeconds
    // Where a build reads source files. Empty (the local CLI, whose user is trusted): a source
    // input's path is relative to its descriptor's folder. Set (the server): relative to
    // `<source_root>/<domain>`, and neither the path nor a symbolic link may leave that folder.
    std::string source_root;
    // The Tessera home (catalog.db, data/): a build never reads a file in it as a source, except
    // under `source_root` when that lies inside it. Empty: the parent of `data_dir`.
    std::string home;
    // The program run as `<build_program> __build` for each build; empty: this process's own
    // binary (/proc/self/exe), which must be `tessera`.
    std::string build_program;
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

// A run's or a check's message as shown to readers outside the product's domain team: DuckDB's
// part (from `<Type> Error:` on, which may quote data values and echo SQL) is cut to its type, and
// quoted values and absolute paths in the rest are elided. The owning team and the server log
// keep the full message.
//   PublicRunMessage("the transform failed: Conversion Error: Could not convert string 'ann@x.org' to INT32")
//     == "the transform failed: Conversion Error (the details are shown to the domain's team)"
std::string PublicRunMessage(const std::string& message);

// Products in dependency order (every product after those it reads); ties by name.
std::vector<std::string> DependencyOrder(const std::vector<std::string>& products,
                                         const std::vector<store::Dependency>& dependencies);

}  // namespace tessera::engine
