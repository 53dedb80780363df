// tessera status: every product's freshness against its SLA.

#include <ctime>
#include <iostream>
#include <map>

#include "cli/context.h"
#include "engine/freshness.h"

namespace tessera::cli {
namespace {

Result<std::vector<engine::ProductState>> States(Context& ctx) {
    if (!ctx.Remote()) {
        auto cat = ctx.OpenCatalog(false);
        if (!cat) return Status(StatusCode::kNotFound, "");  // printed already
        return engine::ProductStates(*cat, std::time(nullptr));
    }
    TESSERA_ASSIGN_OR_RETURN(auto j, ctx.OpenRemote()->Get("/api/v1/status"));
    std::vector<engine::ProductState> out;
    for (const auto& s : j["items"]) {
        out.push_back({s.value("product", ""), s.value("state", ""), s.value("last_success_ms", int64_t{0}),
                       s.value("age_ms", int64_t{0}), s.value("sla_ms", int64_t{0}), s.value("last_run_status", ""),
                       s.value("last_error", "")});
    }
    return out;
}

int RunStatus(Context& ctx, const std::string& domain) {
    auto states = States(ctx);
    if (!states.ok()) return states.status().message().empty() ? ctx.exit_code : ctx.Fail(states.status());
    // Unresolved quality issues per product; overdue ones are listed under the table. The server
    // has no issue routes yet, so a remote status shows none.
    const int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
    std::vector<store::IssueRecord> issues;
    if (!ctx.Remote()) {
        auto cat = ctx.OpenCatalog(false);
        if (!cat) return ctx.exit_code;
        auto found = cat->Issues({"", domain, "", false, 0});
        if (!found.ok()) return ctx.Fail(found.status());
        issues = std::move(*found);
    }
    std::map<std::string, std::pair<int64_t, int64_t>> issue_counts;  // product -> (unresolved, overdue)
    std::vector<const store::IssueRecord*> overdue;
    for (const auto& i : issues) {
        auto& [open, late] = issue_counts[i.product];
        ++open;
        if (i.due_at_ms < now_ms) {
            ++late;
            overdue.push_back(&i);
        }
    }
    std::vector<std::vector<std::string>> rows;
    auto arr = nlohmann::ordered_json::array();
    for (const auto& s : *states) {
        if (!domain.empty() && s.product.rfind(domain + ".", 0) != 0) continue;
        rows.push_back({s.product, s.state, s.last_success_ms ? FormatTime(s.last_success_ms) : "-",
                        s.last_success_ms || s.age_ms ? FormatDuration(s.age_ms) : "-",
                        s.sla_ms ? FormatDuration(s.sla_ms) : "-"});
        nlohmann::ordered_json j;
        j["product"] = s.product;
        j["state"] = s.state;
        j["last_success"] = s.last_success_ms ? nlohmann::ordered_json(FormatTime(s.last_success_ms)) : nlohmann::ordered_json();
        j["age_ms"] = s.age_ms;
        j["sla_ms"] = s.sla_ms;
        if (!s.last_error.empty()) j["last_error"] = s.last_error;
        j["open_issues"] = issue_counts[s.product].first;
        j["overdue_issues"] = issue_counts[s.product].second;
        arr.push_back(j);
    }
    if (ctx.Structured()) {
        ctx.PrintStructured(arr);
    } else if (!ctx.quiet) {
        PrintTable({"PRODUCT", "STATE", "LAST SUCCESS", "AGE", "SLA"}, rows);
        if (!overdue.empty()) {
            std::cout << "\nOverdue quality issues (past their domain's time to fix):\n";
            for (const auto* i : overdue) {
                std::cout << "  #" << i->id << " " << i->product << (i->port.empty() ? "" : "." + i->port)
                          << (i->column.empty() ? "" : "." + i->column) << ": " << i->title << " (due "
                          << FormatTime(i->due_at_ms) << ", " << i->state << ")\n";
            }
        }
    }
    return kExitOk;
}

}  // namespace

void RegisterStatus(CLI::App& app, Context& ctx) {
    auto domain = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("status", "Freshness of every product: last success, age vs SLA, state");
    sub->add_option("--domain", *domain, "Only the products of this domain");
    sub->callback([&ctx, domain] { ctx.run = [&ctx, domain] { return RunStatus(ctx, *domain); }; });
}

}  // namespace tessera::cli
