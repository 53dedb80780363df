// tessera apply PATH…: check and write a batch of descriptors as one catalog revision.

#include <iostream>

#include "cli/context.h"
#include "cli/identity.h"
#include "governance/compat.h"

namespace tessera::cli {

void PrintPlanText(const catalog::Plan& plan);  // plan.cc
// Breaking changes against the catalog (plan.cc).
Result<governance::CompatReport> CompatibilityOf(catalog::Catalog& cat, const spec::Batch& batch);
void PrintCompat(const governance::CompatReport& report);
nlohmann::ordered_json CompatToJson(const governance::CompatReport& report);
Status CompatError(const governance::CompatReport& report);
int GovernBatch(Context& ctx, catalog::Catalog& cat, const spec::Batch& batch, nlohmann::ordered_json* json);  // check.cc

namespace {

struct ApplyOptions {
    std::vector<std::string> paths;
    std::string message;
    std::string author;
    int64_t expect_revision = -1;
    bool dry_run = false;
};

}  // namespace

// Apply (or plan, with `dry_run`) through the server: the descriptors are read and checked here
// first, exactly as locally, then sent with their SQL files; the server checks them against its
// catalog and answers the plan.
int ApplyRemote(Context& ctx, const std::vector<std::string>& paths, const std::string& message,
                int64_t expect_revision, bool dry_run, const std::function<void(const catalog::Plan&)>& print_plan,
                bool print_applied) {
    spec::LoadReport report = spec::LoadPaths(paths);
    size_t errors = 0;
    std::set<std::string> files;
    for (const auto& d : report.diagnostics) {
        std::cerr << d.ToString() << "\n";
        if (!d.warning) {
            ++errors;
            files.insert(d.at.file);
        }
    }
    if (errors > 0) {
        std::cerr << "tessera: " << errors << (errors == 1 ? " error" : " errors") << " in " << files.size()
                  << (files.size() == 1 ? " file" : " files") << "; nothing was changed\n";
        return ctx.exit_code = kExitInvalid;
    }
    auto bundle = RemoteCatalog::Bundle(report.batch);
    if (!bundle.ok()) return ctx.Fail(bundle.status());
    std::vector<std::pair<std::string, std::string>> headers;
    if (expect_revision >= 0) headers.emplace_back("If-Match", "\"" + std::to_string(expect_revision) + "\"");
    std::string path = "/api/v1/apply?dry_run=" + std::string(dry_run ? "true" : "false");
    if (!message.empty()) path += "&message=" + UrlEncode(message);
    auto remote = ctx.OpenRemote();
    auto answer = remote->Send("POST", path, *bundle, "application/vnd.tessera.files+json", headers);
    if (!answer.ok()) return ctx.Fail(answer.status());
    auto plan = PlanFromJson(*answer);
    if (!plan.ok()) return ctx.Fail(plan.status());
    if (dry_run || !print_applied) {
        if (ctx.Structured()) ctx.PrintStructured(PlanToJson(*plan));
        else if (!ctx.quiet) print_plan(*plan);
        return kExitOk;
    }
    bool changed = answer->value("changed", false);
    int64_t revision = answer->value("revision", int64_t{0});
    if (ctx.Structured()) {
        auto j = PlanToJson(*plan);
        j["revision"] = revision;
        j["changed"] = changed;
        ctx.PrintStructured(j);
    } else if (changed) {
        ctx.Say("applied revision " + std::to_string(revision) + ": " + std::to_string(plan->Count(catalog::Action::kCreate)) +
                " created, " + std::to_string(plan->Count(catalog::Action::kUpdate)) + " updated, " +
                std::to_string(plan->Count(catalog::Action::kUnchanged)) + " unchanged");
    } else {
        ctx.Say("no changes: the catalog stays at revision " + std::to_string(plan->base_revision));
    }
    return kExitOk;
}

namespace {

int RunApply(Context& ctx, const ApplyOptions& o) {
    if (ctx.Remote()) {
        if (!o.author.empty()) {
            return ctx.Fail(InvalidArgument("--author: a server records the user of the token; drop --author"));
        }
        return ApplyRemote(ctx, o.paths, o.message, o.expect_revision, o.dry_run, PrintPlanText, true);
    }
    auto cat = o.dry_run ? ctx.OpenCatalogOrEmpty() : ctx.OpenCatalog();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    // Breaking changes need a major version; a deprecated port or column stays until its sunset.
    auto compat = CompatibilityOf(*cat, batch);
    if (!compat.ok()) return ctx.Fail(compat.status());
    // Enforced policies: an error blocks apply (exit 5) with every violation listed; nothing changes.
    nlohmann::ordered_json policy_json;
    if (int code = GovernBatch(ctx, *cat, batch, ctx.Structured() ? &policy_json : nullptr); code != kExitOk) {
        if (ctx.Structured()) {
            policy_json["changed"] = false;
            ctx.PrintStructured(policy_json);
        }
        return code;
    }
    if (o.dry_run) {
        auto plan = cat->MakePlan(batch);
        if (!plan.ok()) return ctx.Fail(plan.status());
        if (ctx.Structured()) {
            auto j = PlanToJson(*plan);
            j["compatibility"] = CompatToJson(*compat);
            ctx.PrintStructured(j);
        } else if (!ctx.quiet) {
            PrintPlanText(*plan);
            PrintCompat(*compat);
        }
        return compat->Blocks() ? ctx.Fail(CompatError(*compat)) : kExitOk;
    }
    if (compat->Blocks()) {
        if (ctx.Structured()) {
            nlohmann::ordered_json j;
            j["changed"] = false;
            j["compatibility"] = CompatToJson(*compat);
            ctx.PrintStructured(j);
        } else if (!ctx.quiet) {
            PrintCompat(*compat);
        }
        return ctx.Fail(CompatError(*compat));
    }
    catalog::ApplyOptions options;
    options.author = o.author.empty() ? Context::Author() : o.author;
    options.message = o.message;
    // The compatibility was judged at this revision: write only if nobody applied since.
    options.expected_revision = o.expect_revision >= 0 ? o.expect_revision : compat->base_revision;
    // The author must be allowed to write every domain the batch changes (unchanged entities need
    // no right).
    auto checked = cat->MakePlan(batch);
    if (!checked.ok()) return ctx.Fail(checked.status());
    std::set<std::string> domains;
    for (const auto& c : checked->changes) {
        if (c.action == catalog::Action::kUnchanged) continue;
        if (c.kind == model::EntityKind::kDomain) domains.insert(c.name);
        if (c.kind == model::EntityKind::kDataProduct) domains.insert(c.name.substr(0, c.name.find('.')));
        if (c.kind == model::EntityKind::kTeam) {
            for (const auto& t : batch.teams) {
                if (t.team.name == c.name) domains.insert(t.team.domain);
            }
        }
    }
    auto writer = AuthorizeWrites(ctx, options.author, domains);
    if (!writer) return ctx.exit_code;
    auto result = cat->Apply(batch, options);
    if (!result.ok() && result.status().code() == StatusCode::kAborted && o.expect_revision < 0) {
        return ctx.Fail(Aborted("another apply changed the catalog while this one was checked; run apply again"));
    }
    if (!result.ok()) return ctx.Fail(result.status());
    if (result->revision) {
        AuditWrite(*writer, "apply", "revision " + std::to_string(result->revision->number),
                   std::to_string(result->plan.Count(catalog::Action::kCreate)) + " created, " +
                           std::to_string(result->plan.Count(catalog::Action::kUpdate)) + " updated" +
                           (o.message.empty() ? "" : ": " + o.message));
    }
    const auto& plan = result->plan;
    if (!ctx.Structured() && !ctx.quiet && result->revision) PrintCompat(*compat);
    if (ctx.Structured()) {
        auto j = PlanToJson(plan);
        j["compatibility"] = CompatToJson(*compat);
        j["revision"] = result->revision ? result->revision->number : plan.base_revision;
        j["changed"] = result->revision.has_value();
        ctx.PrintStructured(j);
    } else if (result->revision) {
        ctx.Say("applied revision " + std::to_string(result->revision->number) + ": " +
                std::to_string(plan.Count(catalog::Action::kCreate)) + " created, " +
                std::to_string(plan.Count(catalog::Action::kUpdate)) + " updated, " +
                std::to_string(plan.Count(catalog::Action::kUnchanged)) + " unchanged");
    } else {
        ctx.Say("no changes: the catalog stays at revision " + std::to_string(plan.base_revision));
    }
    return kExitOk;
}

}  // namespace

void RegisterApply(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ApplyOptions>();
    auto* sub = app.add_subcommand("apply", "Write descriptors to the catalog as one revision, all or nothing");
    sub->add_option("paths", o->paths, "Descriptor files or folders (searched recursively)")->required();
    sub->add_option("-m,--message", o->message, "Why: recorded with the revision");
    sub->add_option("--author", o->author, "Who: recorded with the revision (default $TESSERA_USER or $USER)");
    sub->add_option("--expect-revision", o->expect_revision,
                    "Fail with a conflict (exit 4) unless the catalog is still at this revision");
    sub->add_flag("--dry-run", o->dry_run, "Check and show the plan; write nothing");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunApply(ctx, *o); }; });
}

}  // namespace tessera::cli
