#include "governance/review.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include "common/text.h"
#include "engine/sql_parser.h"
#include "search/graph.h"

namespace tessera::governance {
namespace {

using Json = nlohmann::ordered_json;

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
}

// Which downstream products use a column: its downstream column lineage, read from their SQL.
ColumnUsersFn LineageColumnUsers(catalog::Catalog& cat) {
    return [&cat](const std::string& product, const std::string& column) -> Result<ColumnUsers> {
        TESSERA_ASSIGN_OR_RETURN(auto graph, search::BuildLineage(cat, {product + "." + column, search::Direction::kDownstream, 0},
                                                                  engine::ParseTree));
        auto product_of = [](const std::string& node) {
            auto first = node.find('.');
            auto second = first == std::string::npos ? std::string::npos : node.find('.', first + 1);
            return node.substr(0, second);
        };
        ColumnUsers users;
        for (const auto& e : graph.edges) users.users.insert(product_of(e.to));
        for (const auto& u : graph.unknown) users.unknown.insert(product_of(u.substr(0, u.find(": "))));
        return users;
    };
}

bool IsObject(const Json& j, const char* key) { return j.contains(key) && j[key].is_object(); }
bool IsArray(const Json& j, const char* key) { return j.contains(key) && j[key].is_array(); }

Result<CompatLevel> CompatLevelFromName(const std::string& name) {
    for (auto level : {CompatLevel::kRefused, CompatLevel::kBreaking, CompatLevel::kWarning, CompatLevel::kInfo}) {
        if (CompatLevelName(level) == name) return level;
    }
    return InvalidArgument("compatibility: unknown change level \"" + name + "\"");
}

Result<Level> LevelFromName(const std::string& name) {
    for (auto level : {Level::kError, Level::kWarning, Level::kNote}) {
        if (LevelName(level) == name) return level;
    }
    return InvalidArgument("policies: unknown violation level \"" + name + "\"");
}

}  // namespace

bool BatchReview::PolicyFailed() const {
    if (!policies) return false;
    return policies->Errors() > 0;
}

bool BatchReview::PoliciesBlock() const { return policies && (PolicyFailed() || policies->Blocking() > 0); }

std::vector<std::string> BatchReview::Errors() const {
    std::vector<std::string> out = compat.Errors();
    if (!policies) return out;
    for (const auto& o : policies->outcomes) {
        if (o.result == PolicyOutcome::Result::kError) out.push_back(o.error.message());
    }
    if (policies->Blocking() > 0) out.push_back(PolicyBlockingError(*policies).message());
    return out;
}

Status BatchReview::BlockingError() const {
    if (policies) {
        for (const auto& o : policies->outcomes) {
            if (o.result == PolicyOutcome::Result::kError) return o.error;
        }
    }
    if (!Blocks()) return Status::Ok();
    return FailedPrecondition(text::Join(Errors(), "; ") + "; nothing was changed");
}

Result<CompatReport> CheckBatchCompatibility(catalog::Catalog& catalog, const spec::Batch& batch,
                                             const std::string& today, GrantHoldersFn grant_holders) {
    CompatOptions options;
    options.today = today;  // deprecation sunsets are judged on the day governance takes as today
    options.column_users = LineageColumnUsers(catalog);
    options.grant_holders = std::move(grant_holders);
    return CheckCompatibility(catalog, batch, options);
}

Result<std::optional<CheckReport>> CheckBatchPolicies(catalog::Catalog& catalog, const spec::Batch& batch,
                                                      const std::string& today) {
    CheckOptions options;
    options.today = today;
    for (const auto& p : batch.products) options.products.insert(p.product.FullName());
    if (options.products.empty() && batch.policies.empty()) return std::optional<CheckReport>();
    TESSERA_ASSIGN_OR_RETURN(auto mesh, LoadMesh(catalog, &batch));
    // A changed policy is checked over the whole mesh; otherwise only the batch's products.
    if (!batch.policies.empty()) options.products.clear();
    TESSERA_ASSIGN_OR_RETURN(options.waivers, catalog.Waivers());
    TESSERA_ASSIGN_OR_RETURN(auto report, CheckPolicies(mesh, options));
    // Only the batch's own products block: a newly enforced policy reports what the rest of the
    // mesh must fix (preview it first: tessera policy propose/preview) without refusing itself.
    std::set<std::string> own;
    for (const auto& p : batch.products) own.insert(p.product.FullName());
    for (auto& o : report.outcomes) {
        for (auto& v : o.violations) v.blocking = v.blocking && own.count(v.product) > 0;
    }
    return std::optional<CheckReport>(std::move(report));
}

