// tessera apply PATH…: check and write a batch of descriptors as one catalog revision.

#include <functional>
#include <iostream>
#include <optional>

#include "cli/context.h"
#include "access/batch_authorization.h"
#include "cli/identity.h"
#include "governance/review.h"

namespace tessera::cli {

void PrintPlanText(const catalog::Plan& plan);  // plan.cc
void PrintCompat(const governance::CompatReport& report);  // plan.cc
int ReportPlan(Context& ctx, const catalog::Plan& plan, const governance::BatchReview& review,
               const std::function<void(const catalog::Plan&)>& print_plan);  // plan.cc
int ReportBatchPolicies(Context& ctx, const governance::CheckReport& report, nlohmann::ordered_json* json);  // check.cc

namespace {

struct ApplyOptions {
    std::vector<std::string> paths;
    std::string message;
    std::string author;
    int64_t expect_revision = -1;
    bool dry_run = false;
};

// What refuses a batch, printed as apply prints it (locally and remotely): the policy results
// first (stderr; warnings too), then, for a real apply, the breaking changes. Returns kExitOk when
// nothing refuses it.
int ReportReviewBlocks(Context& ctx, const governance::BatchReview& review, bool dry_run) {
    // Enforced policies: an error blocks apply (exit 5) with every violation listed; nothing changes.
    if (review.policies) {
        nlohmann::ordered_json policy_json;
        int code = ReportBatchPolicies(ctx, *review.policies, ctx.Structured() ? &policy_json : nullptr);
        if (code != kExitOk) {
            if (ctx.Structured()) {
                policy_json["changed"] = false;
                ctx.PrintStructured(policy_json);
            }
            return code;
        }
    }
    // Breaking changes need a major version; a deprecated port or column stays until its sunset.
    if (dry_run || !review.compat.Blocks()) return kExitOk;
    if (ctx.Structured()) {
        nlohmann::ordered_json j;
        j["changed"] = false;
        j["compatibility"] = governance::CompatToJson(review.compat);
        ctx.PrintStructured(j);
    } else if (!ctx.quiet) {
        PrintCompat(review.compat);
    }
    return ctx.Fail(governance::CompatError(review.compat));
}

// The plan of `apply --dry-run` with its breaking changes; fails as apply would.
int ReportDryRun(Context& ctx, const catalog::Plan& plan, const governance::BatchReview& review) {
    if (ctx.Structured()) {
        auto j = PlanToJson(plan);
        j["compatibility"] = governance::CompatToJson(review.compat);
        ctx.PrintStructured(j);
    } else if (!ctx.quiet) {
        PrintPlanText(plan);
        PrintCompat(review.compat);
    }
    return review.compat.Blocks() ? ctx.Fail(governance::CompatError(review.compat)) : kExitOk;
}

// What an applied batch prints: the breaking changes it made (with their major version), then
// the new revision.
void ReportApplied(Context& ctx, const catalog::Plan& plan, const governance::CompatReport& compat,
                   std::optional<int64_t> revision) {
    if (!ctx.Structured() && !ctx.quiet && revision) PrintCompat(compat);
    if (ctx.Structured()) {
        auto j = PlanToJson(plan);
        j["compatibility"] = governance::CompatToJson(compat);
        j["revision"] = revision ? *revision : plan.base_revision;
        j["changed"] = revision.has_value();
        ctx.PrintStructured(j);
    } else if (revision) {
        ctx.Say("applied revision " + std::to_string(*revision) + ": " +
                std::to_string(plan.Count(catalog::Action::kCreate)) + " created, " +
                std::to_string(plan.Count(catalog::Action::kUpdate)) + " updated, " +
                std::to_string(plan.Count(catalog::Action::kUnchanged)) + " unchanged");
    } else {
        ctx.Say("no changes: the catalog stays at revision " + std::to_string(plan.base_revision));
    }
}

// The governance review the server answers with a plan, or in the problem refusing an apply.
Result<governance::BatchReview> ReviewFromJson(const nlohmann::ordered_json& j) {
    if (!j.is_object() || !j.contains("compatibility")) {
        return Internal("the server answered without the governance review of the batch; is it an older Tessera?");
    }
    governance::BatchReview review;
    TESSERA_ASSIGN_OR_RETURN(review.compat, governance::CompatFromJson(j["compatibility"]));
    if (j.contains("policies") && j["policies"].is_object()) {
        TESSERA_ASSIGN_OR_RETURN(auto policies, governance::CheckReportFromJson(j["policies"]));
        review.policies = std::move(policies);
    }
    return review;
}

}  // namespace

// Apply (or plan) through the server: the descriptors are read and checked here first, exactly as
// locally, then sent with their SQL files; the server checks and reviews them against its catalog
// (governance::ReviewBatch, as locally) and answers the plan with the review, or refuses the apply
// with the review in its problem. Printed as local mode prints.
int ApplyRemote(Context& ctx, const std::vector<std::string>& paths, const std::string& message,
                int64_t expect_revision, RemoteApply mode, const std::function<void(const catalog::Plan&)>& print_plan) {
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
    bool dry_run = mode != RemoteApply::kApply;
    std::string path = "/api/v1/apply?dry_run=" + std::string(dry_run ? "true" : "false");
    if (!message.empty()) path += "&message=" + UrlEncode(message);
    auto remote = ctx.OpenRemote();
    auto answer = remote->Send("POST", path, *bundle, "application/vnd.tessera.files+json", headers);
    if (!answer.ok()) {
        // A refused apply carries the review: print it as apply does locally.
        const auto& problem = remote->last_problem();
        if (problem.is_object() && problem.contains("compatibility")) {
            auto review = ReviewFromJson(problem);
            if (!review.ok()) return ctx.Fail(review.status());
            if (int code = ReportReviewBlocks(ctx, *review, false); code != kExitOk) return code;
        }
        return ctx.Fail(answer.status());
    }
    auto plan = PlanFromJson(*answer);
    if (!plan.ok()) return ctx.Fail(plan.status());
    auto review = ReviewFromJson(*answer);
    if (!review.ok()) return ctx.Fail(review.status());
    if (mode == RemoteApply::kPlan) return ReportPlan(ctx, *plan, *review, print_plan);
    if (int code = ReportReviewBlocks(ctx, *review, dry_run); code != kExitOk) return code;
    if (dry_run) return ReportDryRun(ctx, *plan, *review);
    std::optional<int64_t> revision;
    if (answer->value("changed", false)) revision = answer->value("revision", int64_t{0});
    ReportApplied(ctx, *plan, review->compat, revision);
    return kExitOk;
}

namespace {

int RunApply(Context& ctx, const ApplyOptions& o) {
    if (ctx.Remote()) {
        if (!o.author.empty()) {
            return ctx.Fail(InvalidArgument("--author: a server records the user of the token; drop --author"));
        }
        return ApplyRemote(ctx, o.paths, o.message, o.expect_revision,
                           o.dry_run ? RemoteApply::kDryRun : RemoteApply::kApply, PrintPlanText);
    }
    auto cat = o.dry_run ? ctx.OpenCatalogOrEmpty() : ctx.OpenCatalog();
    if (!cat) return ctx.exit_code;
    spec::Batch batch;
    if (!LoadAndCheck(ctx, o.paths, cat.get(), &batch)) return ctx.exit_code;
    auto review = governance::ReviewBatch(*cat, batch, {governance::PolicyToday(), GrantHoldersOf(ctx)});
    if (!review.ok()) return ctx.Fail(review.status());
    if (int code = ReportReviewBlocks(ctx, *review, o.dry_run); code != kExitOk) return code;
    if (o.dry_run) {
        auto plan = cat->MakePlan(batch);
        if (!plan.ok()) return ctx.Fail(plan.status());
        return ReportDryRun(ctx, *plan, *review);
    }
    catalog::ApplyOptions options;
    options.author = o.author.empty() ? Context::Author() : o.author;
    options.message = o.message;
    // The compatibility was judged at this revision: write only if nobody applied since.
    options.expected_revision = o.expect_revision >= 0 ? o.expect_revision : review->compat.base_revision;
    // The author must be allowed to write every entity the batch changes, by the same rules as
    // the server's apply (access/batch_authorization.h; unchanged entities need no right).
    auto checked = cat->MakePlan(batch);
    if (!checked.ok()) return ctx.Fail(checked.status());
    auto writer = AuthorizeWrites(ctx, options.author, {});
    if (!writer) return ctx.exit_code;
    if (Status s = access::AuthorizeBatch(*writer->ac, writer->me, *cat, batch, *checked); !s.ok()) return ctx.Fail(s);
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
    ReportApplied(ctx, result->plan, review->compat,
                  result->revision ? std::optional<int64_t>(result->revision->number) : std::nullopt);
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
