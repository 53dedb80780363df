#include "governance/internal/metadata_tables.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

namespace tessera::governance::internal {
namespace {

using engine::InputTable;
using Cell = std::optional<std::string>;

std::string JsonList(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }
std::string Bool(bool b) { return b ? "true" : "false"; }
std::string Int(int64_t v) { return std::to_string(v); }
Cell Opt(const std::string& s) { return s.empty() ? Cell() : Cell(s); }

}  // namespace

std::optional<std::string> TimestampText(int64_t unix_ms) {
    if (unix_ms <= 0) return std::nullopt;
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
    return std::string(buf);
}

std::vector<InputTable> MetadataTables(const MeshState& mesh) {
    std::vector<InputTable> out;

    InputTable domains("domains", {{"name", "VARCHAR"}, {"title", "VARCHAR"}, {"description", "VARCHAR"},
                                   {"owner", "VARCHAR"}, {"parent", "VARCHAR"}, {"tags", "VARCHAR[]"},
                                   {"time_to_fix_seconds", "BIGINT"}});
    for (const auto& d : mesh.domains) {
        domains.AddRow({d.name, d.title, d.description, Opt(d.owner), Opt(d.parent), JsonList(d.tags),
                        Int(d.time_to_fix_seconds > 0 ? d.time_to_fix_seconds : model::kDefaultTimeToFixSeconds)});
    }
    out.push_back(std::move(domains));

    InputTable teams("teams", {{"name", "VARCHAR"}, {"title", "VARCHAR"}, {"description", "VARCHAR"},
                               {"domain", "VARCHAR"}, {"email", "VARCHAR"}, {"members", "BIGINT"}});
    InputTable members("team_members", {{"team", "VARCHAR"}, {"domain", "VARCHAR"}, {"user_name", "VARCHAR"},
                                        {"name", "VARCHAR"}, {"role", "VARCHAR"}});
    for (const auto& t : mesh.teams) {
        teams.AddRow({t.name, t.title, t.description, Opt(t.domain), Opt(t.contact.email), Int(static_cast<int64_t>(t.members.size()))});
        for (const auto& m : t.members) members.AddRow({t.name, Opt(t.domain), m.user, m.name, m.role});
    }
    out.push_back(std::move(teams));
    out.push_back(std::move(members));

    InputTable products("products", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"name", "VARCHAR"},
                                     {"version", "VARCHAR"}, {"owner", "VARCHAR"}, {"title", "VARCHAR"},
                                     {"description", "VARCHAR"}, {"kind", "VARCHAR"}, {"status", "VARCHAR"},
                                     {"tags", "VARCHAR[]"}, {"inputs", "BIGINT"}, {"ports", "BIGINT"},
                                     {"schedule", "VARCHAR"}});
    InputTable ports("ports", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"port", "VARCHAR"},
                               {"description", "VARCHAR"}, {"format", "VARCHAR"}, {"columns", "BIGINT"},
                               {"quality_checks", "BIGINT"}, {"freshness_seconds", "BIGINT"},
                               {"retention_seconds", "BIGINT"}, {"availability", "VARCHAR"},
                               {"deprecated", "BOOLEAN"}, {"sunset", "VARCHAR"}});
    InputTable columns("columns", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"port", "VARCHAR"},
                                   {"column_name", "VARCHAR"}, {"position", "BIGINT"}, {"type", "VARCHAR"},
                                   {"title", "VARCHAR"}, {"description", "VARCHAR"}, {"required", "BOOLEAN"},
                                   {"is_unique", "BOOLEAN"}, {"primary_key", "BOOLEAN"},
                                   {"classification", "VARCHAR"}, {"mask", "VARCHAR"}, {"tags", "VARCHAR[]"},
                                   {"glossary", "VARCHAR[]"}, {"accepted_values", "VARCHAR[]"}});
    InputTable checks("quality_checks", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"port", "VARCHAR"},
                                         {"check_name", "VARCHAR"}, {"type", "VARCHAR"}, {"dimension", "VARCHAR"},
                                         {"severity", "VARCHAR"}, {"description", "VARCHAR"}});
    InputTable deps("dependencies", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"input", "VARCHAR"},
                                     {"upstream", "VARCHAR"}, {"upstream_port", "VARCHAR"},
                                     {"upstream_domain", "VARCHAR"}});
    InputTable sources("sources", {{"product", "VARCHAR"}, {"domain", "VARCHAR"}, {"input", "VARCHAR"},
                                   {"source", "VARCHAR"}, {"format", "VARCHAR"}, {"path", "VARCHAR"}});
    for (const auto& p : mesh.products) {
        std::string full = p.FullName();
        products.AddRow({full, p.domain, p.name, p.version, p.owner, p.title, p.description,
                         std::string(model::ProductKindName(p.kind)), std::string(model::LifecycleStatusName(p.status)),
                         JsonList(p.tags), Int(static_cast<int64_t>(p.inputs.size())),
                         Int(static_cast<int64_t>(p.outputs.size())), Opt(p.transform.schedule)});
        for (const auto& in : p.inputs) {
            if (in.IsProduct()) {
                deps.AddRow({full, p.domain, in.name, in.product, Opt(in.port), in.product.substr(0, in.product.find('.'))});
            } else {
                sources.AddRow({full, p.domain, in.name, in.source, std::string(model::DataFormatName(in.format)), in.path});
            }
        }
        for (const auto& o : p.outputs) {
            ports.AddRow({full, p.domain, o.name, o.description, std::string(model::DataFormatName(o.format)),
                          Int(static_cast<int64_t>(o.columns.size())), Int(static_cast<int64_t>(o.quality.size())),
                          o.sla.freshness_seconds > 0 ? Cell(Int(o.sla.freshness_seconds)) : Cell(),
                          o.sla.retention_seconds > 0 ? Cell(Int(o.sla.retention_seconds)) : Cell(),
                          Opt(o.sla.availability), Bool(o.deprecated.has_value()),
                          o.deprecated ? Opt(o.deprecated->sunset) : Cell()});
            int64_t position = 0;
            for (const auto& c : o.columns) {
                columns.AddRow({full, p.domain, o.name, c.name, Int(++position), c.type, c.title, c.description,
                                Bool(c.required), Bool(c.unique), Bool(c.primary_key),
                                Opt(std::string(model::ClassificationName(c.classification))),
                                std::string(model::MaskName(c.mask)), JsonList(c.tags), JsonList(c.glossary),
                                JsonList(c.accepted_values)});
            }
            for (const auto& q : o.quality) {
                checks.AddRow({full, p.domain, o.name, q.name, std::string(model::CheckTypeName(q.type)), Opt(q.dimension),
                               std::string(model::SeverityName(q.severity)), q.description});
            }
        }
    }
    out.push_back(std::move(products));
    out.push_back(std::move(ports));
    out.push_back(std::move(columns));
    out.push_back(std::move(checks));
    out.push_back(std::move(deps));
    out.push_back(std::move(sources));

    InputTable runs("runs", {{"id", "BIGINT"}, {"product", "VARCHAR"}, {"status", "VARCHAR"}, {"trigger", "VARCHAR"},
                             {"author", "VARCHAR"}, {"started_at", "TIMESTAMP"}, {"finished_at", "TIMESTAMP"},
                             {"error", "VARCHAR"}});
    for (const auto& r : mesh.runs) {
        runs.AddRow({Int(r.id), r.product, r.status, r.trigger, r.author, TimestampText(r.started_at_ms),
                     TimestampText(r.finished_at_ms), Opt(r.error)});
    }
    out.push_back(std::move(runs));

    InputTable snapshots("snapshots", {{"product", "VARCHAR"}, {"port", "VARCHAR"}, {"version", "BIGINT"},
                                       {"rows", "BIGINT"}, {"bytes", "BIGINT"}, {"run_id", "BIGINT"},
                                       {"created_at", "TIMESTAMP"}});
    for (const auto& s : mesh.snapshots) {
        snapshots.AddRow({s.product, s.port, Int(s.version), Int(s.rows), Int(s.bytes), Int(s.run_id),
                          TimestampText(s.created_at_ms)});
    }
    out.push_back(std::move(snapshots));

    InputTable issues("quality_issues", {{"id", "BIGINT"}, {"product", "VARCHAR"}, {"domain", "VARCHAR"},
                                         {"port", "VARCHAR"}, {"column_name", "VARCHAR"}, {"check_name", "VARCHAR"},
                                         {"origin", "VARCHAR"}, {"title", "VARCHAR"}, {"state", "VARCHAR"},
                                         {"opened_at", "TIMESTAMP"}, {"due_at", "TIMESTAMP"}});
    for (const auto& i : mesh.issues) {
        issues.AddRow({Int(i.id), i.product, i.domain, Opt(i.port), Opt(i.column), Opt(i.check), i.origin, i.title, i.state,
                       TimestampText(i.opened_at_ms), TimestampText(i.due_at_ms)});
    }
    out.push_back(std::move(issues));
    return out;
}

}  // namespace tessera::governance::internal