Result<BatchReview> ReviewBatch(catalog::Catalog& catalog, const spec::Batch& batch, const ReviewOptions& options) {
    BatchReview review;
    std::string today = options.today.empty() ? PolicyToday() : options.today;
    TESSERA_ASSIGN_OR_RETURN(review.compat, CheckBatchCompatibility(catalog, batch, today, options.grant_holders));
    TESSERA_ASSIGN_OR_RETURN(review.policies, CheckBatchPolicies(catalog, batch, today));
    return review;
}

Status CompatError(const CompatReport& report) {
    return FailedPrecondition(text::Join(report.Errors(), "; ") + "; nothing was changed");
}

Status PolicyBlockingError(const CheckReport& report) {
    return FailedPrecondition(std::to_string(report.Blocking()) +
                              " violation(s) of enforced policies: fix them, or ask for a waiver (tessera waiver add)");
}

Json CompatToJson(const CompatReport& report) {
    Json j;
    j["blocked"] = report.Blocks();
    j["errors"] = report.Errors();
    j["products"] = Json::array();
    for (const auto& p : report.products) {
        Json pj;
        pj["product"] = p.product;
        pj["version_before"] = p.version_before;
        pj["version_after"] = p.version_after;
        pj["major_bump"] = p.major_bump;
        pj["changes"] = Json::array();
        for (const auto& c : p.changes) {
            Json cj;
            cj["level"] = CompatLevelName(c.level);
            cj["rule"] = c.rule;
            cj["port"] = c.port;
            if (!c.column.empty()) cj["column"] = c.column;
            cj["path"] = c.path;
            cj["message"] = c.message;
            cj["consumers"] = Json::array();
            for (const auto& k : c.consumers) {
                Json kj;
                kj["product"] = k.product;
                kj["owner"] = k.owner;
                kj["depth"] = k.depth;
                if (!k.via.empty()) kj["via"] = k.via;
                if (!k.column_use.empty()) kj["column_use"] = k.column_use;
                kj["grant_holders"] = k.grant_holders;
                cj["consumers"].push_back(kj);
            }
            pj["changes"].push_back(cj);
        }
        j["products"].push_back(pj);
    }
    j["deprecated_inputs"] = Json::array();
    for (const auto& n : report.notices) {
        Json nj;
        nj["product"] = n.product;
        nj["input"] = n.input;
        nj["reads"] = n.upstream;
        if (!n.deprecation.since.empty()) nj["since"] = n.deprecation.since;
        nj["sunset"] = n.deprecation.sunset;
        nj["sunset_passed"] = n.sunset_passed;
        if (!n.deprecation.reason.empty()) nj["reason"] = n.deprecation.reason;
        if (!n.deprecation.replacement.empty()) nj["replacement"] = n.deprecation.replacement;
        if (!n.column_use.empty()) nj["column_use"] = n.column_use;
        j["deprecated_inputs"].push_back(nj);
    }
    return j;
}

