// tessera describe NAME: one entity in full, for people (or --json / --yaml: its descriptor).

#include <chrono>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/context.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

struct DescribeOptions {
    std::string name;
    int64_t revision = -1;
};

std::string Or(const std::string& s, const char* fallback = "-") { return s.empty() ? fallback : s; }

std::string Duration(int64_t seconds) {
    if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
    if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
    if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

std::string Number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

void Field(const char* label, const std::string& value) {
    if (value.empty()) return;
    std::printf("%-13s %s\n", label, value.c_str());
}

std::string DeprecationText(const model::Deprecation& d) {
    return "deprecated" + (d.since.empty() ? "" : " since " + d.since) + ", sunset " + d.sunset +
           (d.reason.empty() ? "" : ": " + d.reason) + (d.replacement.empty() ? "" : "; use " + d.replacement);
}

// Unresolved quality issues (of a product, or of a domain's products), overdue ones marked.
void DescribeIssues(catalog::Catalog& cat, const std::string& product, const std::string& domain) {
    auto issues = cat.Issues({product, domain, "", false, 0});
    if (!issues.ok() || issues->empty()) return;
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    size_t overdue = 0;
    for (const auto& i : *issues) overdue += i.due_at_ms < now;
    std::cout << "\nQuality issues: " << issues->size() << " unresolved"
              << (overdue ? " (" + std::to_string(overdue) + " overdue)" : "") << "\n";
    for (const auto& i : *issues) {
        std::string where = i.product + (i.port.empty() ? "" : "." + i.port) + (i.column.empty() ? "" : "." + i.column);
        std::cout << "  #" << i.id << " " << i.state << " " << where << ": " << i.title << " (due " << FormatTime(i.due_at_ms)
                  << (i.due_at_ms < now ? ", overdue" : "") << ")\n";
    }
}

// The data plane's view of a product: current snapshots and the newest run with its checks.
void DescribeRuns(catalog::Catalog& cat, const model::DataProduct& p) {
    auto snaps = cat.Snapshots(p.FullName());
    auto runs = cat.Runs(p.FullName(), 1);
    if (!snaps.ok() || !runs.ok()) return;
    std::cout << "\nSnapshots:    ";
    std::vector<std::string> current;
    std::set<std::string> seen;
    for (const auto& s : *snaps) {
        if (!seen.insert(s.port).second) continue;
        current.push_back(s.port + "@v" + std::to_string(s.version) + " (" + std::to_string(s.rows) + " rows, " +
                          FormatBytes(s.bytes) + ", " + FormatTime(s.created_at_ms) + ")");
    }
    std::cout << (current.empty() ? "none yet: tessera run " + p.FullName() : text::Join(current, "; ")) << "\n";
    if (runs->empty()) return;
    const auto& r = runs->front();
    std::cout << "Last run:     #" << r.id << " " << r.status << " at " << FormatTime(r.started_at_ms);
    if (r.finished_at_ms) std::cout << " in " << FormatDuration(r.finished_at_ms - r.started_at_ms);
    std::cout << "\n";
    auto checks = cat.Checks(r.id);
    if (!checks.ok() || checks->empty()) {
        if (!r.error.empty()) std::cout << "  " << r.error << "\n";
        return;
    }
    size_t passed = 0;
    for (const auto& c : *checks) passed += c.status == "passed";
    std::cout << "Checks:       " << passed << "/" << checks->size() << " passed\n";
    for (const auto& c : *checks) {
        if (c.status != "passed") std::cout << "  " << c.status << " " << c.port << "." << c.check << ": " << c.message << "\n";
    }
}

void DescribeProduct(const model::DataProduct& p, const catalog::StoredEntity& e, const std::vector<std::string>& readers) {
    std::cout << p.FullName() << "  (" << model::ProductKindName(p.kind) << " data product, "
              << model::LifecycleStatusName(p.status) << ")\n";
    Field("Title:", p.title);
    Field("Address:", "urn:tessera:" + p.domain + ":" + p.name + "  sql: " + p.domain + "." + p.name);
    Field("Version:", p.version);
    Field("Domain:", p.domain);
    Field("Owner:", p.owner);
    Field("Tags:", text::Join(p.tags, ", "));
    Field("Revision:", std::to_string(e.revision) + (e.origin.empty() ? "" : " (from " + e.origin + ")"));
    Field("Description:", p.description);
    if (!p.inputs.empty()) {
        std::cout << "\nInputs:\n";
        for (const auto& in : p.inputs) {
            std::cout << "  " << in.name << " <- ";
            if (in.IsProduct()) std::cout << in.product << (in.port.empty() ? "" : "." + in.port);
            else std::cout << "source " << in.source << ": " << model::DataFormatName(in.format) << " " << in.path;
            std::cout << "\n";
        }
    }
    const auto& t = p.transform;
    std::vector<std::string> tr;
    if (!t.sql_file.empty()) tr.push_back("sql " + t.sql_file);
    else if (!t.sql.empty()) tr.push_back("inline query");
    if (!t.schedule.empty()) tr.push_back("schedule \"" + t.schedule + "\"");
    if (t.trigger == model::Trigger::kUpstream) tr.push_back("runs when an input publishes");
    if (!tr.empty()) std::cout << "\nTransform:    " << text::Join(tr, ", ") << "\n";
    for (const auto& o : p.outputs) {
        std::cout << "\nOutput port " << o.name << " (" << model::DataFormatName(o.format) << ")  urn:tessera:"
                  << p.domain << ":" << p.name << ":" << o.name << "\n";
        if (!o.description.empty()) std::cout << "  " << o.description << "\n";
        if (o.deprecated) std::cout << "  DEPRECATED: " << DeprecationText(*o.deprecated) << "\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : o.columns) {
            std::vector<std::string> flags;
            if (c.primary_key) flags.push_back("pk");
            if (c.required) flags.push_back("required");
            if (c.unique) flags.push_back("unique");
            if (!c.accepted_values.empty()) flags.push_back("in(" + text::Join(c.accepted_values, ",") + ")");
            if (c.min || c.max) {
                flags.push_back("[" + (c.min ? Number(*c.min) : std::string()) + ".." +
                                (c.max ? Number(*c.max) : std::string()) + "]");
            }
            if (c.deprecated) flags.push_back("deprecated(sunset " + c.deprecated->sunset + ")");
            std::string cls(model::ClassificationName(c.classification));
            if (c.mask != model::Mask::kNone) cls += " mask:" + std::string(model::MaskName(c.mask));
            // Long descriptions are cut here; --yaml / --json show them whole.
            std::string description = text::Truncate(c.description, 72);
            std::string checks = text::Truncate(text::Join(flags, " "), 40);
            rows.push_back({"  " + c.name, c.type, Or(checks), Or(cls), description});
        }
        PrintTable({"  COLUMN", "TYPE", "CHECKS", "CLASSIFICATION", "DESCRIPTION"}, rows);
        if (!o.quality.empty()) {
            std::cout << "  Quality checks:\n";
            for (const auto& q : o.quality) {
                std::cout << "    " << q.name << " (" << model::CheckTypeName(q.type) << ", "
                          << model::SeverityName(q.severity) << ")";
                if (q.type == model::CheckType::kRowCount) {
                    std::cout << ": rows " << (q.min ? std::to_string(*q.min) : "") << ".."
                              << (q.max ? std::to_string(*q.max) : "");
                } else if (q.type == model::CheckType::kFreshness) {
                    std::cout << ": " << q.column << " newer than " << Duration(q.max_age_seconds);
                } else if (!q.description.empty()) {
                    std::cout << ": " << q.description;
                }
                std::cout << "\n";
            }
        }
        std::vector<std::string> sla;
        if (o.sla.freshness_seconds) sla.push_back("freshness " + Duration(o.sla.freshness_seconds));
        if (o.sla.retention_seconds) sla.push_back("retention " + Duration(o.sla.retention_seconds));
        if (!o.sla.availability.empty()) sla.push_back("availability " + o.sla.availability);
        if (!sla.empty()) std::cout << "  SLA: " << text::Join(sla, ", ") << "\n";
    }
    std::cout << "\nRead by:      " << (readers.empty() ? "no product yet" : text::Join(readers, ", ")) << "\n";
}

