// tessera describe NAME: one entity in full, for people (or --json / --yaml: its descriptor).

#include <chrono>
#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/context.h"
#include "common/text.h"
#include "model/address.h"

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
// What DescribeRuns shows, from the catalog or the server.
struct RunView {
    std::vector<store::SnapshotRecord> snapshots;
    std::vector<store::RunRecord> runs;  // the newest, or none
    std::vector<store::CheckRecord> checks;
    bool ok = true;
};

void PrintRuns(const model::DataProduct& p, const RunView& view);

void DescribeRuns(catalog::Catalog& cat, const model::DataProduct& p) {
    RunView view;
    auto snaps = cat.Snapshots(p.FullName());
    auto runs = cat.Runs(p.FullName(), 1);
    if (!snaps.ok() || !runs.ok()) return;
    view.snapshots = *snaps;
    view.runs = *runs;
    if (!runs->empty()) {
        auto checks = cat.Checks(runs->front().id);
        if (!checks.ok()) view.ok = false;
        else view.checks = *checks;
    }
    PrintRuns(p, view);
}

void DescribeRunsRemote(RemoteCatalog& remote, const model::DataProduct& p) {
    RunView view;
    std::string base = ProductPath(p.FullName());
    auto snaps = remote.GetAll(base + "/snapshots");
    auto runs = remote.Get(base + "/runs?limit=1&checks=true");
    if (!snaps.ok() || !runs.ok()) return;
    for (const auto& s : *snaps) {
        view.snapshots.push_back({s.value("product", ""), s.value("port", ""), s.value("version", int64_t{0}),
                                  s.value("path", ""), s.value("rows", int64_t{0}), s.value("bytes", int64_t{0}),
                                  s.value("run_id", int64_t{0}), s.value("created_at_ms", int64_t{0})});
    }
    // The API lists snapshots per port, newest first; the catalog lists them newest first overall.
    std::stable_sort(view.snapshots.begin(), view.snapshots.end(),
                     [](const auto& a, const auto& b) { return a.created_at_ms > b.created_at_ms; });
    for (const auto& r : (*runs)["items"]) {
        store::RunRecord rec;
        rec.id = r.value("id", int64_t{0});
        rec.status = r.value("status", "");
        rec.started_at_ms = r.value("started_at_ms", int64_t{0});
        rec.finished_at_ms = r.value("finished_at_ms", int64_t{0});
        rec.error = r.value("error", "");
        view.runs.push_back(rec);
        for (const auto& c : r["checks"]) {
            view.checks.push_back({rec.id, c.value("port", ""), c.value("check", ""), c.value("status", ""),
                                   c.value("failures", int64_t{0}), c.value("message", ""), c["sample"].dump()});
        }
    }
    PrintRuns(p, view);
}

void PrintRuns(const model::DataProduct& p, const RunView& view) {
    const auto* snaps = &view.snapshots;
    const auto* runs = &view.runs;
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
    const auto* checks = &view.checks;
    if (!view.ok || checks->empty()) {
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
    const model::Address address{p.domain, p.name, ""};
    Field("Address:", address.ToUrn() + "  sql: " + address.ToSqlName());
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
        std::cout << "\nOutput port " << o.name << " (" << model::DataFormatName(o.format) << ")  "
                  << model::Address{p.domain, p.name, o.name}.ToUrn() << "\n";
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

// An entity through the server: products by their path, domains and teams by name.
Result<nlohmann::ordered_json> FindRemote(RemoteCatalog& remote, const std::string& name) {
    if (name.rfind("domain/", 0) == 0) return remote.Get("/api/v1/domains/" + UrlEncode(name.substr(7)));
    if (name.rfind("team/", 0) == 0) return remote.Get("/api/v1/teams/" + UrlEncode(name.substr(5)));
    std::string product = ProductPath(name);
    if (!product.empty()) return remote.Get(product);
    auto domain = remote.Get("/api/v1/domains/" + UrlEncode(name));
    if (domain.ok() || domain.status().code() != StatusCode::kNotFound) return domain;
    auto team = remote.Get("/api/v1/teams/" + UrlEncode(name));
    if (team.ok() || team.status().code() != StatusCode::kNotFound) return team;
    return NotFound("\"" + name + "\" is not in the catalog");
}

int RunDescribeRemote(Context& ctx, const DescribeOptions& o) {
    if (o.revision >= 0) return ctx.Fail(InvalidArgument("--revision reads the local catalog's history; drop --server"));
    auto remote = ctx.OpenRemote();
    auto answer = FindRemote(*remote, o.name);
    if (!answer.ok()) return ctx.Fail(answer.status());
    nlohmann::ordered_json status = (*answer)["status"];
    nlohmann::ordered_json doc = *answer;
    doc.erase("status");
    if (ctx.Structured()) {
        ctx.PrintStructured(doc);
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    auto entity = spec::DecodeJson(doc.dump());
    if (!entity.ok()) return ctx.Fail(entity.status());
    catalog::StoredEntity found{*entity, doc.dump(), status.value("revision", int64_t{0}), status.value("origin", "")};
    if (auto* p = std::get_if<model::DataProduct>(&found.entity)) {
        std::vector<std::string> readers;
        for (const auto& r : status.value("readers", nlohmann::ordered_json::array())) readers.push_back(r.get<std::string>());
        DescribeProduct(*p, found, readers);
        DescribeRunsRemote(*remote, *p);
    } else if (auto* d = std::get_if<model::Domain>(&found.entity)) {
        auto items = remote->GetAll("/api/v1/domains/" + UrlEncode(d->name) + "/products");
        if (!items.ok()) return ctx.Fail(items.status());
        std::vector<model::DataProduct> products;
        for (const auto& item : *items) {
            auto e = RemoteCatalog::Decode(item);
            if (!e.ok()) return ctx.Fail(e.status());
            products.push_back(std::get<model::DataProduct>(*e));
        }
        DescribeDomain(*d, products);
    } else {
        DescribeTeam(std::get<model::Team>(found.entity));
    }
    return kExitOk;
}

int RunDescribe(Context& ctx, const DescribeOptions& o) {
    if (ctx.Remote()) return RunDescribeRemote(ctx, o);
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
    sub->add_option("name", o->name, "domain.product[.port] (or its URN or REST path), a domain, a team (domain/NAME, team/NAME to disambiguate)")->transform(AnyAddressArg())
            ->required();
    sub->add_option("--revision", o->revision, "Show it as it was after this catalog revision");
    sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunDescribe(ctx, *o); }; });
}

}  // namespace tessera::cli
