// tessera check: evaluate the mesh's policies over the whole catalog, as text, JSON, SARIF or
// JUnit XML, and record the scorecard. Also the policy step of validate, plan and apply
// (GovernBatch).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/context.h"
#include "common/logging.h"
#include "common/text.h"
#include "governance/policy_check.h"
#include "governance/report.h"
#include "governance/review.h"
#include "governance/scorecard.h"

namespace tessera::cli {

namespace {

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

// Writes `text` to `path` whole or not at all (a temporary file renamed over it).
Status WriteFileAtomically(const std::string& path, const std::string& text) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path target = fs::absolute(path, ec);
    fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return Unavailable("cannot write " + tmp.string());
        out << text;
        out.flush();
        if (!out) {
            fs::remove(tmp, ec);
            return Unavailable("cannot write " + tmp.string());
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return Unavailable("cannot move the report to " + path + ": " + ec.message());
    }
    return Status::Ok();
}

}  // namespace

// The day governance takes as today (governance::PolicyToday: $TESSERA_TODAY, else today UTC),
// for the commands that judge dates (waiver, policy).
std::string PolicyToday() { return governance::PolicyToday(); }

std::string SummaryLine(const governance::CheckReport& report) {
    std::string s = std::to_string(report.outcomes.size()) + " policies over " + std::to_string(report.products_checked) +
                    " products: " + std::to_string(report.Count(governance::Level::kError)) + " errors (" +
                    std::to_string(report.Blocking()) + " blocking), " +
                    std::to_string(report.Count(governance::Level::kWarning)) + " warnings, " +
                    std::to_string(report.Count(governance::Level::kNote)) + " notes, " +
                    std::to_string(report.Waived()) + " waived";
    if (report.Errors()) s += ", " + std::to_string(report.Errors()) + " policies failed to run";
    return s;
}

// One line per violation and policy error, most severe first, then a summary line.
void PrintReportText(const governance::CheckReport& report, std::ostream& out) {
    for (const auto& o : report.outcomes) {
        if (o.result == governance::PolicyOutcome::Result::kError) out << o.error.message() << "\n";
    }
    for (auto level : {governance::Level::kError, governance::Level::kWarning, governance::Level::kNote}) {
        for (const auto& o : report.outcomes) {
            for (const auto& v : o.violations) {
                if (v.level != level) continue;
                std::string where = governance::AddressOf(v);
                out << (v.waiver_id ? "waived" : std::string(governance::LevelName(level))) << ": "
                    << (where.empty() ? "" : where + ": ") << v.message << " [" << o.source.policy.name << "]";
                if (v.waiver_id) out << " (waiver " << v.waiver_id << ": " << v.waiver_reason << ")";
                out << "\n";
                if (!v.waiver_id && !o.source.policy.remediation.empty() && &v == &o.violations.front()) {
                    out << "  fix: " << o.source.policy.remediation << "\n";
                }
            }
        }
    }
    out << SummaryLine(report) << "\n";
}

// Prints a batch's policy findings to stderr (or into `json`) and returns the exit code: 0, 5
// when an enforced error blocks, or the code of a policy that failed to run. Shared by local and
// remote plan and apply, which print the same.
int ReportBatchPolicies(Context& ctx, const governance::CheckReport& report, nlohmann::ordered_json* json) {
    if (json) (*json)["policies"] = governance::ToJson(report);
    bool clean = report.Errors() == 0 && std::all_of(report.outcomes.begin(), report.outcomes.end(),
                                                     [](const auto& o) { return o.violations.empty(); });
    if (!ctx.Structured() && !clean) {
        bool quiet_ok = ctx.quiet && report.Count(governance::Level::kError) == 0 && report.Errors() == 0;
        if (!quiet_ok) PrintReportText(report, std::cerr);
    }
    for (const auto& o : report.outcomes) {
        if (o.result == governance::PolicyOutcome::Result::kError) {
            ctx.exit_code = ExitCodeFor(o.error.code());
            return ctx.exit_code;
        }
    }
    if (report.Blocking() > 0) {
        std::cerr << "tessera: error: " << governance::PolicyBlockingError(report).message() << "\n";
        ctx.exit_code = kExitPrecondition;
        return ctx.exit_code;
    }
    return kExitOk;
}

