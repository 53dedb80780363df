#include "governance/internal/metadata_tables.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::governance::internal {
namespace {

using engine::InputCell;
using engine::InputTable;
constexpr auto kVarchar = engine::ColumnType::kVarchar;
constexpr auto kBigint = engine::ColumnType::kBigint;
constexpr auto kBoolean = engine::ColumnType::kBoolean;
constexpr auto kTimestamp = engine::ColumnType::kTimestamp;
constexpr auto kList = engine::ColumnType::kVarcharList;

InputCell Int(int64_t v) { return InputCell::Int(v); }
InputCell Count(size_t n) { return InputCell::Int(static_cast<int64_t>(n)); }
InputCell Bool(bool b) { return InputCell::Bool(b); }
InputCell List(const std::vector<std::string>& items) { return InputCell::List(items); }
InputCell Opt(std::string_view s) { return InputCell::TextOrNull(s); }
// Positive seconds, or NULL when unset (0).
InputCell Seconds(int64_t s) { return s > 0 ? InputCell::Int(s) : InputCell::Null(); }
// A TIMESTAMP, or NULL when unset (0).
InputCell Time(int64_t unix_ms) { return unix_ms > 0 ? InputCell::Timestamp(unix_ms) : InputCell::Null(); }

}  // namespace

std::vector<InputTable> MetadataTables(const MeshState& mesh) {
    std::vector<InputTable> out;

    InputTable domains("domains", {{"name", kVarchar}, {"title", kVarchar}, {"description", kVarchar},
                                   {"owner", kVarchar}, {"parent", kVarchar}, {"tags", kList},
                                   {"time_to_fix_seconds", kBigint}});
    for (const auto& d : mesh.domains) {
        domains.AddRow({d.name, d.title, d.description, Opt(d.owner), Opt(d.parent), List(d.tags),
                        Int(d.time_to_fix_seconds > 0 ? d.time_to_fix_seconds : model::kDefaultTimeToFixSeconds)});
    }
    out.push_back(std::move(domains));

    InputTable teams("teams", {{"name", kVarchar}, {"title", kVarchar}, {"description", kVarchar},
                               {"domain", kVarchar}, {"email", kVarchar}, {"members", kBigint}});
    InputTable members("team_members", {{"team", kVarchar}, {"domain", kVarchar}, {"user_name", kVarchar},
                                        {"name", kVarchar}, {"role", kVarchar}});
    for (const auto& t : mesh.teams) {
        teams.AddRow({t.name, t.title, t.description, Opt(t.domain), Opt(t.contact.email), Count(t.members.size())});
        for (const auto& m : t.members) members.AddRow({t.name, Opt(t.domain), m.user, m.name, m.role});
    }
    out.push_back(std::move(teams));
    out.push_back(std::move(members));

    InputTable products("products", {{"product", kVarchar}, {"domain", kVarchar}, {"name", kVarchar},
                                     {"version", kVarchar}, {"owner", kVarchar}, {"title", kVarchar},
                                     {"description", kVarchar}, {"kind", kVarchar}, {"status", kVarchar},
                                     {"tags", kList}, {"inputs", kBigint}, {"ports", kBigint},
                                     {"schedule", kVarchar}});
    InputTable ports("ports", {{"product", kVarchar}, {"domain", kVarchar}, {"port", kVarchar},
                               {"description", kVarchar}, {"format", kVarchar}, {"columns", kBigint},
                               {"quality_checks", kBigint}, {"freshness_seconds", kBigint},
                               {"retention_seconds", kBigint}, {"availability", kVarchar},
                               {"deprecated", kBoolean}, {"sunset", kVarchar}});
    InputTable columns("columns", {{"product", kVarchar}, {"domain", kVarchar}, {"port", kVarchar},
                                   {"column_name", kVarchar}, {"position", kBigint}, {"type", kVarchar},
                                   {"title", kVarchar}, {"description", kVarchar}, {"required", kBoolean},
                                   {"is_unique", kBoolean}, {"primary_key", kBoolean},
                                   {"classification", kVarchar}, {"mask", kVarchar}, {"tags", kList},
                                   {"glossary", kList}, {"accepted_values", kList}});
    InputTable checks("quality_checks", {{"product", kVarchar}, {"domain", kVarchar}, {"port", kVarchar},
                                         {"check_name", kVarchar}, {"type", kVarchar}, {"dimension", kVarchar},
                                         {"severity", kVarchar}, {"description", kVarchar}});
    InputTable deps("dependencies", {{"product", kVarchar}, {"domain", kVarchar}, {"input", kVarchar},
                                     {"upstream", kVarchar}, {"upstream_port", kVarchar},
                                     {"upstream_domain", kVarchar}});
    InputTable sources("sources", {{"product", kVarchar}, {"domain", kVarchar}, {"input", kVarchar},
                                   {"source", kVarchar}, {"format", kVarchar}, {"path", kVarchar}});
    size_t port_count = 0, column_count = 0;
    for (const auto& p : mesh.products) {
        port_count += p.outputs.size();
        for (const auto& o : p.outputs) column_count += o.columns.size();
    }
    products.Reserve(mesh.products.size());
    ports.Reserve(port_count);
    columns.Reserve(column_count);
    for (const auto& p : mesh.products) {
        std::string full = p.FullName();
        products.AddRow({full, p.domain, p.name, p.version, p.owner, p.title, p.description,
                         model::ProductKindName(p.kind), model::LifecycleStatusName(p.status), List(p.tags),
                         Count(p.inputs.size()), Count(p.outputs.size()), Opt(p.transform.schedule)});
        for (const auto& in : p.inputs) {
            if (in.IsProduct()) {
                deps.AddRow({full, p.domain, in.name, in.product, Opt(in.port),
                             std::string_view(in.product).substr(0, in.product.find('.'))});
            } else {
                sources.AddRow({full, p.domain, in.name, in.source, model::DataFormatName(in.format), in.path});
            }
        }
        for (const auto& o : p.outputs) {
            ports.AddRow({full, p.domain, o.name, o.description, model::DataFormatName(o.format),
                          Count(o.columns.size()), Count(o.quality.size()), Seconds(o.sla.freshness_seconds),
                          Seconds(o.sla.retention_seconds), Opt(o.sla.availability), Bool(o.deprecated.has_value()),
                          o.deprecated ? Opt(o.deprecated->sunset) : InputCell::Null()});
            int64_t position = 0;
            for (const auto& c : o.columns) {
                columns.AddRow({full, p.domain, o.name, c.name, Int(++position), c.type, c.title, c.description,
                                Bool(c.required), Bool(c.unique), Bool(c.primary_key),
                                Opt(model::ClassificationName(c.classification)), model::MaskName(c.mask),
                                List(c.tags), List(c.glossary), List(c.accepted_values)});
            }
            for (const auto& q : o.quality) {
                checks.AddRow({full, p.domain, o.name, q.name, model::CheckTypeName(q.type), Opt(q.dimension),
                               model::SeverityName(q.severity), q.description});
            }
        }
    }
    out.push_back(std::move(products));
    out.push_back(std::move(ports));
    out.push_back(std::move(columns));
    out.push_back(std::move(checks));
    out.push_back(std::move(deps));
    out.push_back(std::move(sources));

    InputTable runs("runs", {{"id", kBigint}, {"product", kVarchar}, {"status", kVarchar}, {"trigger", kVarchar},
                             {"author", kVarchar}, {"started_at", kTimestamp}, {"finished_at", kTimestamp},
                             {"error", kVarchar}});
    for (const auto& r : mesh.runs) {
        runs.AddRow({Int(r.id), r.product, r.status, r.trigger, r.author, Time(r.started_at_ms),
                     Time(r.finished_at_ms), Opt(r.error)});
    }
    out.push_back(std::move(runs));

    InputTable snapshots("snapshots", {{"product", kVarchar}, {"port", kVarchar}, {"version", kBigint},
                                       {"rows", kBigint}, {"bytes", kBigint}, {"run_id", kBigint},
                                       {"created_at", kTimestamp}});
    for (const auto& s : mesh.snapshots) {
        snapshots.AddRow({s.product, s.port, Int(s.version), Int(s.rows), Int(s.bytes), Int(s.run_id),
                          Time(s.created_at_ms)});
    }
    out.push_back(std::move(snapshots));

    InputTable issues("quality_issues", {{"id", kBigint}, {"product", kVarchar}, {"domain", kVarchar},
                                         {"port", kVarchar}, {"column_name", kVarchar}, {"check_name", kVarchar},
                                         {"origin", kVarchar}, {"title", kVarchar}, {"state", kVarchar},
                                         {"opened_at", kTimestamp}, {"due_at", kTimestamp}});
    for (const auto& i : mesh.issues) {
        issues.AddRow({Int(i.id), i.product, i.domain, Opt(i.port), Opt(i.column), Opt(i.check), i.origin, i.title, i.state,
                       Time(i.opened_at_ms), Time(i.due_at_ms)});
    }
    out.push_back(std::move(issues));
    return out;
}

}  // namespace tessera::governance::internal
