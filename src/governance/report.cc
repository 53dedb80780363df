#include "governance/report.h"

#include <map>

namespace tessera::governance {
namespace {

using Json = nlohmann::ordered_json;

std::string XmlEscape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += ' ';
                else out += c;
        }
    }
    return out;
}

std::string ResultName(PolicyOutcome::Result r) {
    switch (r) {
        case PolicyOutcome::Result::kPassed: return "passed";
        case PolicyOutcome::Result::kFailed: return "failed";
        case PolicyOutcome::Result::kError: return "error";
    }
    return "";
}

// "file:line" of a policy, relative paths kept as written.
std::string SarifUri(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ' ') out += "%20";
        else out += c;
    }
    return out;
}

}  // namespace

std::string AddressOf(const Violation& v) {
    std::string s = v.product;
    if (!v.port.empty()) s += (s.empty() ? "" : ".") + v.port;
    if (!v.column.empty()) s += (s.empty() ? "" : ".") + v.column;
    return s;
}

Json ToJson(const CheckReport& report) {
    Json j;
    j["today"] = report.today;
    j["products_checked"] = report.products_checked;
    j["summary"] = {{"policies", report.outcomes.size()},
                    {"errors", report.Count(Level::kError)},
                    {"warnings", report.Count(Level::kWarning)},
                    {"notes", report.Count(Level::kNote)},
                    {"blocking", report.Blocking()},
                    {"waived", report.Waived()},
                    {"policy_errors", report.Errors()}};
    j["policies"] = Json::array();
    for (const auto& o : report.outcomes) {
        const auto& p = o.source.policy;
        Json pj;
        pj["name"] = p.name;
        pj["title"] = p.title;
        pj["severity"] = model::PolicySeverityName(p.severity);
        pj["state"] = model::PolicyStateName(p.state);
        pj["enforced"] = o.enforced;
        pj["scope"] = p.domain.empty() ? "global" : p.domain;
        pj["properties"] = p.properties;
        pj["result"] = ResultName(o.result);
        if (o.result == PolicyOutcome::Result::kError) pj["error"] = o.error.message();
        pj["violations"] = Json::array();
        for (const auto& v : o.violations) {
            Json vj;
            vj["level"] = LevelName(v.level);
            vj["product"] = v.product;
            if (!v.port.empty()) vj["port"] = v.port;
            if (!v.column.empty()) vj["column"] = v.column;
            vj["message"] = v.message;
            vj["blocking"] = v.blocking;
            if (v.waiver_id) vj["waiver"] = {{"id", v.waiver_id}, {"reason", v.waiver_reason}};
            pj["violations"].push_back(vj);
        }
        if (!p.remediation.empty()) pj["remediation"] = p.remediation;
        j["policies"].push_back(pj);
    }
    return j;
}

std::string ToSarif(const CheckReport& report, const std::string& tool_version) {
    Json rules = Json::array();
    Json results = Json::array();
    Json notifications = Json::array();
    for (size_t i = 0; i < report.outcomes.size(); ++i) {
        const auto& o = report.outcomes[i];
        const auto& p = o.source.policy;
        Json rule;
        rule["id"] = p.name;
        rule["shortDescription"] = {{"text", p.title.empty() ? p.name : p.title}};
        if (!p.rationale.empty()) rule["fullDescription"] = {{"text", p.rationale}};
        if (!p.remediation.empty()) rule["help"] = {{"text", p.remediation}};
        std::string level = p.severity == model::PolicySeverity::kInfo ? "note"
                            : !o.enforced                               ? "warning"
                            : p.severity == model::PolicySeverity::kError ? "error"
                                                                          : "warning";
        rule["defaultConfiguration"] = {{"level", level}};
        rule["properties"] = {{"tags", p.properties},
                              {"state", model::PolicyStateName(p.state)},
                              {"scope", p.domain.empty() ? "global" : p.domain}};
        rules.push_back(rule);
        if (o.result == PolicyOutcome::Result::kError) {
            notifications.push_back({{"level", "error"},
                                     {"message", {{"text", o.error.message()}}},
                                     {"descriptor", {{"id", p.name}}}});
        }
        for (const auto& v : o.violations) {
            Json r;
            r["ruleId"] = p.name;
            r["ruleIndex"] = i;
            r["level"] = LevelName(v.level);
            r["message"] = {{"text", v.message}};
            Json loc;
            if (!o.source.origin.empty()) {
                loc["physicalLocation"] = {{"artifactLocation", {{"uri", SarifUri(o.source.origin)}}}};
            }
            std::string address = AddressOf(v);
            if (!address.empty()) {
                loc["logicalLocations"] = Json::array(
                        {{{"fullyQualifiedName", address}, {"kind", v.column.empty() ? "module" : "member"}}});
            }
            if (!loc.empty()) r["locations"] = Json::array({loc});
            if (v.waiver_id) {
                r["suppressions"] = Json::array({{{"kind", "external"},
                                                  {"status", "accepted"},
                                                  {"justification", v.waiver_reason}}});
            }
            results.push_back(r);
        }
    }
    Json run;
    run["tool"] = {{"driver",
                    {{"name", "tessera"},
                     {"version", tool_version},
                     {"rules", rules}}}};
    run["invocations"] = Json::array({{{"executionSuccessful", report.Errors() == 0},
                                       {"toolExecutionNotifications", notifications}}});
    run["results"] = results;
    Json log;
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = Json::array({run});
    return log.dump(2) + "\n";
}

std::string ToJunit(const CheckReport& report) {
    size_t failures = 0, errors = 0, skipped = 0;
    std::string cases;
    for (const auto& o : report.outcomes) {
        const auto& p = o.source.policy;
        std::string classname = "tessera.policy." + (p.domain.empty() ? std::string("global") : p.domain);
        cases += "    <testcase classname=\"" + XmlEscape(classname) + "\" name=\"" + XmlEscape(p.name) + "\" time=\"" +
                 std::to_string(o.duration_ms / 1000.0) + "\">\n";
        std::string body, warnings;
        size_t blocking = 0;
        for (const auto& v : o.violations) {
            std::string line = std::string(LevelName(v.level)) + ": " + v.message +
                               (v.waiver_id ? " (waived: " + v.waiver_reason + ")" : "") + "\n";
            if (v.blocking) {
                ++blocking;
                body += line;
            } else {
                warnings += line;
            }
        }
        if (o.result == PolicyOutcome::Result::kError) {
            ++errors;
            cases += "      <error message=\"" + XmlEscape(o.error.message()) + "\" type=\"policy-error\"/>\n";
        } else if (blocking > 0) {
            ++failures;
            cases += "      <failure message=\"" + std::to_string(blocking) + " violation(s) of " + XmlEscape(p.name) +
                     "\" type=\"" + std::string(model::PolicySeverityName(p.severity)) + "\">" + XmlEscape(body) +
                     "</failure>\n";
        } else if (!o.violations.empty() && o.result == PolicyOutcome::Result::kPassed) {
            ++skipped;  // every violation waived
            cases += "      <skipped message=\"every violation is waived\"/>\n";
        }
        if (!warnings.empty()) cases += "      <system-out>" + XmlEscape(warnings) + "</system-out>\n";
        cases += "    </testcase>\n";
    }
    std::string counts = "tests=\"" + std::to_string(report.outcomes.size()) + "\" failures=\"" +
                         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" +
                         std::to_string(skipped) + "\"";
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"tessera check\" " + counts + ">\n";
    out += "  <testsuite name=\"tessera.policies\" " + counts + " timestamp=\"" + report.today + "T00:00:00\">\n";
    out += cases;
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace tessera::governance
