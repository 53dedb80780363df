// tessera run NAME…|--all|--due: build products, check them, publish their snapshots.

#include <unistd.h>

#include <iostream>
#include <map>
#include <set>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/text.h"
#include "engine/runner.h"

namespace tessera::cli {
namespace {

struct RunOptions {
    std::vector<std::string> products;
    bool all = false;
    bool due = false;
    int threads = 0;
    std::string memory_limit;
    int keep = 5;
    int64_t timeout_s = 0;
};

int RunRun(Context& ctx, const RunOptions& o) {
    if ((o.all || o.due) && !o.products.empty()) {
        return ctx.Fail(InvalidArgument("give product names, or --all, or --due; not several"));
    }
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    // Building writes the products' snapshots: the caller must be allowed to write their domains
    // (--all and --due: every domain).
    std::set<std::string> domains;
    if (o.products.empty()) {
        auto products = cat->Products();
        if (!products.ok()) return ctx.Fail(products.status());
        for (const auto& p : *products) domains.insert(p.domain);
    }
    for (const auto& name : o.products) domains.insert(name.substr(0, name.find('.')));
    auto writer = AuthorizeWrites(ctx, "", domains);
    if (!writer) return ctx.exit_code;
    engine::EngineOptions options;
    options.data_dir = ctx.DataDir();
    options.threads = o.threads;
    options.memory_limit = o.memory_limit;
    options.keep_snapshots = o.keep;
    options.timeout_s = o.timeout_s;
    options.home = ctx.home;
    engine::Runner runner(*cat, options);
    engine::RunRequest request{o.products, o.all, o.due, Context::Author(), 0};
    bool tty = ::isatty(STDERR_FILENO) && !ctx.quiet && !ctx.Structured();
    engine::ProgressFn progress;
    if (tty) {
        progress = [](size_t done, size_t total, const std::string& product, const std::string& step) {
            std::cerr << "\r\033[K[" << done << "/" << total << "] " << product << ": " << step << std::flush;
        };
    }
    auto outcomes = runner.Run(request, progress);
    if (tty) std::cerr << "\r\033[K" << std::flush;
    if (!outcomes.ok()) return ctx.Fail(outcomes.status());

    // The quality issues each run opened and resolved (in its own transaction, see Catalog::FinishRun).
    std::map<int64_t, std::pair<std::vector<std::string>, std::vector<std::string>>> issue_changes;
    for (const auto& r : *outcomes) {
        if (!r.run_id || r.checks.empty()) continue;
        auto issues = cat->Issues({r.product, "", "all", false, 0});
        if (!issues.ok()) continue;
        for (auto it = issues->rbegin(); it != issues->rend(); ++it) {
            if (it->opened_run == r.run_id) issue_changes[r.run_id].first.push_back("#" + std::to_string(it->id));
            if (it->resolved_run == r.run_id) issue_changes[r.run_id].second.push_back("#" + std::to_string(it->id));
        }
    }
    for (const auto& r : *outcomes) {
        if (r.status == "refused") continue;
        AuditWrite(*writer, "run", r.product, r.status + (r.run_id ? " (run " + std::to_string(r.run_id) + ")" : ""));
    }
    int code = kExitOk;
    for (const auto& r : *outcomes) {
        if (r.status == "refused") code = std::max(code, static_cast<int>(kExitConflict));
        else if (r.status != "succeeded") code = kExitPrecondition;
    }
    if (ctx.Structured()) {
        auto arr = nlohmann::ordered_json::array();
        for (const auto& r : *outcomes) {
            nlohmann::ordered_json j;
            j["product"] = r.product;
            j["status"] = r.status;
            j["run"] = r.run_id;
            j["duration_ms"] = r.duration_ms;
            if (!r.error.empty()) j["error"] = r.error;
            for (const auto& s : r.published) {
                j["published"].push_back({{"port", s.port}, {"version", s.version}, {"rows", s.rows}, {"bytes", s.bytes}});
            }
            for (const auto& c : r.checks) {
                if (c.status != "passed") j["checks"].push_back(CheckToJson(c));
            }
            if (auto it = issue_changes.find(r.run_id); it != issue_changes.end()) {
                if (!it->second.first.empty()) j["issues_opened"] = it->second.first;
                if (!it->second.second.empty()) j["issues_resolved"] = it->second.second;
            }
            arr.push_back(j);
        }
        ctx.PrintStructured(arr);
        ctx.exit_code = code;
        return code;
    }
    if (outcomes->empty()) {
        ctx.Say(o.due ? "nothing is due" : "nothing to run");
        return kExitOk;
    }
    for (const auto& r : *outcomes) {
        std::string line = r.product + "  " + r.status;
        for (const auto& s : r.published) {
            line += "  " + s.port + "@v" + std::to_string(s.version) + " " + std::to_string(s.rows) + " rows " +
                    FormatBytes(s.bytes);
        }
        if (r.duration_ms) line += "  " + FormatDuration(r.duration_ms);
        size_t warned = std::count_if(r.checks.begin(), r.checks.end(), [](const auto& c) { return c.status == "warned"; });
        if (warned) line += "  (" + std::to_string(warned) + " warnings)";
        std::string issues;
        if (auto it = issue_changes.find(r.run_id); it != issue_changes.end()) {
            const auto& [opened, resolved] = it->second;
            if (!opened.empty()) issues += "opened quality issue(s) " + text::Join(opened, ", ");
            if (!resolved.empty()) issues += (issues.empty() ? "" : "; ") + std::string("resolved ") + text::Join(resolved, ", ");
        }
        if (r.status == "succeeded") {
            ctx.Say(line);
            if (!issues.empty()) ctx.Say("  " + issues);
        } else {
            std::cerr << line << "\n  " << r.error << "\n";
            if (!issues.empty()) std::cerr << "  " << issues << "\n";
        }
    }
    ctx.exit_code = code;
    return code;
}

}  // namespace

void RegisterRun(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RunOptions>();
    auto* sub = app.add_subcommand("run", "Build data products, check their quality, publish snapshots");
    sub->add_option("products", o->products, "domain.product names, URNs or REST paths (run in dependency order)")->transform(ProductAddressArg(PortArg::kProduct));
    sub->add_flag("--all", o->all, "Run every product");
    sub->add_flag("--due", o->due, "Run what is due: cron schedules and upstream triggers (for cron)");
    sub->add_option("--threads", o->threads, "DuckDB threads per build (default 2)");
    sub->add_option("--memory-limit", o->memory_limit, "DuckDB memory limit per build, e.g. 4GB (default 2GB)");
    sub->add_option("--timeout", o->timeout_s, "Seconds a build may run before it is stopped (default 3600)")
            ->check(CLI::PositiveNumber);
    sub->add_option("--keep", o->keep, "Snapshots kept per output port (default 5)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunRun(ctx, *o); }; });
}

}  // namespace tessera::cli