// The policy step of validate, plan and apply (governance::CheckBatchPolicies): every active
// policy (those of the catalog, replaced by the batch's) on the batch's products over the catalog
// with the batch laid over it, reported by ReportBatchPolicies.
int GovernBatch(Context& ctx, catalog::Catalog& cat, const spec::Batch& batch, nlohmann::ordered_json* json) {
    auto report = governance::CheckBatchPolicies(cat, batch, PolicyToday());
    if (!report.ok()) return ctx.Fail(report.status());
    if (!report->has_value()) return kExitOk;
    return ReportBatchPolicies(ctx, **report, json);
}

namespace {

struct CheckCommandOptions {
    std::string format = "text";
    std::string output;
    std::vector<std::string> policies;
    std::string domain;
    bool record = true;
};

int RunCheck(Context& ctx, const CheckCommandOptions& o) {
    if (o.format != "text" && o.format != "json" && o.format != "sarif" && o.format != "junit") {
        return ctx.Fail(InvalidArgument("--format: expected text, json, sarif or junit, found \"" + o.format + "\""));
    }
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto mesh = governance::LoadMesh(*cat);
    if (!mesh.ok()) return ctx.Fail(mesh.status());
    governance::CheckOptions options;
    options.today = PolicyToday();
    for (const auto& name : o.policies) {
        bool known = false;
        for (const auto& p : mesh->policies) known = known || p.policy.name == name;
        if (!known) return ctx.Fail(NotFound("policy \"" + name + "\" is not in the catalog"));
        options.only.insert(name);
    }
    if (!o.domain.empty()) {
        for (const auto& p : mesh->products) {
            if (p.domain == o.domain) options.products.insert(p.FullName());
        }
        if (options.products.empty()) return ctx.Fail(NotFound("domain \"" + o.domain + "\" has no data products"));
    }
    auto waivers = cat->Waivers();
    if (!waivers.ok()) return ctx.Fail(waivers.status());
    options.waivers = *waivers;
    auto report = governance::CheckPolicies(*mesh, options);
    if (!report.ok()) return ctx.Fail(report.status());

    // The scorecard of a whole-mesh check is recorded: `tessera scorecard --history` shows the trend.
    if (o.record && o.policies.empty() && o.domain.empty()) {
        auto card = governance::ComputeScorecard(*mesh, *report, NowMs());
        auto id = cat->RecordScores(governance::ToRecords(card));
        if (!id.ok()) return ctx.Fail(id.status());
        TESSERA_LOG(kInfo) << "scorecard recorded as check " << *id;
    }

    std::string text;
    if (o.format == "json" || (o.format == "text" && ctx.Structured())) {
        if (o.output.empty() && ctx.Structured()) ctx.PrintStructured(governance::ToJson(*report));
        else text = governance::ToJson(*report).dump(2) + "\n";
    } else if (o.format == "sarif") {
        text = governance::ToSarif(*report, TESSERA_VERSION);
    } else if (o.format == "junit") {
        text = governance::ToJunit(*report);
    } else {
        std::ostringstream out;
        PrintReportText(*report, out);
        text = out.str();
    }
    if (!o.output.empty()) {
        Status st = WriteFileAtomically(o.output, text);
        if (!st.ok()) return ctx.Fail(st);
        if (o.format != "text") ctx.Say(SummaryLine(*report) + "; report written to " + o.output);
    } else if (!text.empty() && !(ctx.quiet && o.format == "text")) {
        std::cout << text;
    }
    for (const auto& oc : report->outcomes) {
        if (oc.result == governance::PolicyOutcome::Result::kError) return ExitCodeFor(oc.error.code());
    }
    return report->Blocking() > 0 ? kExitPrecondition : kExitOk;
}

}  // namespace

void RegisterCheck(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CheckCommandOptions>();
    auto* sub = app.add_subcommand("check", "Evaluate the policies over the whole mesh; record the scorecard");
    sub->add_option("--format", o->format, "text | json | sarif | junit");
    sub->add_option("-o,--output", o->output, "Write the report to this file (whole or not at all)");
    sub->add_option("--policy", o->policies, "Only this policy (repeatable); the scorecard is not recorded");
    sub->add_option("--domain", o->domain, "Only the products of this domain; the scorecard is not recorded");
    sub->add_flag("!--no-record", o->record, "Do not record the scorecard");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunCheck(ctx, *o); }; });
}

}  // namespace tessera::cli