Result<CompatReport> CompatFromJson(const Json& j) {
    if (!j.is_object() || !IsArray(j, "products") || !IsArray(j, "deprecated_inputs")) {
        return InvalidArgument("compatibility: expected {\"products\": […], \"deprecated_inputs\": […]}");
    }
    try {
        CompatReport report;
        for (const auto& pj : j["products"]) {
            ProductCompat p;
            p.product = pj.value("product", "");
            p.version_before = pj.value("version_before", "");
            p.version_after = pj.value("version_after", "");
            p.major_bump = pj.value("major_bump", false);
            for (const auto& cj : pj.value("changes", Json::array())) {
                CompatChange c;
                TESSERA_ASSIGN_OR_RETURN(c.level, CompatLevelFromName(cj.value("level", "")));
                c.rule = cj.value("rule", "");
                c.port = cj.value("port", "");
                c.column = cj.value("column", "");
                c.path = cj.value("path", "");
                c.message = cj.value("message", "");
                for (const auto& kj : cj.value("consumers", Json::array())) {
                    Consumer k;
                    k.product = kj.value("product", "");
                    k.owner = kj.value("owner", "");
                    k.depth = kj.value("depth", 1);
                    k.via = kj.value("via", "");
                    k.column_use = kj.value("column_use", "");
                    k.grant_holders = kj.value("grant_holders", std::vector<std::string>());
                    c.consumers.push_back(std::move(k));
                }
                p.changes.push_back(std::move(c));
            }
            report.products.push_back(std::move(p));
        }
        for (const auto& nj : j["deprecated_inputs"]) {
            DeprecationNotice n;
            n.product = nj.value("product", "");
            n.input = nj.value("input", "");
            n.upstream = nj.value("reads", "");
            n.deprecation.since = nj.value("since", "");
            n.deprecation.sunset = nj.value("sunset", "");
            n.deprecation.reason = nj.value("reason", "");
            n.deprecation.replacement = nj.value("replacement", "");
            n.sunset_passed = nj.value("sunset_passed", false);
            n.column_use = nj.value("column_use", "");
            report.notices.push_back(std::move(n));
        }
        return report;
    } catch (const nlohmann::json::exception& e) {
        return InvalidArgument(std::string("compatibility: ") + e.what());
    }
}

Result<CheckReport> CheckReportFromJson(const Json& j) {
    if (!j.is_object() || !IsArray(j, "policies") || !IsObject(j, "summary")) {
        return InvalidArgument("policies: expected {\"summary\": {…}, \"policies\": […]}");
    }
    try {
        CheckReport report;
        report.today = j.value("today", "");
        report.products_checked = j.value("products_checked", size_t{0});
        for (const auto& pj : j["policies"]) {
            PolicyOutcome o;
            o.source.policy.name = pj.value("name", "");
            o.source.policy.title = pj.value("title", "");
            o.source.policy.remediation = pj.value("remediation", "");
            o.source.policy.properties = pj.value("properties", std::vector<std::string>());
            std::string severity = pj.value("severity", "");
            for (auto v : {model::PolicySeverity::kError, model::PolicySeverity::kWarning, model::PolicySeverity::kInfo}) {
                if (model::PolicySeverityName(v) == severity) o.source.policy.severity = v;
            }
            std::string state = pj.value("state", "");
            for (auto v : {model::PolicyState::kProposed, model::PolicyState::kWarn, model::PolicyState::kEnforce}) {
                if (model::PolicyStateName(v) == state) o.source.policy.state = v;
            }
            std::string scope = pj.value("scope", "global");
            o.source.policy.domain = scope == "global" ? "" : scope;
            o.enforced = pj.value("enforced", false);
            std::string result = pj.value("result", "passed");
            o.result = result == "error"    ? PolicyOutcome::Result::kError
                       : result == "failed" ? PolicyOutcome::Result::kFailed
                                            : PolicyOutcome::Result::kPassed;
            if (o.result == PolicyOutcome::Result::kError) o.error = InvalidArgument(pj.value("error", ""));
            for (const auto& vj : pj.value("violations", Json::array())) {
                Violation v;
                v.policy = o.source.policy.name;
                TESSERA_ASSIGN_OR_RETURN(v.level, LevelFromName(vj.value("level", "")));
                v.product = vj.value("product", "");
                v.port = vj.value("port", "");
                v.column = vj.value("column", "");
                v.message = vj.value("message", "");
                v.blocking = vj.value("blocking", false);
                if (IsObject(vj, "waiver")) {
                    v.waiver_id = vj["waiver"].value("id", int64_t{0});
                    v.waiver_reason = vj["waiver"].value("reason", "");
                }
                o.violations.push_back(std::move(v));
            }
            report.outcomes.push_back(std::move(o));
        }
        return report;
    } catch (const nlohmann::json::exception& e) {
        return InvalidArgument(std::string("policies: ") + e.what());
    }
}

std::string PolicyToday() {
    const char* forced = std::getenv("TESSERA_TODAY");
    if (forced && *forced) return forced;
    return DateOf(NowMs());
}

}  // namespace tessera::governance
