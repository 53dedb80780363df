// Data Contract Specification 1.2.x <-> DataProduct. Mapping table: docs/interop.md.

#include <set>

#include "spec/internal/converters.h"

namespace tessera::spec::internal {
namespace {

const char* kExt = "x-dcs";
const char* kNameExt = "x-dcs-name";  // the model's key when it is not a Tessera name

std::string Str(const OrderedJson& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Iso8601(int64_t seconds) {
    if (seconds % 86400 == 0)
        return "P" + std::to_string(seconds / 86400) + "D";
    if (seconds % 3600 == 0)
        return "PT" + std::to_string(seconds / 3600) + "H";
    return "PT" + std::to_string(seconds) + "S";
}

std::string Short(int64_t seconds) {
    if (seconds % 86400 == 0)
        return std::to_string(seconds / 86400) + "d";
    if (seconds % 3600 == 0)
        return std::to_string(seconds / 3600) + "h";
    if (seconds % 60 == 0)
        return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

OrderedJson FieldJson(const model::Column& c, OrderedJson rest) {
    if (rest.contains("type") && rest["type"].is_string() &&
        DcsDuckType(rest["type"].get<std::string>()) != c.type) {
        rest.erase("type");  // edited after import: the native type wins
    }
    OrderedJson n;
    n["type"] = DcsType(c.type);
    if (!c.title.empty())
        n["title"] = c.title;
    if (!c.description.empty())
        n["description"] = c.description;
    PutConstraints(c, &n);
    if (c.classification == model::Classification::kPii)
        n["pii"] = true;
    if (!c.accepted_values.empty())
        n["enum"] = c.accepted_values;
    if (c.min)
        n["minimum"] = *c.min;
    if (c.max)
        n["maximum"] = *c.max;
    if (!c.tags.empty())
        n["tags"] = c.tags;
    if (!c.examples.empty())
        n["examples"] = c.examples;
    return Overlay(std::move(rest), n);
}

bool IsImported(const model::QualityCheck& q) {
    return !GetExtension(q.extensions, kExt).is_null();
}

OrderedJson DcsRule(const model::QualityCheck& q, const std::string& port) {
    OrderedJson r = RuleFromCheck(q, port, false);
    r.erase("severity");
    r.erase("dimension");
    return r;
}

OrderedJson ModelJson(const model::OutputPort& port, OrderedJson rest) {
    OrderedJson n;
    if (!port.description.empty())
        n["description"] = port.description;
    n["type"] = "table";
    OrderedJson quality = rest.contains("quality") && rest["quality"].is_array()
                                  ? rest["quality"]
                                  : OrderedJson::array();
    for (const auto& q : port.quality) {
        if (!IsImported(q))
            quality.push_back(DcsRule(q, port.name));
    }
    rest.erase("quality");
    if (!quality.empty())
        n["quality"] = quality;
    return Overlay(std::move(rest), n);
}

OrderedJson InfoJson(const model::DataProduct& p, const model::Team* owner, OrderedJson rest) {
    OrderedJson n;
    n["title"] = p.title.empty() ? p.FullName() : p.title;
    n["version"] = p.version;
    n["status"] = model::LifecycleStatusName(p.status);
    if (!p.description.empty())
        n["description"] = p.description;
    n["owner"] = owner && !owner->title.empty() ? owner->title : p.owner;
    if (owner && (!owner->contact.email.empty() || !owner->contact.url.empty())) {
        OrderedJson contact;
        if (!owner->contact.email.empty())
            contact["email"] = owner->contact.email;
        if (!owner->contact.url.empty())
            contact["url"] = owner->contact.url;
        n["contact"] = contact;
    }
    return Overlay(std::move(rest), n);
}

OrderedJson ServiceLevelsJson(const model::Sla& sla) {
    OrderedJson n = OrderedJson::object();
    if (!sla.availability.empty())
        n["availability"] = {{"percentage", sla.availability}};
    if (sla.retention_seconds > 0)
        n["retention"] = {{"period", Iso8601(sla.retention_seconds)}};
    if (sla.freshness_seconds > 0)
        n["freshness"] = {{"threshold", Short(sla.freshness_seconds)}};
    return n;
}

OrderedJson ContractJson(const model::DataProduct& p, const model::Team* owner, OrderedJson rest) {
    OrderedJson n;
    n["dataContractSpecification"] = "1.2.1";
    n["id"] = p.FullName();
    OrderedJson info_rest = rest.contains("info") && rest["info"].is_object()
                                    ? rest["info"]
                                    : OrderedJson::object();
    rest.erase("info");
    n["info"] = InfoJson(p, owner, info_rest);
    if (!p.tags.empty())
        n["tags"] = p.tags;
    if (!p.outputs.empty()) {
        OrderedJson sl = ServiceLevelsJson(p.outputs.front().sla);
        if (!sl.empty())
            n["servicelevels"] = sl;
    }
    return Overlay(std::move(rest), n);
}



// The domain a Data Contract Specification document says (it has no domain field): `--domain`,
// else `info.domain`, else a tag `domain:NAME` (or `domain=NAME`), else the owner's name without
// a trailing "team" ("Checkout Team" -> checkout). `from` names the field it came from.
std::string DcsDomain(const OrderedJson& o, const ImportOptions& options, std::string* from) {
    if (!options.domain.empty()) {
        *from = "--domain";
        return options.domain;
    }
    const OrderedJson& info = o["info"];
    if (std::string d = SnakeCase(Str(info, "domain")); !d.empty()) {
        *from = "info.domain";
        return d;
    }
    if (o.contains("tags") && o["tags"].is_array()) {
        for (const auto& t : o["tags"]) {
            std::string tag = t.is_string() ? t.get<std::string>() : "";
            for (const char* prefix : {"domain:", "domain="}) {
                if (tag.rfind(prefix, 0) == 0 && !SnakeCase(tag.substr(7)).empty()) {
                    *from = "tags (" + tag + ")";
                    return SnakeCase(tag.substr(7));
                }
            }
        }
    }
    std::string owner = SnakeCase(Str(info, "owner"));
    for (const char* suffix : {"_team", "_squad"}) {
        std::string s(suffix);
        if (owner.size() > s.size() && owner.compare(owner.size() - s.size(), s.size(), s) == 0)
            owner.resize(owner.size() - s.size());
    }
    if (!owner.empty()) {
        *from = "info.owner";
        return owner;
    }
    return "";
}

}  // namespace

bool DcsToProduct(const StandardDocument& doc,
                  const ImportOptions& options,
                  ImportResult* r,
                  model::DataProduct* p,
                  model::Team* team) {
    const OrderedJson& o = doc.json;
    const std::string& f = doc.file;
    const OrderedJson& info_in = o["info"];
    std::string from;
    p->domain = DcsDomain(o, options, &from);
    if (p->domain.empty()) {
        r->diagnostics.push_back(doc.Error(
                "/info", "the contract says no domain (no info.domain, no tag \"domain:NAME\", no "
                         "info.owner): pass --domain"));
        return false;
    }
    Mapped(r, f, from, "metadata.domain = " + p->domain + DomainSource(from));
    // A readable name first: the title ("Orders Latest" -> orders_latest); the id (often a URN
    // or a UUID) only when there is no title.
    p->name = SnakeCase(Str(info_in, "title"));
    std::string name_from = "info.title";
    if (p->name.empty()) {
        p->name = SnakeCase(Str(o, "id"));
        name_from = "id";
    }
    if (p->name.empty()) {
        r->diagnostics.push_back(
                doc.Error("/id", "gives no name Tessera can use (expected letters or digits)"));
        return false;
    }
    Mapped(r, f, name_from, "metadata.name = " + p->name + " (x-dcs.id keeps the id)");
    OrderedJson rest = o;
    const OrderedJson& info = o["info"];
    p->title = Str(info, "title");
    p->description = Str(info, "description");
    std::string version = Str(info, "version");
    if (IsSemver(version))
        p->version = version;
    std::string status = Str(info, "status");
    static const std::pair<const char*, model::LifecycleStatus> kStatus[] = {
            {"proposed", model::LifecycleStatus::kProposed},
            {"draft", model::LifecycleStatus::kDraft},
            {"active", model::LifecycleStatus::kActive},
            {"deprecated", model::LifecycleStatus::kDeprecated},
            {"retired", model::LifecycleStatus::kRetired}};
    for (const auto& [name, v] : kStatus) {
        if (status == name)
            p->status = v;
    }
    Mapped(r, f, "info.title, info.version, info.description, info.status",
           "spec.title, metadata.version, spec.description, spec.status");
    std::string owner = Str(info, "owner");
    team->title = owner;
    team->name = SnakeCase(owner);  // empty: Import gives the domain's owner
    team->domain = p->domain;
    if (info.contains("contact") && info["contact"].is_object()) {
        team->contact.email = Str(info["contact"], "email");
        team->contact.url = Str(info["contact"], "url");
    }
    p->owner = team->name;
    if (!team->name.empty())
        Mapped(r, f, "info.owner", "Team " + team->name + " = metadata.owner");
    if (auto tags = StringList(o.value("tags", OrderedJson())))
        p->tags = *tags;

    model::Sla sla;
    if (o.contains("servicelevels") && o["servicelevels"].is_object()) {
        const auto& sl = o["servicelevels"];
        if (sl.contains("freshness")) {
            if (auto d = DurationSeconds(sl["freshness"].value("threshold", OrderedJson()), ""))
                sla.freshness_seconds = *d;
        }
        if (sl.contains("retention")) {
            if (auto d = DurationSeconds(sl["retention"].value("period", OrderedJson()), ""))
                sla.retention_seconds = *d;
        }
        if (sl.contains("availability"))
            sla.availability = Str(sl["availability"], "percentage");
        Mapped(r, f, "servicelevels",
               "outputs[].sla (freshness, retention, availability; x-dcs keeps them all)");
    }

    const OrderedJson definitions = o.value("definitions", OrderedJson::object());
    bool ok = true;
    if (o.contains("models") && o["models"].is_object() && !o["models"].empty()) {
        rest.erase("models");
        std::set<std::string> names;
        for (auto m = o["models"].begin(); m != o["models"].end(); ++m) {
            std::string mptr = "/models/" + m.key();
            model::OutputPort port;
            port.name = SnakeCase(m.key());
            if (port.name.empty())
                port.name = "model";
            while (names.count(port.name))
                port.name += "_2";
            names.insert(port.name);
            if (port.name != m.key())
                SetExtension(&port.extensions, kNameExt, OrderedJson(m.key()));
            const OrderedJson& mo = m.value();
            port.description = Str(mo, "description");
            port.sla = sla;
            Mapped(r, f, "models." + m.key(), "spec.outputs." + port.name);
            OrderedJson mrest = mo;
            mrest.erase("fields");
            if (mo.contains("fields") && mo["fields"].is_object()) {
                for (auto fl = mo["fields"].begin(); fl != mo["fields"].end(); ++fl) {
                    std::string fptr = mptr + "/fields/" + fl.key();
                    OrderedJson field = fl.value();
                    OrderedJson effective = field;
                    if (field.contains("$ref")) {
                        std::string ref =
                                field["$ref"].is_string() ? field["$ref"].get<std::string>() : "";
                        const std::string prefix = "#/definitions/";
                        if (ref.rfind(prefix, 0) != 0) {
                            r->diagnostics.push_back(
                                    doc.Error(fptr + "/$ref",
                                              "\"" + ref +
                                                      "\" cannot be resolved: only "
                                                      "#/definitions/NAME references are read"));
                            ok = false;
                            continue;
                        }
                        std::string def = ref.substr(prefix.size());
                        if (!definitions.contains(def)) {
                            r->diagnostics.push_back(
                                    doc.Error(fptr + "/$ref", "\"" + ref +
                                                                      "\" cannot be resolved: "
                                                                      "definitions has no \"" +
                                                                      def + "\""));
                            ok = false;
                            continue;
                        }
                        effective = definitions[def];
                        for (auto it = field.begin(); it != field.end(); ++it)
                            effective[it.key()] = it.value();
                    }
                    model::Column c;
                    c.name = fl.key();
                    c.type = DcsDuckType(Str(effective, "type"));
                    if (c.type.rfind("DECIMAL", 0) == 0 && effective.contains("precision") &&
                        effective["precision"].is_number_integer()) {
                        int64_t precision = effective["precision"].get<int64_t>();
                        int64_t scale =
                                effective.value("scale", OrderedJson(0)).is_number_integer()
                                        ? effective.value("scale", OrderedJson(0)).get<int64_t>()
                                        : 0;
                        if (precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision) {
                            c.type = "DECIMAL(" + std::to_string(precision) + "," +
                                     std::to_string(scale) + ")";
                        }
                    }
                    c.title = Str(effective, "title");
                    c.description = Str(effective, "description");
                    c.required = effective.value("required", false) == true;
                    c.unique = effective.value("unique", false) == true;
                    c.primary_key = effective.value("primaryKey", false) == true ||
                                    effective.value("primary", false) == true;
                    if (auto cl = ClassificationOf(Str(effective, "classification")))
                        c.classification = *cl;
                    else if (effective.value("pii", false) == true)
                        c.classification = model::Classification::kPii;
                    if (auto t = StringList(effective.value("tags", OrderedJson())))
                        c.tags = *t;
                    if (auto e = StringList(effective.value("examples", OrderedJson())))
                        c.examples = *e;
                    if (auto e = StringList(effective.value("enum", OrderedJson())))
                        c.accepted_values = *e;
                    if (effective.contains("minimum") && effective["minimum"].is_number())
                        c.min = effective["minimum"].get<double>();
                    if (effective.contains("maximum") && effective["maximum"].is_number())
                        c.max = effective["maximum"].get<double>();
                    OrderedJson frest = field;
                    FixRest(field, &frest, FieldJson(c, frest), {});
                    OrderedJson plain = FieldJson(c, OrderedJson::object());
                    for (auto it = plain.begin(); it != plain.end(); ++it) {
                        if (frest.contains(it.key()) && field.contains(it.key()) &&
                            frest[it.key()] == it.value() && it.key() != "type") {
                            frest.erase(it.key());
                        }
                    }
                    SetExtension(&c.extensions, kExt, frest);
                    Mapped(r, f, "models." + m.key() + ".fields." + fl.key(),
                           "outputs." + port.name + ".columns." + c.name + " (type " + c.type +
                                   (field.contains("$ref")
                                            ? ", resolved from " + field["$ref"].get<std::string>()
                                            : "") +
                                   ")");
                    if (field.contains("quality") && field["quality"].is_array()) {
                        ImportQualityRules(field["quality"], "models." + m.key() + ".fields." + fl.key(),
                                           c.name, kExt, &port, r, f);
                    }
                    port.columns.push_back(std::move(c));
                }
            }
            if (mo.contains("quality") && mo["quality"].is_array()) {
                ImportQualityRules(mo["quality"], "models." + m.key(), "", kExt, &port, r, f);
            }
            if (port.columns.empty()) {
                r->diagnostics.push_back(doc.Warning(
                        mptr, "declares no fields: port " + port.name +
                                      " has no columns; imported as a draft"));
            }
            FixRest(mo, &mrest, ModelJson(port, mrest), {"fields"});
            OrderedJson plain = ModelJson(port, OrderedJson::object());
            if (mrest.contains("description") && plain.value("description", OrderedJson()) ==
                                                         mo.value("description", OrderedJson())) {
                mrest.erase("description");
            }
            SetExtension(&port.extensions, kExt, mrest);
            p->outputs.push_back(std::move(port));
        }
    } else {
        r->diagnostics.push_back(doc.Warning(
                "/models",
                "the contract declares no models: the product has no output port; imported as a draft"));
    }
    if (!ok)
        return false;
    // info: its own level.
    OrderedJson info_rest = info;
    FixRest(info, &info_rest, InfoJson(*p, nullptr, info_rest), {});
    EraseRecovered(info, InfoJson(*p, nullptr, OrderedJson::object()), {"title", "version", "description", "status"},
                   &info_rest);
    rest["info"] = info_rest;
    FixRest(o, &rest, ContractJson(*p, nullptr, rest), {"models", "info"});
    if (rest.contains("tags") && o.contains("tags") && !p->tags.empty() &&
        rest["tags"] == o["tags"])
        rest.erase("tags");
    SetExtension(&p->extensions, kExt, rest);
    Mapped(r, f, "servers, terms, definitions, links, servicelevels, …", "x-dcs (kept verbatim)");
    return true;
}

Result<OrderedJson> DcsFromProduct(const model::DataProduct& p, const model::Team* owner) {
    OrderedJson rest = ExtensionObject(p.extensions, kExt);
    OrderedJson doc = ContractJson(p, owner, rest);
    if (!p.outputs.empty()) {
        OrderedJson models = OrderedJson::object();
        for (const auto& port : p.outputs) {
            OrderedJson mrest = ExtensionObject(port.extensions, kExt);
            OrderedJson m = ModelJson(port, mrest);
            OrderedJson fields = OrderedJson::object();
            for (const auto& c : port.columns) {
                OrderedJson frest = ExtensionObject(c.extensions, kExt);
                fields[c.name] = FieldJson(c, frest);
            }
            if (!fields.empty())
                m["fields"] = fields;
            OrderedJson key = GetExtension(port.extensions, kNameExt);
            models[key.is_string() ? key.get<std::string>() : port.name] = m;
        }
        doc["models"] = models;
    }
    TESSERA_RETURN_IF_ERROR(CheckExport(doc, rest,
                                        "datacontract-specification/datacontract.schema.json",
                                        "x-dcs", p.FullName()));
    return doc;
}

}  // namespace tessera::spec::internal
