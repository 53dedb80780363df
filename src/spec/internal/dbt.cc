// dbt manifest (target/manifest.json) -> Teams and DataProducts. Mapping table: docs/interop.md.

#include <map>
#include <set>

#include "spec/internal/converters.h"

namespace tessera::spec::internal {
namespace {

std::string Str(const OrderedJson& o, const char* key) {
    if (!o.is_object())
        return "";
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string VersionText(const OrderedJson& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number())
        return v.dump();
    return "";
}

// A model's access: the node's own field (dbt >= 1.5), else its config.
std::string AccessOf(const OrderedJson& node) {
    std::string a = Str(node, "access");
    if (a.empty())
        a = Str(node.value("config", OrderedJson::object()), "access");
    return a.empty() ? "protected" : a;
}

bool ContractEnforced(const OrderedJson& node) {
    for (const OrderedJson* where : {&node, node.contains("config") ? &node["config"] : nullptr}) {
        if (!where || !where->contains("contract"))
            continue;
        const auto& c = (*where)["contract"];
        if (c.is_object() && c.value("enforced", false) == true)
            return true;
    }
    return false;
}

}  // namespace

bool DbtToEntities(const StandardDocument& doc, const ImportOptions& options, ImportResult* r) {
    const OrderedJson& o = doc.json;
    const std::string& f = doc.file;
    if (!o.contains("nodes") || !o["nodes"].is_object()) {
        r->diagnostics.push_back(doc.Error(
                "/nodes", "missing: expected dbt's target/manifest.json (a map of nodes)"));
        return false;
    }
    std::string project = Str(o.value("metadata", OrderedJson::object()), "project_name");
    std::string domain = !options.domain.empty() ? options.domain : SnakeCase(project);
    if (domain.empty()) {
        r->diagnostics.push_back(doc.Error("/metadata", "names no project_name: pass --domain"));
        return false;
    }
    // Groups and their owners become teams.
    std::map<std::string, std::string> team_of_group;
    if (o.contains("groups") && o["groups"].is_object()) {
        for (auto g = o["groups"].begin(); g != o["groups"].end(); ++g) {
            model::Team t;
            t.name = SnakeCase(Str(g.value(), "name"));
            if (t.name.empty())
                continue;
            t.domain = domain;
            t.title = Str(g.value(), "name");
            const OrderedJson owner = g.value().value("owner", OrderedJson::object());
            t.contact.email = Str(owner, "email");
            if (!Str(owner, "email").empty() || !Str(owner, "name").empty()) {
                model::TeamMember m;
                m.user = Str(owner, "email").empty() ? Str(owner, "name") : Str(owner, "email");
                m.name = Str(owner, "name");
                m.role = "owner";
                t.members.push_back(m);
            }
            team_of_group[Str(g.value(), "name")] = t.name;
            Mapped(r, f, "groups." + g.key(), "Team " + t.name);
            r->teams.push_back(std::move(t));
        }
    }
    // Models without a group: the owner of the existing domain, else a new team.
    auto existing = options.existing_domain_owners.find(domain);
    bool existing_domain = existing != options.existing_domain_owners.end();
    std::string default_team = existing_domain && !existing->second.empty() ? existing->second
                                                                             : domain + "_team";
    // Public models with enforced contracts become products; versions of one model become ports.
    struct ModelVersions {
        std::vector<std::pair<std::string, const OrderedJson*>> nodes;  // unique_id, node
    };
    std::map<std::string, ModelVersions> models;
    std::vector<std::string> order;
    std::map<std::string, std::string> product_of_node;  // unique_id -> domain.product
    for (auto n = o["nodes"].begin(); n != o["nodes"].end(); ++n) {
        const OrderedJson& node = n.value();
        if (Str(node, "resource_type") != "model")
            continue;
        std::string name = Str(node, "name");
        std::string at = "nodes." + n.key();
        std::string access = AccessOf(node);
        if (access != "public") {
            Mapped(r, f, at,
                   "internal (access: " + access + "; only public models become output ports)");
            continue;
        }
        if (!ContractEnforced(node)) {
            Mapped(r, f, at,
                   "not imported (public, but no enforced contract: add `contract: {enforced: "
                   "true}`)");
            continue;
        }
        std::string product = SnakeCase(name);
        if (!models.count(product))
            order.push_back(product);
        models[product].nodes.push_back({n.key(), &node});
        product_of_node[n.key()] = domain + "." + product;
    }
    std::set<std::string> used_teams;
    for (const auto& product_name : order) {
        const auto& versions = models[product_name].nodes;
        model::DataProduct p;
        p.domain = domain;
        p.name = product_name;
        const OrderedJson* latest = versions.front().second;
        for (const auto& [id, node] : versions) {
            if (VersionText(node->value("version", OrderedJson())) ==
                VersionText(node->value("latest_version", OrderedJson()))) {
                latest = node;
            }
        }
        p.description = Str(*latest, "description");
        std::string group = Str(*latest, "group");
        if (group.empty())
            group = Str(latest->value("config", OrderedJson::object()), "group");
        p.owner = team_of_group.count(group) ? team_of_group[group] : default_team;
        used_teams.insert(p.owner);
        if (auto tags = StringList(latest->value("tags", OrderedJson())))
            p.tags = *tags;
        std::set<std::string> inputs_seen;
        for (const auto& [id, node] : versions) {
            model::OutputPort port;
            std::string version = VersionText(node->value("version", OrderedJson()));
            std::string v = version.find_first_not_of("0123456789") == std::string::npos
                                    ? version
                                    : SnakeCase(version);
            port.name = version.empty() ? product_name : product_name + "_v" + v;
            port.description = Str(*node, "description");
            std::string deprecation = Str(*node, "deprecation_date");
            OrderedJson ext;
            ext["unique_id"] = id;
            if (!version.empty())
                ext["version"] = (*node)["version"];
            if (!deprecation.empty())
                ext["deprecation_date"] = deprecation;
            ext["access"] = "public";
            if (!Str(*node, "relation_name").empty())
                ext["relation_name"] = Str(*node, "relation_name");
            SetExtension(&port.extensions, "x-dbt", ext);
            if (node->contains("columns") && (*node)["columns"].is_object()) {
                for (auto c = (*node)["columns"].begin(); c != (*node)["columns"].end(); ++c) {
                    model::Column col;
                    col.name = Str(c.value(), "name").empty() ? c.key() : Str(c.value(), "name");
                    col.type = DuckTypeFor(Str(c.value(), "data_type"), "");
                    col.description = Str(c.value(), "description");
                    if (auto t = StringList(c.value().value("tags", OrderedJson())))
                        col.tags = *t;
                    const OrderedJson constraints =
                            c.value().value("constraints", OrderedJson::array());
                    for (const auto& k : constraints) {
                        std::string type = Str(k, "type");
                        if (type == "not_null")
                            col.required = true;
                        if (type == "unique")
                            col.unique = true;
                        if (type == "primary_key")
                            col.primary_key = true;
                    }
                    port.columns.push_back(col);
                }
            }
            Mapped(r, f, "nodes." + id,
                   "outputs." + port.name + " of " + p.FullName() + " (" +
                           std::to_string(port.columns.size()) + " columns" +
                           (deprecation.empty() ? "" : ", deprecated from " + deprecation) + ")");
            if (!deprecation.empty() && port.description.find("Deprecated") == std::string::npos) {
                port.description += std::string(port.description.empty() ? "" : " ") +
                                    "Deprecated from " + deprecation + ".";
            }
            p.outputs.push_back(std::move(port));
            // ref() dependencies on other products become inputs.
            const OrderedJson deps = node->value("depends_on", OrderedJson::object())
                                             .value("nodes", OrderedJson::array());
            for (const auto& d : deps) {
                if (!d.is_string())
                    continue;
                std::string dep = d.get<std::string>();
                auto it = product_of_node.find(dep);
                if (it == product_of_node.end() || it->second == p.FullName() ||
                    inputs_seen.count(it->second))
                    continue;
                inputs_seen.insert(it->second);
                model::InputPort in;
                in.product = it->second;
                in.name = it->second.substr(it->second.find('.') + 1);
                p.inputs.push_back(in);
                Mapped(r, f, "nodes." + id + ".depends_on",
                       "spec.inputs." + in.name + " (product " + in.product + ")");
            }
        }
        std::string code = Str(*latest, "compiled_code");
        if (!code.empty() && p.outputs.size() == 1) {
            p.transform.sql = code;
            Mapped(r, f, "compiled_code",
                   "spec.transform.query (runs when it is DuckDB SQL over the inputs' names)");
        }
        OrderedJson ext;
        ext["project"] = project;
        if (!Str(*latest, "original_file_path").empty())
            ext["original_file_path"] = Str(*latest, "original_file_path");
        ext["materialized"] = Str(latest->value("config", OrderedJson::object()), "materialized");
        const OrderedJson deps = latest->value("depends_on", OrderedJson::object())
                                         .value("nodes", OrderedJson::array());
        if (!deps.empty())
            ext["depends_on"] = deps;
        SetExtension(&p.extensions, "x-dbt", ext);
        AddBuildScaffold(&p, project, r, f);
        r->products.push_back(std::move(p));
    }
    if (used_teams.count(default_team) && default_team == domain + "_team" &&
        !std::any_of(r->teams.begin(), r->teams.end(),
                     [&](const auto& t) { return t.name == default_team; })) {
        model::Team t;
        t.name = default_team;
        t.domain = domain;
        r->teams.push_back(t);
        Mapped(r, f, "(models without a group)", "Team " + default_team + " (generated)");
    }
    model::Domain d;
    d.name = domain;
    d.title = project;
    d.owner = r->teams.empty() ? default_team : r->teams.front().name;
    if (!existing_domain)
        r->domains.push_back(d);
    if (r->products.empty()) {
        Diagnostic w =
                doc.Error("/nodes", "no public model with an enforced contract: nothing to import");
        w.warning = true;
        r->diagnostics.push_back(w);
    }
    return true;
}

}  // namespace tessera::spec::internal
