// The `tessera` binary: global options and the table of subcommands. Logic lives in the modules;
// each subcommand is one file in this folder.

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/logging.h"
#include "engine/build_child.h"

namespace {

struct CommandEntry {
    const char* name;
    void (*register_fn)(CLI::App&, tessera::cli::Context&);
};

constexpr CommandEntry kCommands[] = {
        {"init", tessera::cli::RegisterInit},         {"validate", tessera::cli::RegisterValidate},
        {"plan", tessera::cli::RegisterPlan},         {"apply", tessera::cli::RegisterApply},
        {"get", tessera::cli::RegisterGet},           {"describe", tessera::cli::RegisterDescribe},
        {"history", tessera::cli::RegisterHistory},   {"diff", tessera::cli::RegisterDiff},
        {"delete", tessera::cli::RegisterDelete},     {"run", tessera::cli::RegisterRun},
        {"runs", tessera::cli::RegisterRuns},         {"status", tessera::cli::RegisterStatus},
        {"snapshots", tessera::cli::RegisterSnapshots}, {"query", tessera::cli::RegisterQuery},
        {"search", tessera::cli::RegisterSearch},     {"lineage", tessera::cli::RegisterLineage},
        {"import", tessera::cli::RegisterImport},     {"export", tessera::cli::RegisterExport},
        {"issue", tessera::cli::RegisterIssue},
        {"check", tessera::cli::RegisterCheck},       {"policy", tessera::cli::RegisterPolicy},
        {"waiver", tessera::cli::RegisterWaiver},     {"scorecard", tessera::cli::RegisterScorecard},
        {"token", tessera::cli::RegisterToken},       {"role", tessera::cli::RegisterRole},
        {"access", tessera::cli::RegisterAccess},     {"audit", tessera::cli::RegisterAudit},
        {"serve", tessera::cli::RegisterServe},       {"version", tessera::cli::RegisterVersion},
        {"whoami", tessera::cli::RegisterWhoami},
};

}  // namespace

int main(int argc, char** argv) {
    using namespace tessera;
    // A build process started by engine::Runner (not a user command): nothing else of the CLI runs.
    if (argc == 2 && std::string_view(argv[1]) == engine::kBuildChildCommand) return engine::BuildChildMain();
    cli::Context ctx;
    const char* home = std::getenv("TESSERA_HOME");
    ctx.home = home && *home ? home : ".tessera";

    CLI::App app{"Tessera: a data mesh platform in one binary (catalog, builds, governance)", "tessera"};
    app.require_subcommand(1);
    app.fallthrough();
    app.set_help_all_flag("--help-all", "Show the help of every subcommand");
    app.option_defaults()->always_capture_default();
    app.add_option("--catalog", ctx.home, "Tessera home folder holding catalog.db (default $TESSERA_HOME or ./.tessera)");
    if (const char* v = std::getenv("TESSERA_SERVER")) ctx.server = v;
    if (const char* v = std::getenv("TESSERA_TOKEN")) ctx.token = v;
    app.add_option("--server", ctx.server, "Work against a Tessera server at this URL (default $TESSERA_SERVER)");
    app.add_option("--token", ctx.token, "API token or OIDC token for --server (default $TESSERA_TOKEN)");
    app.add_flag("--json", ctx.json, "Print results as JSON");
    app.add_flag("--yaml", ctx.yaml, "Print results as YAML");
    app.add_flag("-q,--quiet", ctx.quiet, "Print only errors");
    app.add_option("--log-level", ctx.log_level, "debug | info | warn | error | off (default warn, or $TESSERA_LOG)");
    for (const auto& c : kCommands) c.register_fn(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "tessera: error: " << e.what() << " (see tessera --help)\n";
        return cli::kExitInvalid;
    }
    log::Level level = log::Level::kWarn;
    const char* env_level = std::getenv("TESSERA_LOG");
    if (env_level && *env_level) log::ParseLevel(env_level, &level);
    if (!ctx.log_level.empty() && !log::ParseLevel(ctx.log_level, &level)) {
        std::cerr << "tessera: error: --log-level: expected debug, info, warn, error or off, found \"" << ctx.log_level
                  << "\"\n";
        return cli::kExitInvalid;
    }
    if (ctx.quiet && level < log::Level::kError) level = log::Level::kError;
    log::SetLevel(level);
    if (ctx.json && ctx.yaml) {
        std::cerr << "tessera: error: give --json or --yaml, not both\n";
        return cli::kExitInvalid;
    }
    // Remote mode covers the commands that read or change the shared catalog; the others work on
    // local files or the local catalog only (docs/cli.md says why for each).
    static const std::set<std::string> kRemote = {"get",  "describe", "search", "lineage", "impact", "query",
                                                  "apply", "plan",    "runs",   "status",  "version"};
    if (ctx.Remote() && !app.get_subcommands().empty()) {
        std::string name = app.get_subcommands().front()->get_name();
        if (name == "whoami") {
            // Who the local caller is does not depend on a server.
        } else if (!kRemote.count(name)) {
            const char* env = std::getenv("TESSERA_SERVER");
            if (env && ctx.server == env && app.count("--server") == 0) {
                std::cerr << "tessera: error: TESSERA_SERVER is set, but `" << name
                          << "` works on the local catalog only: unset TESSERA_SERVER to use it\n";
            } else {
                std::cerr << "tessera: error: " << name << " works on the local catalog only; drop --server\n";
            }
            return cli::kExitInvalid;
        }
    }
    return ctx.run ? ctx.run() : ctx.exit_code;
}
