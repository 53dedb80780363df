// Open Data Product Standard v1.0.0 <-> DataProduct. Mapping table: docs/interop.md.

#include <map>
#include <set>

#include "spec/internal/converters.h"

namespace tessera::spec::internal {
namespace {

const char* kExt = "x-odps";

std::string Str(const OrderedJson& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Major(const std::string& version) {
    return version.substr(0, version.find('.'));
}

OrderedJson PortJson(const model::DataProduct& p, const model::OutputPort& port, OrderedJson rest) {
    OrderedJson n;
    n["name"] = port.name;
    if (!port.description.empty())
        n["description"] = port.description;
    n["type"] = "tables";
    n["version"] = p.version;
    n["contractId"] = p.FullName();
    return Overlay(std::move(rest), n);
}

OrderedJson ProductJson(const model::DataProduct& p, const model::Team* owner, OrderedJson rest) {
    OrderedJson n;
    n["apiVersion"] = "v1.0.0";
    n["kind"] = "DataProduct";
    n["id"] = p.FullName();
    n["name"] = p.title.empty() ? p.name : p.title;
    n["version"] = p.version;
    n["status"] = model::LifecycleStatusName(p.status);
    n["domain"] = p.domain;
    if (!p.tags.empty())
        n["tags"] = p.tags;
    PutPurpose(p.description, &rest, &n);
    if (owner) {
        n["team"] = TeamJson(*owner);
    } else if (!p.owner.empty()) {
        n["team"] = {{"name", p.owner}};
    }
    return Overlay(std::move(rest), n);
}

}  // namespace

bool OdpsToProduct(const StandardDocument& doc,
                   const std::vector<const StandardDocument*>& contracts,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* p,
                   model::Team* team) {
    const OrderedJson& o = doc.json;
    const std::string& f = doc.file;
    OrderedJson rest = o;
    rest.erase("kind");
    p->domain = !options.domain.empty() ? options.domain : SnakeCase(Str(o, "domain"));
    if (p->domain.empty()) {
        r->diagnostics.push_back(doc.Error("", "the product names no domain: pass --domain"));
        return false;
    }
    p->title = Str(o, "name");
    p->name = SnakeCase(p->title);
    if (p->name.empty())
        p->name = SnakeCase(Str(o, "id"));
    Mapped(r, f, options.domain.empty() ? "domain" : "--domain",
           "metadata.domain = " + p->domain + DomainSource(options.domain.empty() ? "domain" : "--domain"));
    Mapped(r, f, p->title.empty() ? "id" : "name", "metadata.name = " + p->name + ", spec.title");
    if (IsSemver(Str(o, "version")))
        p->version = Str(o, "version");
    static const std::pair<const char*, model::LifecycleStatus> kStatus[] = {
            {"proposed", model::LifecycleStatus::kProposed},
            {"draft", model::LifecycleStatus::kDraft},
            {"active", model::LifecycleStatus::kActive},
            {"deprecated", model::LifecycleStatus::kDeprecated},
            {"retired", model::LifecycleStatus::kRetired}};
    for (const auto& [name, v] : kStatus) {
        if (Str(o, "status") == name)
            p->status = v;
    }
    if (auto tags = StringList(o.value("tags", OrderedJson())))
        p->tags = *tags;
    if (o.contains("description") && o["description"].is_object())
        p->description = Str(o["description"], "purpose");
    // No team: Import gives the product its domain's owner (or a new team for a new domain).
    if (TeamFromStandard(o.value("team", OrderedJson()), o.value("support", OrderedJson()),
                         p->domain, team)) {
        p->owner = team->name;
        Mapped(r, f, "team", "Team " + team->name + " = metadata.owner");
    }

    if (o.contains("outputPorts") && o["outputPorts"].is_array() && !o["outputPorts"].empty()) {
        rest.erase("outputPorts");
        // A new major version of a port is a new port: name_v<major> when one name has several
        // majors.
        std::map<std::string, std::set<std::string>> majors;
        for (const auto& port : o["outputPorts"])
            majors[SnakeCase(Str(port, "name"))].insert(Major(Str(port, "version")));
        std::set<std::string> names;
        for (size_t i = 0; i < o["outputPorts"].size(); ++i) {
            const OrderedJson& op = o["outputPorts"][i];
            std::string at = "outputPorts[" + std::to_string(i) + "]";
            model::OutputPort port;
            std::string base = SnakeCase(Str(op, "name"));
            if (base.empty())
                base = "port";
            std::string major = Major(Str(op, "version"));
            if (major.empty() || major.find_first_not_of("0123456789") != std::string::npos)
                major = SnakeCase(major);
            port.name = majors[base].size() > 1 ? base + "_v" + major : base;
            while (names.count(port.name))
                port.name += "_2";
            names.insert(port.name);
            port.description = Str(op, "description");
            std::string contract_id = Str(op, "contractId");
            const StandardDocument* contract = nullptr;
            for (const auto* c : contracts) {
                if (Str(c->json, "id") == contract_id)
                    contract = c;
            }
            if (contract) {
                model::DataProduct from_contract;
                model::Team unused;
                ImportResult scratch;
                ImportOptions o2 = options;
                o2.domain = p->domain;
                if (OdcsToProduct(*contract, o2, &scratch, &from_contract, &unused) &&
                    !from_contract.outputs.empty()) {
                    const model::OutputPort& src = from_contract.outputs.front();
                    port.columns = src.columns;
                    port.quality = src.quality;
                    port.sla = src.sla;
                    Mapped(r, f, at,
                           "spec.outputs." + port.name + " (columns and checks from contract " +
                                   contract_id + ", " + contract->file + ")");
                }
            } else {
                Mapped(r, f, at,
                       "spec.outputs." + port.name + " (contract " + contract_id +
                               " not given: no columns)");
                r->diagnostics.push_back(doc.Warning(
                        "/outputPorts/" + std::to_string(i) + "/contractId",
                        "contract \"" + contract_id + "\" is not among the given files: port " +
                                port.name + " has no columns (imported as a draft); pass the ODCS file too"));
            }
            OrderedJson prest = op;
            FixRest(op, &prest, PortJson(*p, port, prest), {});
            OrderedJson plain = PortJson(*p, port, OrderedJson::object());
            for (const char* key : {"name", "description"}) {
                if (prest.contains(key) && op.contains(key) &&
                    plain.value(key, OrderedJson()) == op[key])
                    prest.erase(key);
            }
            SetExtension(&port.extensions, kExt, prest);
            p->outputs.push_back(std::move(port));
        }
    } else {
        r->diagnostics.push_back(doc.Warning(
                "/outputPorts",
                "the product declares no output ports; imported as a draft"));
    }
    if (o.contains("inputPorts")) {
        Mapped(r, f, "inputPorts",
               "x-odps.inputPorts (contract ids name no Tessera product: declare spec.inputs after "
               "import)");
    }
    FixRest(o, &rest, ProductJson(*p, nullptr, rest), {"outputPorts"});
    OrderedJson plain = ProductJson(*p, nullptr, OrderedJson::object());
    DropRecoveredFields(o, plain, &rest);
    SetExtension(&p->extensions, kExt, rest);
    Mapped(r, f, "inputPorts, managementPorts, support, customProperties, …",
           "x-odps (kept verbatim)");
    return true;
}

Result<OrderedJson> OdpsFromProduct(const model::DataProduct& p, const model::Team* owner) {
    OrderedJson rest = ExtensionObject(p.extensions, kExt);
    OrderedJson doc = ProductJson(p, owner, rest);
    if (!p.outputs.empty()) {
        OrderedJson ports = OrderedJson::array();
        for (const auto& port : p.outputs) {
            OrderedJson prest = ExtensionObject(port.extensions, kExt);
            ports.push_back(PortJson(p, port, prest));
        }
        doc["outputPorts"] = ports;
    }
    TESSERA_RETURN_IF_ERROR(
            CheckExport(doc, rest, "odps/odps-json-schema-v1.0.0.json", "x-odps", p.FullName()));
    return doc;
}

}  // namespace tessera::spec::internal
