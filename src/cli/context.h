#pragma once

// What every subcommand shares: the global options, opening the catalog, printing results as a
// table, JSON or YAML, and turning a Status into one line on stderr and an exit code.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "cli/remote.h"
#include "common/status.h"
#include "spec/descriptor.h"

namespace tessera::cli {

// How an argument that names a data product treats the address of one of its output ports.
enum class PortArg {
    kKeep,     // `domain.product.port` stays: the command looks at the port
    kProduct,  // the port's product: the command acts on whole products
    kRefuse,   // an error: acting on the whole product would do more than the user asked
};
// A CLI11 transformer for an argument that names a data product: it reads every spelling of an
// address (model::Address: name, URN, REST path, port-qualified name) and leaves the name,
// `domain.product` (or `domain.product.port` with kKeep). A wrong address is a usage error that
// names the part that is wrong.
CLI::Validator ProductAddressArg(PortArg ports);
// For an argument that may also name a domain, a team, a policy or a file: URN and REST spellings
// become the name (`urn:tessera:orders` -> `orders`); other text is left to the catalog to resolve
// (which reads dotted names with the same parser). `ports` as above.
CLI::Validator AnyAddressArg(PortArg ports = PortArg::kKeep);

// Exit codes (docs/cli.md). One per StatusCode family; 2 for any invalid input.
enum ExitCode {
    kExitOk = 0,
    kExitInternal = 1,
    kExitInvalid = 2,
    kExitNotFound = 3,
    kExitConflict = 4,
    kExitPrecondition = 5,
    kExitDenied = 6,
    kExitUnavailable = 7,
};
int ExitCodeFor(StatusCode code);

struct Context {
    std::string home;  // --catalog: the Tessera home folder (catalog.db lives in it)
    bool json = false;
    bool yaml = false;
    bool quiet = false;
    std::string log_level;
    int exit_code = kExitOk;
    // Set by the chosen subcommand's parse callback; main runs it once every option is parsed.
    std::function<int()> run;

    // Remote mode (--server / $TESSERA_SERVER, --token / $TESSERA_TOKEN): commands that support
    // it go through the server's API and print what they print locally.
    std::string server;
    std::string token;
    bool Remote() const { return !server.empty(); }
    std::unique_ptr<RemoteCatalog> OpenRemote() const { return std::make_unique<RemoteCatalog>(server, token); }

    std::string CatalogPath() const { return home + "/catalog.db"; }
    std::string DataDir() const { return home + "/data"; }
    bool CatalogExists() const;
    // Opens (creating when `create`) the catalog; prints the error and returns null on failure.
    std::unique_ptr<catalog::Catalog> OpenCatalog(bool create = true);
    // The catalog when it exists, else an empty one in memory (plan, dry runs: write nothing).
    std::unique_ptr<catalog::Catalog> OpenCatalogOrEmpty();

    // Prints "tessera: error: <message>" and records the exit code for `s`. Returns it.
    int Fail(const Status& s);
    // Prints one line to stdout unless --quiet.
    void Say(const std::string& line) const;
    // The local caller, recorded with revisions: $TESSERA_USER, else $USER, else $LOGNAME, else
    // the name of the process's account (a container often sets no $USER), else "unknown".
    static std::string Author();
    // Prints `j` as JSON (--json) or YAML (--yaml).
    void PrintStructured(const nlohmann::ordered_json& j) const;
    bool Structured() const { return json || yaml; }
};

// Loads descriptors and runs every check (per document, then across documents against the
// catalog when one exists). Prints diagnostics to stderr. Returns false when there is an error.
bool LoadAndCheck(Context& ctx, const std::vector<std::string>& paths, catalog::Catalog* cat, spec::Batch* batch);

// A plain text table with aligned columns.
void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// "2026-11-26 08:19:53Z" for Unix milliseconds.
std::string FormatTime(int64_t ms);

// JSON of plans and field changes, shared by plan, apply and history.
nlohmann::ordered_json PlanToJson(const catalog::Plan& plan);
nlohmann::ordered_json FieldsToJson(const std::vector<catalog::FieldChange>& fields);
// One quality check's result, with its failing sample rows.
nlohmann::ordered_json CheckToJson(const store::CheckRecord& c);
// Prints field changes as "    path: before -> after" lines.
void PrintFieldChanges(const std::vector<catalog::FieldChange>& fields, const std::string& indent);

// What ApplyRemote does and prints like: `tessera plan`, `tessera apply --dry-run` or `tessera apply`.
enum class RemoteApply { kPlan, kDryRun, kApply };
// Plan or apply through the server (apply.cc); `print_plan` prints a plan as text.
int ApplyRemote(Context& ctx, const std::vector<std::string>& paths, const std::string& message,
                int64_t expect_revision, RemoteApply mode, const std::function<void(const catalog::Plan&)>& print_plan);

// Each command file defines one of these; main.cc lists them in its table.
void RegisterInit(CLI::App& app, Context& ctx);
void RegisterValidate(CLI::App& app, Context& ctx);
void RegisterPlan(CLI::App& app, Context& ctx);
void RegisterApply(CLI::App& app, Context& ctx);
void RegisterGet(CLI::App& app, Context& ctx);
void RegisterDescribe(CLI::App& app, Context& ctx);
void RegisterHistory(CLI::App& app, Context& ctx);
void RegisterDiff(CLI::App& app, Context& ctx);
void RegisterDelete(CLI::App& app, Context& ctx);
void RegisterVersion(CLI::App& app, Context& ctx);
void RegisterRun(CLI::App& app, Context& ctx);
void RegisterRuns(CLI::App& app, Context& ctx);
void RegisterStatus(CLI::App& app, Context& ctx);
void RegisterSnapshots(CLI::App& app, Context& ctx);
void RegisterQuery(CLI::App& app, Context& ctx);
void RegisterLineage(CLI::App& app, Context& ctx);  // lineage and impact
void RegisterSearch(CLI::App& app, Context& ctx);
void RegisterImport(CLI::App& app, Context& ctx);
void RegisterExport(CLI::App& app, Context& ctx);
void RegisterIssue(CLI::App& app, Context& ctx);  // quality issues: open, list, show, ack, resolve, comment
void RegisterCheck(CLI::App& app, Context& ctx);      // governance: check.cc
void RegisterPolicy(CLI::App& app, Context& ctx);     // propose, preview, approve, enforce, list
void RegisterWaiver(CLI::App& app, Context& ctx);     // add, list, revoke
void RegisterScorecard(CLI::App& app, Context& ctx);
void RegisterServe(CLI::App& app, Context& ctx);
void RegisterWhoami(CLI::App& app, Context& ctx);

// "1.2 s", "340 ms", "3 h 5 min" for durations; "12 KB" for sizes.
std::string FormatDuration(int64_t ms);
std::string FormatBytes(int64_t bytes);

}  // namespace tessera::cli
