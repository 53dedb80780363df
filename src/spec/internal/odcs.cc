// Open Data Contract Standard v3.0.x and v3.1.0 <-> DataProduct. Mapping table: docs/interop.md.

#include <set>

#include "spec/internal/converters.h"
#include "spec/internal/type_map.h"

namespace tessera::spec::internal {
namespace {

const char* kExt = "x-odcs";

std::optional<model::LifecycleStatus> StatusOf(const std::string& s) {
    static const model::LifecycleStatus kValues[] = {model::LifecycleStatus::kProposed, model::LifecycleStatus::kDraft,
                                                     model::LifecycleStatus::kActive, model::LifecycleStatus::kDeprecated,
                                                     model::LifecycleStatus::kRetired};
    return EnumByName(s, kValues, model::LifecycleStatusName);
}

// The DuckDB type of a property (type table: spec/internal/type_map.h). A logical `timestamp`
// carries a zone only when `logicalTypeOptions.timezone` is true (ODCS v3.1).
std::string PropertyType(const OrderedJson& pr) {
    auto str = [&](const char* k) {
        return pr.contains(k) && pr[k].is_string() ? pr[k].get<std::string>() : std::string();
    };
    std::string type = DuckTypeFor(str("physicalType"), str("logicalType"));
    if (type == "TIMESTAMP" && DuckTypeOf(TypeSystem::kSql, str("physicalType")).empty() &&
        pr.contains("logicalTypeOptions") && pr["logicalTypeOptions"].is_object() &&
        pr["logicalTypeOptions"].value("timezone", OrderedJson()) == true) {
        type = "TIMESTAMP WITH TIME ZONE";
    }
    return type;
}

bool IsImportedFrom(const model::QualityCheck& q, const char* ext) {
    return !GetExtension(q.extensions, ext).is_null();
}

// The property of a column, as export writes it.
OrderedJson PropertyJson(const model::Column& c, OrderedJson rest, bool v31) {
    if (rest.contains("physicalType") || rest.contains("logicalType")) {
        bool sentinel = (rest.contains("physicalType") && rest["physicalType"].is_null()) ||
                        (rest.contains("logicalType") && rest["logicalType"].is_null());
        if (!sentinel && PropertyType(rest) != c.type) {
            rest.erase("physicalType");  // the type was edited after import: the native one wins
            rest.erase("logicalType");
        }
    }
    OrderedJson n;
    n["name"] = c.name;
    if (!c.title.empty())
        n["businessName"] = c.title;
    if (!c.description.empty())
        n["description"] = c.description;
    n["logicalType"] = OdcsLogicalType(c.type);
    n["physicalType"] = c.type;
    PutConstraints(c, &n);
    if (!c.tags.empty())
        n["tags"] = c.tags;
    if (!c.examples.empty())
        n["examples"] = c.examples;
    std::string logical = n["logicalType"].get<std::string>();
    if (v31 && (c.min || c.max) && (logical == "integer" || logical == "number")) {
        OrderedJson opts;
        if (c.min)
            opts["minimum"] = *c.min;
        if (c.max)
            opts["maximum"] = *c.max;
        n["logicalTypeOptions"] = opts;
    }
    if (!c.accepted_values.empty()) {
        OrderedJson rule;
        rule["type"] = "library";
        rule[v31 ? "metric" : "rule"] = v31 ? "invalidValues" : "validValues";
        rule["arguments"] = {{"validValues", c.accepted_values}};
        rule["mustBe"] = 0;
        rule["description"] = "accepted values of " + c.name;
        n["quality"] = OrderedJson::array({rule});
    }
    if (c.mask != model::Mask::kNone) {
        n["customProperties"] = OrderedJson::array(
                {{{"property", "tesseraMask"}, {"value", model::MaskName(c.mask)}}});
    }
    return Overlay(std::move(rest), n);
}

OrderedJson SchemaObjectJson(const model::OutputPort& port, OrderedJson rest, bool v31) {
    OrderedJson n;
    n["name"] = port.name;
    n["physicalType"] = "table";
    if (!port.description.empty())
        n["description"] = port.description;
    OrderedJson quality = rest.contains("quality") && rest["quality"].is_array()
                                  ? rest["quality"]
                                  : OrderedJson::array();
    for (const auto& q : port.quality) {
        if (!IsImportedFrom(q, kExt))
            quality.push_back(RuleFromCheck(q, port.name, v31));
    }
    rest.erase("quality");
    if (!quality.empty())
        n["quality"] = quality;
    return Overlay(std::move(rest), n);
}

OrderedJson SlaJson(const model::Sla& sla) {
    OrderedJson list = OrderedJson::array();
    auto duration = [&](const char* property, int64_t seconds) {
        if (seconds <= 0)
            return;
        if (seconds % 86400 == 0)
            list.push_back({{"property", property}, {"value", seconds / 86400}, {"unit", "d"}});
        else if (seconds % 3600 == 0)
            list.push_back({{"property", property}, {"value", seconds / 3600}, {"unit", "h"}});
        else
            list.push_back({{"property", property}, {"value", seconds}, {"unit", "s"}});
    };
    duration("latency", sla.freshness_seconds);
    duration("retention", sla.retention_seconds);
    if (!sla.availability.empty())
        list.push_back({{"property", "availability"}, {"value", sla.availability}});
    return list;
}

OrderedJson ContractJson(const model::DataProduct& p, const model::Team* owner, OrderedJson rest) {
    std::string api = rest.contains("apiVersion") && rest["apiVersion"].is_string()
                              ? rest["apiVersion"].get<std::string>()
                              : "v3.1.0";
    bool v31 = api == "v3.1.0";
    OrderedJson n;
    n["apiVersion"] = api;
    n["kind"] = "DataContract";
    n["id"] = p.FullName();
    if (!p.title.empty())
        n["name"] = p.title;
    n["version"] = p.version;
    n["status"] = model::LifecycleStatusName(p.status);
    n["domain"] = p.domain;
    if (!p.tags.empty())
        n["tags"] = p.tags;
    PutPurpose(p.description, &rest, &n);
    if (owner) {
        if (v31) {
            n["team"] = TeamJson(*owner);
        } else if (OrderedJson members = MembersJson(*owner); !members.empty()) {
            n["team"] = members;
        }
    } else if (v31 && !p.owner.empty()) {
        n["team"] = {{"name", p.owner}};
    }
    if (!p.outputs.empty()) {
        OrderedJson sla = SlaJson(p.outputs.front().sla);
        if (!sla.empty())
            n["slaProperties"] = sla;
    }
    return Overlay(std::move(rest), n);
}

std::string Str(const OrderedJson& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

void FixRest(const OrderedJson& original,
             OrderedJson* rest,
             const OrderedJson& built,
             const std::vector<std::string>& skip) {
    if (!rest->is_object())
        *rest = OrderedJson::object();
    for (auto it = built.begin(); it != built.end(); ++it) {
        if (std::find(skip.begin(), skip.end(), it.key()) != skip.end())
            continue;
        if (!original.contains(it.key())) {
            (*rest)[it.key()] = nullptr;
        } else if (nlohmann::json::parse(original[it.key()].dump()) !=
                   nlohmann::json::parse(it.value().dump())) {
            (*rest)[it.key()] = original[it.key()];  // compared as data: key order does not matter
        }
    }
}

std::string OdcsSchemaFor(const std::string& api) {
    if (api == "v3.1.0")
        return "odcs/odcs-json-schema-v3.1.0.json";
    if (api == "v3.0.0" || api == "v3.0.1" || api == "v3.0.2")
        return "odcs/odcs-json-schema-v3.0.2.json";
    return "";
}

bool TeamFromStandard(const OrderedJson& team,
                      const OrderedJson& support,
                      const std::string& domain,
                      model::Team* out) {
    const OrderedJson* members = nullptr;
    if (team.is_object()) {
        out->title = Str(team, "name");
        out->name = SnakeCase(out->title);
        out->description = Str(team, "description");
        if (team.contains("members"))
            members = &team["members"];
    } else if (team.is_array()) {
        members = &team;
    } else {
        return false;
    }
    if (out->name.empty())
        out->name = domain + "_team";
    out->domain = domain;
    if (members && members->is_array()) {
        for (const auto& m : *members) {
            model::TeamMember tm;
            tm.user = Str(m, "username");
            tm.name = Str(m, "name");
            tm.role = Str(m, "role");
            tm.date_in = Str(m, "dateIn");
            tm.date_out = Str(m, "dateOut");
            if (!tm.user.empty())
                out->members.push_back(tm);
        }
    }
    if (support.is_array()) {
        for (const auto& s : support) {
            std::string tool = Str(s, "tool"), url = Str(s, "url"), channel = Str(s, "channel");
            if (tool == "email" && url.rfind("mailto:", 0) == 0 && out->contact.email.empty())
                out->contact.email = url.substr(7);
            else if ((tool == "slack" || tool == "teams") && out->contact.chat.empty())
                out->contact.chat = channel;
            else if (out->contact.url.empty() && url.rfind("http", 0) == 0)
                out->contact.url = url;
        }
    }
    return true;
}

bool OdcsToProduct(const StandardDocument& doc,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* p,
                   model::Team* team) {
    const OrderedJson& o = doc.json;
    OrderedJson rest = o;
    const std::string& f = doc.file;
    rest.erase("kind");

    std::string declared_domain = Str(o, "domain");
    p->domain = !options.domain.empty() ? options.domain : SnakeCase(declared_domain);
    if (p->domain.empty()) {
        r->diagnostics.push_back(doc.Error("", "the contract names no domain: pass --domain"));
        return false;
    }
    if (!model::IsLowerSnakeCase(p->domain)) {
        r->diagnostics.push_back(doc.Error(
                "/domain", "\"" + p->domain + "\" is not a valid domain name (lower snake case)"));
        return false;
    }
    Mapped(r, f, options.domain.empty() ? "domain" : "--domain",
           "metadata.domain = " + p->domain + DomainSource(options.domain.empty() ? "domain" : "--domain"));

    p->title = Str(o, "name");
    for (const char* key : {"name", "dataProduct", "id"}) {
        p->name = SnakeCase(Str(o, key));
        if (!p->name.empty()) {
            Mapped(r, f, key, "metadata.name = " + p->name);
            break;
        }
    }
    if (!p->title.empty())
        Mapped(r, f, "name", "spec.title");
    Mapped(r, f, "id", "x-odcs.id (export writes it back)");
    std::string version = Str(o, "version");
    if (IsSemver(version)) {
        p->version = version;
        Mapped(r, f, "version", "metadata.version");
    } else {
        Mapped(r, f, "version",
               "x-odcs.version (not semver; metadata.version stays " + p->version + ")");
    }
    if (auto s = StatusOf(Str(o, "status"))) {
        p->status = *s;
        Mapped(r, f, "status", "spec.status");
    } else {
        p->status = model::LifecycleStatus::kDraft;
        Mapped(r, f, "status",
               "x-odcs.status (\"" + Str(o, "status") +
                       "\" is not a lifecycle state; spec.status = draft)");
    }
    if (auto tags = StringList(o.value("tags", OrderedJson()))) {
        p->tags = *tags;
        Mapped(r, f, "tags", "metadata.tags");
    }
    if (o.contains("description") && o["description"].is_object()) {
        p->description = Str(o["description"], "purpose");
        if (!p->description.empty())
            Mapped(r, f, "description.purpose", "spec.description");
    }
    // No team: Import gives the product its domain's owner (or a new team for a new domain).
    if (TeamFromStandard(o.value("team", OrderedJson()), o.value("support", OrderedJson()),
                         p->domain, team)) {
        p->owner = team->name;
        Mapped(r, f, "team", "Team " + team->name + " = metadata.owner (x-odcs.team keeps the original)");
    }

    // slaProperties: copied into every port's sla; the list itself stays in x-odcs.
    model::Sla sla;
    if (o.contains("slaProperties") && o["slaProperties"].is_array()) {
        for (const auto& s : o["slaProperties"]) {
            std::string prop = Str(s, "property");
            OrderedJson value = s.value("value", OrderedJson());
            std::string unit = Str(s, "unit");
            if ((prop == "latency" || prop == "freshness") && sla.freshness_seconds == 0) {
                if (auto d = DurationSeconds(value, unit))
                    sla.freshness_seconds = *d;
            } else if (prop == "retention" && sla.retention_seconds == 0) {
                if (auto d = DurationSeconds(value, unit))
                    sla.retention_seconds = *d;
            } else if (prop == "availability" && value.is_string() && sla.availability.empty()) {
                sla.availability = value.get<std::string>();
            }
        }
        Mapped(r, f, "slaProperties",
               "outputs[].sla (latency -> freshness, retention, availability; x-odcs keeps the "
               "list)");
    }

    bool v31 = Str(o, "apiVersion") == "v3.1.0";
    if (o.contains("schema") && o["schema"].is_array() && !o["schema"].empty()) {
        rest.erase("schema");
        std::set<std::string> port_names;
        for (size_t i = 0; i < o["schema"].size(); ++i) {
            const OrderedJson& s = o["schema"][i];
            std::string ptr = "/schema/" + std::to_string(i);
            model::OutputPort port;
            port.name = SnakeCase(Str(s, "name"));
            if (port.name.empty())
                port.name = "port_" + std::to_string(i + 1);
            while (port_names.count(port.name))
                port.name += "_2";
            port_names.insert(port.name);
            port.description = Str(s, "description");
            port.sla = sla;
            OrderedJson srest = s;
            srest.erase("properties");
            Mapped(r, f, "schema[" + std::to_string(i) + "]", "spec.outputs." + port.name);
            if (s.contains("properties") && s["properties"].is_array()) {
                for (size_t j = 0; j < s["properties"].size(); ++j) {
                    const OrderedJson& pr = s["properties"][j];
                    std::string field = "schema[" + std::to_string(i) + "].properties[" +
                                        std::to_string(j) + "]";
                    model::Column c;
                    c.name = Str(pr, "name");
                    if (c.name.empty())
                        c.name = Str(pr, "physicalName");
                    if (c.name.empty())
                        c.name = "column_" + std::to_string(j + 1);
                    c.type = PropertyType(pr);
                    c.title = Str(pr, "businessName");
                    c.description = Str(pr, "description");
                    c.required = pr.value("required", false) == true;
                    c.unique = pr.value("unique", false) == true;
                    c.primary_key = pr.value("primaryKey", false) == true;
                    if (auto cl = ClassificationOf(Str(pr, "classification")))
                        c.classification = *cl;
                    if (auto t = StringList(pr.value("tags", OrderedJson())))
                        c.tags = *t;
                    if (auto e = StringList(pr.value("examples", OrderedJson())))
                        c.examples = *e;
                    OrderedJson crest = pr;
                    FixRest(pr, &crest, PropertyJson(c, crest, v31), {});
                    // Drop what the native column now carries exactly.
                    OrderedJson built_without = PropertyJson(c, OrderedJson::object(), v31);
                    for (auto it = built_without.begin(); it != built_without.end(); ++it) {
                        if (crest.contains(it.key()) && crest[it.key()] == it.value() &&
                            it.key() != "physicalType" && it.key() != "logicalType") {
                            crest.erase(it.key());
                        }
                    }
                    SetExtension(&c.extensions, kExt, crest);
                    Mapped(r, f, field,
                           "outputs." + port.name + ".columns." + c.name + " (type " + c.type +
                                   ")");
                    if (pr.contains("quality") && pr["quality"].is_array()) {
                        ImportQualityRules(pr["quality"], field, c.name, kExt, &port, r, f);
                    }
                    port.columns.push_back(std::move(c));
                }
            }
            if (port.columns.empty()) {
                r->diagnostics.push_back(doc.Warning(
                        ptr, "declares no properties: port " + port.name +
                                     " has no columns; imported as a draft"));
            }
            if (s.contains("quality") && s["quality"].is_array()) {
                ImportQualityRules(s["quality"], "schema[" + std::to_string(i) + "]", "", kExt, &port, r, f);
            }
            FixRest(s, &srest, SchemaObjectJson(port, srest, v31), {"properties"});
            EraseRecovered(s, SchemaObjectJson(port, OrderedJson::object(), v31), {"name", "description"}, &srest);
            SetExtension(&port.extensions, kExt, srest);
            p->outputs.push_back(std::move(port));
        }
    } else {
        r->diagnostics.push_back(doc.Warning(
                "/schema",
                "the contract declares no schema: the product has no output port; imported as a draft"));
    }
    FixRest(o, &rest, ContractJson(*p, nullptr, rest), {"schema"});
    // What the native product carries exactly needs no copy in x-odcs.
    OrderedJson plain =
            ContractJson(*p, nullptr, OrderedJson{{"apiVersion", Str(o, "apiVersion")}});
    DropRecoveredFields(o, plain, &rest);
    SetExtension(&p->extensions, kExt, rest);
    Mapped(r, f, "servers, roles, support, price, customProperties, authoritativeDefinitions, …",
           "x-odcs (kept verbatim)");
    return true;
}

Result<OrderedJson> OdcsFromProduct(const model::DataProduct& p, const model::Team* owner) {
    OrderedJson rest = ExtensionObject(p.extensions, kExt);
    OrderedJson doc = ContractJson(p, owner, rest);
    bool v31 = doc["apiVersion"] == "v3.1.0";
    if (!p.outputs.empty() || !doc.contains("schema")) {
        OrderedJson schema = OrderedJson::array();
        for (const auto& port : p.outputs) {
            OrderedJson srest = ExtensionObject(port.extensions, kExt);
            OrderedJson obj =
                    SchemaObjectJson(port, srest, v31);
            OrderedJson props = OrderedJson::array();
            for (const auto& c : port.columns) {
                OrderedJson crest = ExtensionObject(c.extensions, kExt);
                props.push_back(
                        PropertyJson(c, crest, v31));
            }
            if (!props.empty())
                obj["properties"] = props;
            schema.push_back(obj);
        }
        if (!schema.empty() || !doc.contains("schema"))
            doc["schema"] = schema;
    }
    std::string schema_name = OdcsSchemaFor(doc["apiVersion"].get<std::string>());
    if (schema_name.empty())
        return InvalidArgument("x-odcs.apiVersion: cannot export ODCS " + doc["apiVersion"].dump());
    TESSERA_RETURN_IF_ERROR(CheckExport(doc, rest, schema_name, "x-odcs", p.FullName()));
    return doc;
}

}  // namespace tessera::spec::internal
