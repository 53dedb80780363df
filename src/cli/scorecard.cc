// tessera scorecard [NAME] [--domain D] [--history]: scores per product and domain from the
// recorded checks (docs/governance.md).

#include <cstdio>
#include <iostream>
#include <map>

#include "cli/context.h"
#include "governance/properties.h"
#include "governance/scorecard.h"

namespace tessera::cli {
namespace {

struct ScorecardOptions {
    std::string name;
    std::string domain;
    bool history = false;
    int64_t checks = 10;
};

std::string Num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::vector<std::string> Row(const governance::Score& s) {
    std::vector<std::string> row{s.name, Num(s.score)};
    for (auto p : governance::kAllProperties) {
        auto it = s.properties.find(std::string(governance::PropertyName(p)));
        row.push_back(it == s.properties.end() ? "-" : Num(it->second));
    }
    row.push_back(std::to_string(s.violations));
    row.push_back(std::to_string(s.overdue_issues));
    return row;
}

std::vector<std::string> Header(const std::string& first) {
    std::vector<std::string> h{first, "SCORE"};
    for (auto p : governance::kAllProperties) {
        std::string n(governance::PropertyName(p));
        for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        h.push_back(n);
    }
    h.push_back("VIOLATIONS");
    h.push_back("OVERDUE");
    return h;
}

nlohmann::ordered_json ScoreJson(const governance::Score& s, const store::ScoreRecord& r) {
    nlohmann::ordered_json j;
    j["check"] = r.check_id;
    j["recorded_at"] = FormatTime(r.recorded_at_ms);
    j["scope"] = s.scope;
    j["name"] = s.name;
    j["score"] = s.score;
    j["properties"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : s.properties) j["properties"][k] = v;
    j["violations"] = s.violations;
    j["overdue_issues"] = s.overdue_issues;
    if (s.scope == "domain") j["products"] = s.products;
    return j;
}

int RunScorecard(Context& ctx, const ScorecardOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    std::string scope = o.name.empty() ? "domain" : "product";
    std::string name = o.name.empty() ? o.domain : o.name;
    if (!o.name.empty()) {
        auto found = cat->Find("product/" + o.name);
        if (!found.ok()) return ctx.Fail(found.status());
    }
    if (!o.domain.empty() && o.name.empty()) scope = "product";  // the domain's products, then its summary
    auto records = cat->Scores(scope, o.name, o.history ? o.checks : 1);
    if (!records.ok()) return ctx.Fail(records.status());
    std::vector<store::ScoreRecord> rows;
    for (const auto& r : *records) {
        if (scope == "product" && !o.domain.empty() && r.name.rfind(o.domain + ".", 0) != 0) continue;
        rows.push_back(r);
    }
    std::vector<store::ScoreRecord> summary;
    if (!o.domain.empty() && o.name.empty()) {
        auto d = cat->Scores("domain", o.domain, o.history ? o.checks : 1);
        if (!d.ok()) return ctx.Fail(d.status());
        summary = *d;
    }
    if (rows.empty() && summary.empty()) {
        return ctx.Fail(NotFound("no scorecard recorded" + (name.empty() ? std::string() : " for " + name) +
                                 ": run `tessera check` first"));
    }
    if (ctx.Structured()) {
        nlohmann::ordered_json j = nlohmann::ordered_json::array();
        for (const auto& r : rows) j.push_back(ScoreJson(governance::FromRecord(r), r));
        for (const auto& r : summary) j.push_back(ScoreJson(governance::FromRecord(r), r));
        ctx.PrintStructured(j);
        return kExitOk;
    }
    auto print = [&](const std::vector<store::ScoreRecord>& list, const std::string& first) {
        std::vector<std::vector<std::string>> table;
        for (const auto& r : list) {
            auto row = Row(governance::FromRecord(r));
            if (o.history) row.insert(row.begin(), std::to_string(r.check_id));
            table.push_back(row);
        }
        auto header = Header(first);
        if (o.history) header.insert(header.begin(), "CHECK");
        PrintTable(header, table);
    };
    if (!rows.empty()) print(rows, scope == "product" ? "PRODUCT" : "DOMAIN");
    if (!summary.empty()) {
        std::cout << "\n";
        print(summary, "DOMAIN");
    }
    if (o.history && !rows.empty()) {
        // The trend of each name: first and last recorded score.
        std::map<std::string, std::pair<double, double>> trend;
        for (const auto& r : rows) {
            auto it = trend.find(r.name);
            if (it == trend.end()) trend[r.name] = {r.score, r.score};
            else it->second.second = r.score;
        }
        for (const auto& [n, t] : trend) {
            double d = t.second - t.first;
            std::cout << n << ": " << Num(t.first) << " -> " << Num(t.second) << " (" << (d >= 0 ? "+" : "") << Num(d)
                      << ")\n";
        }
    }
    return kExitOk;
}

}  // namespace

void RegisterScorecard(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ScorecardOptions>();
    auto* sub = app.add_subcommand("scorecard", "Scores per domain (or product) from the recorded checks");
    sub->add_option("name", o->name, "One product (domain.product, its URN or REST path)")->transform(ProductAddressArg(PortArg::kProduct));
    sub->add_option("--domain", o->domain, "The domain's products and its summary");
    sub->add_flag("--history", o->history, "Every recorded check, oldest first, and the trend");
    sub->add_option("--checks", o->checks, "With --history: how many of the newest checks");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunScorecard(ctx, *o); }; });
}

}  // namespace tessera::cli