void DescribeDomain(const model::Domain& d, const std::vector<model::DataProduct>& products) {
    std::cout << d.name << "  (domain)\n";
    Field("Title:", d.title);
    Field("Owner:", Or(d.owner, "- (no owner: an ownership gap)"));
    Field("Parent:", d.parent);
    Field("Time to fix:", d.time_to_fix_seconds ? Duration(d.time_to_fix_seconds)
                                                : Duration(model::kDefaultTimeToFixSeconds) + " (default)");
    Field("Tags:", text::Join(d.tags, ", "));
    Field("Description:", d.description);
    std::cout << "\nProducts:\n";
    for (const auto& p : products) {
        std::cout << "  " << p.FullName() << " (" << model::ProductKindName(p.kind) << ") " << p.title << "\n";
    }
    if (products.empty()) std::cout << "  none yet\n";
}

void DescribeTeam(const model::Team& t) {
    std::cout << t.name << "  (team)\n";
    Field("Title:", t.title);
    Field("Domain:", t.domain);
    Field("E-mail:", t.contact.email);
    Field("Chat:", t.contact.chat);
    Field("Page:", t.contact.url);
    Field("Description:", t.description);
    if (!t.members.empty()) {
        std::cout << "\nMembers:\n";
        for (const auto& m : t.members) {
            std::cout << "  " << m.user << (m.name.empty() ? "" : " (" + m.name + ")") << "  " << Or(m.role) << "\n";
        }
    }
}

int RunDescribe(Context& ctx, const DescribeOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    std::optional<int64_t> at;
    if (o.revision >= 0) at = o.revision;
    auto found = cat->Find(o.name, at);
    if (!found.ok()) return ctx.Fail(found.status());
    if (ctx.Structured()) {
        ctx.PrintStructured(nlohmann::ordered_json::parse(found->document));
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    if (auto* p = std::get_if<model::DataProduct>(&found->entity)) {
        auto readers = cat->Readers(p->FullName());
        if (!readers.ok()) return ctx.Fail(readers.status());
        DescribeProduct(*p, *found, *readers);
        if (!at) DescribeRuns(*cat, *p);
        if (!at) DescribeIssues(*cat, p->FullName(), "");
    } else if (auto* d = std::get_if<model::Domain>(&found->entity)) {
        auto products = cat->Products(d->name);
        if (!products.ok()) return ctx.Fail(products.status());
        DescribeDomain(*d, *products);
        if (!at) DescribeIssues(*cat, "", d->name);
    } else if (auto* t = std::get_if<model::Team>(&found->entity)) {
        DescribeTeam(*t);
    } else {
        std::cout << spec::JsonToYaml(found->document);  // a Policy: its descriptor
    }
    return kExitOk;
}

}  // namespace

void RegisterDescribe(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DescribeOptions>();
    auto* sub = app.add_subcommand("describe", "Show a data product, domain or team in full");
    sub->add_option("name", o->name, "domain.product, a domain, a team (domain/NAME, team/NAME to disambiguate)")
            ->required();
    sub->add_option("--revision", o->revision, "Show it as it was after this catalog revision");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunDescribe(ctx, *o); }; });
}

}  // namespace tessera::cli
