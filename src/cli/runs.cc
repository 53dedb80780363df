// tessera runs NAME: the runs of a product, and the check results of the newest (or --run ID).

#include <iostream>

#include "cli/context.h"

namespace tessera::cli {
namespace {

struct RunsOptions {
    std::string product;
    int64_t limit = 20;
    int64_t run = 0;
};

store::CheckRecord CheckFromJson(const nlohmann::ordered_json& c, int64_t run) {
    return {run, c.value("port", ""), c.value("check", ""), c.value("status", ""), c.value("failures", int64_t{0}),
            c.value("message", ""), c.contains("sample") ? c["sample"].dump() : "[]"};
}

// Runs of a product and the checks of one of them, through the server.
Status RemoteRuns(Context& ctx, const RunsOptions& o, std::vector<store::RunRecord>* runs,
                  std::vector<store::CheckRecord>* checks, int64_t* shown) {
    std::string base = ProductPath(o.product);
    if (base.empty()) return NotFound("\"" + o.product + "\" is not a data product (domain.product)");
    auto remote = ctx.OpenRemote();
    TESSERA_ASSIGN_OR_RETURN(auto page, remote->Get(base + "/runs?limit=" + std::to_string(o.limit)));
    for (const auto& r : page["items"]) {
        store::RunRecord rec;
        rec.id = r.value("id", int64_t{0});
        rec.product = r.value("product", "");
        rec.status = r.value("status", "");
        rec.trigger = r.value("trigger", "");
        rec.author = r.value("author", "");
        rec.catalog_revision = r.value("catalog_revision", int64_t{0});
        rec.started_at_ms = r.value("started_at_ms", int64_t{0});
        rec.finished_at_ms = r.value("finished_at_ms", int64_t{0});
        rec.error = r.value("error", "");
        rec.details = r["details"].is_null() ? "" : r["details"].dump();
        runs->push_back(rec);
    }
    *shown = o.run ? o.run : (runs->empty() ? 0 : runs->front().id);
    if (*shown) {
        TESSERA_ASSIGN_OR_RETURN(auto run, remote->Get(base + "/runs/" + std::to_string(*shown)));
        for (const auto& c : run["checks"]) checks->push_back(CheckFromJson(c, *shown));
    }
    return Status::Ok();
}

int RunRuns(Context& ctx, const RunsOptions& o) {
    std::vector<store::RunRecord> run_list;
    std::vector<store::CheckRecord> checks;
    int64_t shown = 0;
    if (ctx.Remote()) {
        Status s = RemoteRuns(ctx, o, &run_list, &checks, &shown);
        if (!s.ok()) return ctx.Fail(s);
    } else {
        auto cat = ctx.OpenCatalog(false);
        if (!cat) return ctx.exit_code;
        auto found = cat->Find(o.product);
        if (!found.ok()) return ctx.Fail(found.status());
        auto r = cat->Runs(o.product, o.limit);
        if (!r.ok()) return ctx.Fail(r.status());
        run_list = std::move(*r);
        shown = o.run ? o.run : (run_list.empty() ? 0 : run_list.front().id);
        if (shown) {
            auto c = cat->Checks(shown);
            if (!c.ok()) return ctx.Fail(c.status());
            checks = *c;
        }
    }
    const auto* runs = &run_list;
    if (ctx.Structured()) {
        auto arr = nlohmann::ordered_json::array();
        for (const auto& r : *runs) {
            nlohmann::ordered_json j;
            j["run"] = r.id;
            j["status"] = r.status;
            j["trigger"] = r.trigger;
            j["author"] = r.author;
            j["started"] = FormatTime(r.started_at_ms);
            j["duration_ms"] = r.finished_at_ms ? r.finished_at_ms - r.started_at_ms : 0;
            j["details"] = nlohmann::ordered_json::parse(r.details, nullptr, false);
            if (!r.error.empty()) j["error"] = r.error;
            if (r.id == shown) {
                for (const auto& c : checks) {
                    j["checks"].push_back(CheckToJson(c));
                }
            }
            arr.push_back(j);
        }
        ctx.PrintStructured(arr);
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    if (runs->empty()) {
        std::cout << o.product << " has never run\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : *runs) {
        size_t passed = 0, total = 0;
        if (r.id == shown) {
            for (const auto& c : checks) {
                ++total;
                passed += c.status == "passed";
            }
        }
        rows.push_back({std::to_string(r.id), FormatTime(r.started_at_ms), r.status, r.trigger,
                        r.finished_at_ms ? FormatDuration(r.finished_at_ms - r.started_at_ms) : "-",
                        r.id == shown ? std::to_string(passed) + "/" + std::to_string(total) + " passed" : ""});
    }
    PrintTable({"RUN", "STARTED", "STATUS", "TRIGGER", "DURATION", "CHECKS"}, rows);
    for (const auto& r : *runs) {
        if (r.id == shown && !r.error.empty()) std::cout << "\nrun " << r.id << ": " << r.error << "\n";
    }
    if (!checks.empty()) {
        std::cout << "\nchecks of run " << shown << ":\n";
        for (const auto& c : checks) {
            std::cout << "  " << (c.status == "passed" ? "ok  " : c.status == "warned" ? "warn" : "FAIL") << " " << c.port
                      << "." << c.check;
            if (!c.message.empty()) std::cout << ": " << c.message;
            std::cout << "\n";
            if (c.status != "passed" && c.sample != "[]") std::cout << "       sample: " << c.sample << "\n";
        }
    }
    return kExitOk;
}

}  // namespace

void RegisterRuns(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RunsOptions>();
    auto* sub = app.add_subcommand("runs", "List the runs of a product with their quality check results");
    sub->add_option("product", o->product, "domain.product, its URN or REST path")->transform(ProductAddressArg(PortArg::kProduct))->required();
    sub->add_option("--limit", o->limit, "How many runs (default 20)");
    sub->add_option("--run", o->run, "Show the checks of this run (default: the newest)");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunRuns(ctx, *o); }; });
}

}  // namespace tessera::cli
