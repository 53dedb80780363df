#include "governance/policy_check.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <tuple>
#include <unordered_map>

#include "common/logging.h"
#include "engine/sql_sandbox.h"
#include "governance/internal/metadata_tables.h"

namespace tessera::governance {

std::string_view LevelName(Level level) {
    switch (level) {
        case Level::kError: return "error";
        case Level::kWarning: return "warning";
        case Level::kNote: return "note";
    }
    return "";
}

std::string DateOf(int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

bool WaiverActive(const store::WaiverRecord& waiver, const std::string& today) {
    return waiver.revoked_at_ms == 0 && today <= waiver.expires;  // YYYY-MM-DD compares as text
}

size_t CheckReport::Count(Level level) const {
    size_t n = 0;
    for (const auto& o : outcomes) {
        for (const auto& v : o.violations) n += v.waiver_id == 0 && v.level == level;
    }
    return n;
}

size_t CheckReport::Blocking() const {
    size_t n = 0;
    for (const auto& o : outcomes) {
        for (const auto& v : o.violations) n += v.blocking;
    }
    return n;
}

size_t CheckReport::Errors() const {
    return static_cast<size_t>(std::count_if(outcomes.begin(), outcomes.end(), [](const PolicyOutcome& o) {
        return o.result == PolicyOutcome::Result::kError;
    }));
}

size_t CheckReport::Waived() const {
    size_t n = 0;
    for (const auto& o : outcomes) {
        for (const auto& v : o.violations) n += v.waiver_id != 0;
    }
    return n;
}

std::string FillTemplate(const std::string& message, const std::vector<std::string>& columns,
                         const std::vector<std::optional<std::string>>& row) {
    std::string out;
    size_t i = 0;
    while (i < message.size()) {
        size_t open = message.find('{', i);
        if (open == std::string::npos) break;
        size_t close = message.find('}', open + 1);
        if (close == std::string::npos) break;
        out.append(message, i, open - i);
        std::string key = message.substr(open + 1, close - open - 1);
        auto it = std::find(columns.begin(), columns.end(), key);
        if (it == columns.end()) {
            out.append(message, open, close + 1 - open);
        } else {
            const auto& cell = row[static_cast<size_t>(it - columns.begin())];
            out += cell ? *cell : "NULL";
        }
        i = close + 1;
    }
    out.append(message, i, std::string::npos);
    return out;
}

Result<MeshState> LoadMesh(catalog::Catalog& cat, const spec::Batch* overlay) {
    MeshState mesh;
    TESSERA_ASSIGN_OR_RETURN(mesh.domains, cat.Domains());
    TESSERA_ASSIGN_OR_RETURN(mesh.teams, cat.Teams());
    TESSERA_ASSIGN_OR_RETURN(mesh.products, cat.Products());
    TESSERA_ASSIGN_OR_RETURN(auto policies, cat.Policies());
    for (auto& p : policies) mesh.policies.push_back({std::move(p.policy), std::move(p.origin), {}});
    if (overlay) {
        // By key through a map: a linear search per document made applying 100,000 products
        // quadratic (hours in bench/search_bench.sh).
        auto lay = [](auto& list, const auto& docs, auto entity_of, auto key_of) {
            std::unordered_map<std::string, size_t> at;
            at.reserve(list.size());
            for (size_t i = 0; i < list.size(); ++i) at.emplace(key_of(list[i]), i);
            for (const auto& doc : docs) {
                const auto& e = entity_of(doc);
                auto [it, added] = at.emplace(key_of(e), list.size());
                if (added) list.push_back(e);
                else list[it->second] = e;
            }
        };
        lay(mesh.domains, overlay->domains, [](const spec::DomainDoc& d) -> const model::Domain& { return d.domain; },
            [](const model::Domain& d) { return d.name; });
        lay(mesh.teams, overlay->teams, [](const spec::TeamDoc& d) -> const model::Team& { return d.team; },
            [](const model::Team& t) { return t.name; });
        lay(mesh.products, overlay->products,
            [](const spec::ProductDoc& d) -> const model::DataProduct& { return d.product; },
            [](const model::DataProduct& p) { return p.FullName(); });
        for (const auto& doc : overlay->policies) {
            PolicySource source{doc.policy, doc.origin, doc.query_at};
            auto it = std::find_if(mesh.policies.begin(), mesh.policies.end(),
                                   [&](const PolicySource& s) { return s.policy.name == doc.policy.name; });
            if (it != mesh.policies.end()) *it = std::move(source);
            else mesh.policies.push_back(std::move(source));
        }
        std::sort(mesh.policies.begin(), mesh.policies.end(),
                  [](const PolicySource& a, const PolicySource& b) { return a.policy.name < b.policy.name; });
    }
    TESSERA_ASSIGN_OR_RETURN(mesh.runs, cat.Runs("", 100000));
    for (const auto& p : mesh.products) {
        TESSERA_ASSIGN_OR_RETURN(auto snaps, cat.Snapshots(p.FullName()));
        mesh.snapshots.insert(mesh.snapshots.end(), snaps.begin(), snaps.end());
    }
    TESSERA_ASSIGN_OR_RETURN(mesh.issues, cat.Issues(store::IssueQuery{}));
    return mesh;
}

namespace {

Status Located(const PolicySource& source, const Status& cause) {
    spec::Position at = source.at;
    if (at.file.empty()) at.file = source.origin.empty() ? "<catalog>" : source.origin;
    return Status(cause.code(), at.ToString() + ": error: spec.query: policy " + source.policy.name + ": " +
                                        cause.message());
}

int Column(const engine::Table& t, const char* name) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i] == name) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace

Result<CheckReport> CheckPolicies(const MeshState& mesh, const CheckOptions& options) {
    CheckReport report;
    report.today = options.today;
    report.products_checked = options.products.empty() ? mesh.products.size() : options.products.size();
    std::map<std::string, std::string> domain_of;
    for (const auto& p : mesh.products) domain_of[p.FullName()] = p.domain;

    std::vector<const PolicySource*> selected;
    for (const auto& s : mesh.policies) {
        if (!options.only.empty() && !options.only.count(s.policy.name)) continue;
        if (s.policy.state == model::PolicyState::kProposed && !options.include_proposed) continue;
        selected.push_back(&s);
    }
    if (selected.empty()) return report;

    auto started = std::chrono::steady_clock::now();
    TESSERA_ASSIGN_OR_RETURN(auto sandbox, engine::SqlSandbox::Open(internal::MetadataTables(mesh), options.threads));
    TESSERA_LOG(kDebug) << "metadata tables loaded in "
                        << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                        << " ms";

    for (const PolicySource* source : selected) {
        const model::Policy& policy = source->policy;
        PolicyOutcome outcome;
        outcome.source = *source;
        outcome.enforced = policy.state == model::PolicyState::kEnforce &&
                           (policy.enforce_from.empty() || policy.enforce_from <= options.today);
        auto t0 = std::chrono::steady_clock::now();
        engine::SandboxQueryOptions q;
        q.timeout_ms = policy.timeout_ms > 0 ? policy.timeout_ms : options.default_timeout_ms;
        auto table = sandbox->Query(policy.sql, q);
        outcome.duration_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        if (!table.ok()) {
            outcome.result = PolicyOutcome::Result::kError;
            outcome.error = Located(*source, table.status());
            report.outcomes.push_back(std::move(outcome));
            continue;
        }
        int product_col = Column(*table, "product"), port_col = Column(*table, "port");
        int column_col = Column(*table, "column_name");
        Level level = policy.severity == model::PolicySeverity::kInfo ? Level::kNote
                      : !outcome.enforced                            ? Level::kWarning
                      : policy.severity == model::PolicySeverity::kError ? Level::kError
                                                                          : Level::kWarning;
        for (const auto& row : table->rows) {
            Violation v;
            v.policy = policy.name;
            auto cell = [&](int col) { return col >= 0 && row[static_cast<size_t>(col)] ? *row[static_cast<size_t>(col)] : std::string(); };
            v.product = cell(product_col);
            v.port = cell(port_col);
            v.column = cell(column_col);
            if (!options.products.empty() && !options.products.count(v.product)) continue;
            if (!policy.domain.empty() && !v.product.empty()) {
                auto it = domain_of.find(v.product);
                if (it == domain_of.end() || it->second != policy.domain) continue;
            }
            v.message = FillTemplate(policy.message, table->columns, row);
            v.level = level;
            for (const auto& w : options.waivers) {
                if (w.policy == policy.name && w.product == v.product && !v.product.empty() &&
                    WaiverActive(w, options.today)) {
                    v.waiver_id = w.id;
                    v.waiver_reason = w.reason;
                    break;
                }
            }
            v.blocking = v.level == Level::kError && v.waiver_id == 0;
            outcome.violations.push_back(std::move(v));
        }
        // Rows come in no set order (DuckDB runs in parallel): reports are sorted.
        std::sort(outcome.violations.begin(), outcome.violations.end(), [](const Violation& a, const Violation& b) {
            return std::tie(a.product, a.port, a.column, a.message) < std::tie(b.product, b.port, b.column, b.message);
        });
        bool failed = std::any_of(outcome.violations.begin(), outcome.violations.end(),
                                  [](const Violation& v) { return v.waiver_id == 0; });
        outcome.result = failed ? PolicyOutcome::Result::kFailed : PolicyOutcome::Result::kPassed;
        report.outcomes.push_back(std::move(outcome));
    }
    return report;
}

}  // namespace tessera::governance
