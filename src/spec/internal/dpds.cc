// Data Product Descriptor Specification 1.0.0 -> DataProduct (import only, best effort).

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

// The first list of column-like objects (with a name and a type) under `node`: DPDS leaves the
// API definition's format open (OpenAPI, AsyncAPI, a DataStoreAPI with tables and columns).
const OrderedJson* FindColumns(const OrderedJson& node, int depth = 0) {
    if (depth > 12)
        return nullptr;
    if (node.is_object()) {
        for (const char* key : {"columns", "fields"}) {
            auto it = node.find(key);
            if (it != node.end() && it->is_array() && !it->empty() && (*it)[0].is_object() &&
                (*it)[0].contains("name")) {
                return &*it;
            }
        }
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (const auto* found = FindColumns(*it, depth + 1))
                return found;
        }
    } else if (node.is_array()) {
        for (const auto& item : node) {
            if (const auto* found = FindColumns(item, depth + 1))
                return found;
        }
    }
    return nullptr;
}

}  // namespace

bool DpdsToProduct(const StandardDocument& doc,
                   const ImportOptions& options,
                   ImportResult* r,
                   model::DataProduct* p,
                   model::Team* team) {
    const OrderedJson& o = doc.json;
    const std::string& f = doc.file;
    const OrderedJson& info = o["info"];
    p->domain = !options.domain.empty() ? options.domain : SnakeCase(Str(info, "domain"));
    if (p->domain.empty()) {
        r->diagnostics.push_back(
                doc.Error("/info", "the descriptor names no domain: pass --domain"));
        return false;
    }
    p->name = SnakeCase(Str(info, "name"));
    if (p->name.empty()) {
        r->diagnostics.push_back(doc.Error("/info/name", "missing: the product needs a name"));
        return false;
    }
    p->title = Str(info, "displayName");
    p->description = Str(info, "description");
    if (IsSemver(Str(info, "version")))
        p->version = Str(info, "version");
    Mapped(r, f, "info.domain, info.name, info.displayName, info.description, info.version",
           "metadata.domain, metadata.name, spec.title, spec.description, metadata.version");
    team->name = p->domain + "_team";
    team->domain = p->domain;
    if (info.contains("owner") && info["owner"].is_object()) {
        model::TeamMember m;
        m.user = Str(info["owner"], "id");
        m.name = Str(info["owner"], "name");
        m.role = "owner";
        if (!m.user.empty())
            team->members.push_back(m);
    }
    p->owner = team->name;
    Mapped(r, f, "info.owner", "Team " + team->name + " (owner as a member)");
    const OrderedJson& ic = o["interfaceComponents"];
    std::set<std::string> names;
    if (ic.contains("outputPorts") && ic["outputPorts"].is_array()) {
        for (size_t i = 0; i < ic["outputPorts"].size(); ++i) {
            const OrderedJson& op = ic["outputPorts"][i];
            std::string at = "interfaceComponents.outputPorts[" + std::to_string(i) + "]";
            model::OutputPort port;
            port.name = SnakeCase(Str(op, "name"));
            if (port.name.empty())
                port.name = "port_" + std::to_string(i + 1);
            while (names.count(port.name))
                port.name += "_2";
            names.insert(port.name);
            port.description = Str(op, "description");
            const OrderedJson promises = op.value("promises", OrderedJson());
            if (const OrderedJson* cols = FindColumns(promises)) {
                for (const auto& c : *cols) {
                    model::Column col;
                    col.name = Str(c, "name");
                    if (col.name.empty())
                        continue;
                    std::string type = Str(c, "type");
                    if (type.empty())
                        type = Str(c, "dataType");
                    col.type = DuckTypeFor(type, type);
                    col.description = Str(c, "description");
                    col.required = c.value("required", false) == true ||
                                   c.value("nullable", true) == false;
                    port.columns.push_back(col);
                }
                Mapped(r, f, at,
                       "spec.outputs." + port.name + " (" + std::to_string(port.columns.size()) +
                               " columns from promises.api.definition)");
            } else {
                Mapped(r, f, at,
                       "spec.outputs." + port.name +
                               " (no columns found in promises.api.definition)");
                r->diagnostics.push_back(doc.Warning("/interfaceComponents/outputPorts/" + std::to_string(i),
                                  "no columns in promises.api.definition: port " + port.name +
                                          " has none; add them before `tessera validate`"));
            }
            SetExtension(&port.extensions, "x-dpds", op);
            p->outputs.push_back(std::move(port));
        }
    }
    if (p->outputs.empty()) {
        r->diagnostics.push_back(doc.Warning("/interfaceComponents/outputPorts",
                                 "no output ports; imported as a draft"));
    }
    OrderedJson rest = o;
    if (rest["interfaceComponents"].is_object())
        rest["interfaceComponents"].erase("outputPorts");
    SetExtension(&p->extensions, "x-dpds", rest);
    Mapped(r, f,
           "inputPorts, discoveryPorts, observabilityPorts, controlPorts, internalComponents, …",
           "x-dpds (kept verbatim; DPDS is imported, not exported)");
    return true;
}

}  // namespace tessera::spec::internal
