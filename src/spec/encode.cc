// Canonical JSON and YAML of entities: the descriptor's own shape, fields in the order of
// docs/descriptors.md, defaults and empty values left out.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "spec/descriptor.h"

namespace tessera::spec {
namespace {

using Json = nlohmann::ordered_json;

void Put(Json& j, const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
}
void Put(Json& j, const char* key, const std::vector<std::string>& v) {
    if (!v.empty()) j[key] = v;
}
void Put(Json& j, const char* key, bool v) {
    if (v) j[key] = true;
}
void PutDuration(Json& j, const char* key, int64_t seconds) {
    if (seconds <= 0) return;
    static const std::pair<int64_t, const char*> kUnits[] = {{604800, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}};
    for (const auto& [unit, suffix] : kUnits) {
        if (seconds % unit == 0) {
            j[key] = std::to_string(seconds / unit) + suffix;
            return;
        }
    }
    j[key] = std::to_string(seconds) + "s";
}
void PutExtensions(Json& j, const model::Extensions& ext) {
    for (const auto& e : ext) j[e.key] = Json::parse(e.json);
}
void PutDeprecation(Json& j, const std::optional<model::Deprecation>& d) {
    if (!d) return;
    Json dep = Json::object();
    Put(dep, "since", d->since);
    dep["sunset"] = d->sunset;
    Put(dep, "reason", d->reason);
    Put(dep, "replacement", d->replacement);
    j["deprecated"] = dep;
}

Json Document(const char* kind, Json metadata, Json spec) {
    Json j;
    j["apiVersion"] = "tessera/v1";
    j["kind"] = kind;
    j["metadata"] = std::move(metadata);
    if (!spec.empty()) j["spec"] = std::move(spec);
    return j;
}

Json Encode(const model::Domain& d) {
    Json metadata, spec = Json::object();
    metadata["name"] = d.name;
    Put(metadata, "tags", d.tags);
    Put(spec, "title", d.title);
    Put(spec, "description", d.description);
    Put(spec, "owner", d.owner);
    Put(spec, "parent", d.parent);
    PutDuration(spec, "time_to_fix", d.time_to_fix_seconds);
    PutExtensions(spec, d.extensions);
    return Document("Domain", std::move(metadata), std::move(spec));
}

Json Encode(const model::Team& t) {
    Json metadata, spec = Json::object();
    metadata["name"] = t.name;
    Put(spec, "title", t.title);
    Put(spec, "description", t.description);
    Put(spec, "domain", t.domain);
    Json contact = Json::object();
    Put(contact, "email", t.contact.email);
    Put(contact, "chat", t.contact.chat);
    Put(contact, "url", t.contact.url);
    if (!contact.empty()) spec["contact"] = contact;
    for (const auto& m : t.members) {
        Json member;
        member["user"] = m.user;
        Put(member, "name", m.name);
        Put(member, "role", m.role);
        Put(member, "date_in", m.date_in);
        Put(member, "date_out", m.date_out);
        spec["members"].push_back(member);
    }
    PutExtensions(spec, t.extensions);
    return Document("Team", std::move(metadata), std::move(spec));
}

Json EncodeColumn(const model::Column& c) {
    Json j;
    j["name"] = c.name;
    j["type"] = c.type;
    Put(j, "title", c.title);
    Put(j, "description", c.description);
    Put(j, "required", c.required);
    Put(j, "unique", c.unique);
    Put(j, "primary_key", c.primary_key);
    Put(j, "classification", std::string(model::ClassificationName(c.classification)));
    if (c.mask != model::Mask::kNone) j["mask"] = model::MaskName(c.mask);
    Put(j, "tags", c.tags);
    Put(j, "glossary", c.glossary);
    Put(j, "accepted_values", c.accepted_values);
    if (c.min) j["min"] = *c.min;
    if (c.max) j["max"] = *c.max;
    Put(j, "examples", c.examples);
    PutDeprecation(j, c.deprecated);
    PutExtensions(j, c.extensions);
    return j;
}

Json EncodeCheck(const model::QualityCheck& q) {
    Json j;
    j["name"] = q.name;
    Put(j, "description", q.description);
    j["type"] = model::CheckTypeName(q.type);
    Put(j, "sql", q.sql);
    if (q.max_rows != 0) j["max_rows"] = q.max_rows;
    if (q.min) j["min"] = *q.min;
    if (q.max) j["max"] = *q.max;
    Put(j, "column", q.column);
    PutDuration(j, "max_age", q.max_age_seconds);
    Put(j, "dimension", q.dimension);
    if (q.severity != model::Severity::kError) j["severity"] = model::SeverityName(q.severity);
    PutExtensions(j, q.extensions);
    return j;
}

Json EncodeOutput(const model::OutputPort& o) {
    Json j;
    j["name"] = o.name;
    Put(j, "description", o.description);
    if (o.format != model::DataFormat::kParquet) j["format"] = model::DataFormatName(o.format);
    for (const auto& c : o.columns) j["columns"].push_back(EncodeColumn(c));
    for (const auto& q : o.quality) j["quality"].push_back(EncodeCheck(q));
    Json sla = Json::object();
    PutDuration(sla, "freshness", o.sla.freshness_seconds);
    PutDuration(sla, "retention", o.sla.retention_seconds);
    Put(sla, "availability", o.sla.availability);
    PutExtensions(sla, o.sla.extensions);
    if (!sla.empty()) j["sla"] = sla;
    PutDeprecation(j, o.deprecated);
    PutExtensions(j, o.extensions);
    return j;
}

Json EncodeInput(const model::InputPort& in) {
    Json j;
    j["name"] = in.name;
    Put(j, "description", in.description);
    if (in.IsProduct()) {
        j["product"] = in.port.empty() ? in.product : in.product + "." + in.port;
    } else {
        Put(j, "source", in.source);
        j["format"] = model::DataFormatName(in.format);
        Put(j, "path", in.path);
    }
    PutExtensions(j, in.extensions);
    return j;
}

Json Encode(const model::DataProduct& p) {
    Json metadata, spec = Json::object();
    metadata["domain"] = p.domain;
    metadata["name"] = p.name;
    metadata["version"] = p.version;
    metadata["owner"] = p.owner;
    Put(metadata, "tags", p.tags);
    Put(spec, "title", p.title);
    Put(spec, "description", p.description);
    spec["kind"] = model::ProductKindName(p.kind);
    if (p.status != model::LifecycleStatus::kActive) spec["status"] = model::LifecycleStatusName(p.status);
    for (const auto& in : p.inputs) spec["inputs"].push_back(EncodeInput(in));
    Json t = Json::object();
    Put(t, "sql", p.transform.sql_file);
    Put(t, "query", p.transform.sql);
    Put(t, "schedule", p.transform.schedule);
    if (p.transform.trigger != model::Trigger::kNone) t["trigger"] = model::TriggerName(p.transform.trigger);
    PutExtensions(t, p.transform.extensions);
    if (!t.empty()) spec["transform"] = t;
    for (const auto& o : p.outputs) spec["outputs"].push_back(EncodeOutput(o));
    PutExtensions(spec, p.extensions);
    return Document("DataProduct", std::move(metadata), std::move(spec));
}

Json Encode(const model::Policy& p) {
    Json metadata, spec = Json::object();
    metadata["name"] = p.name;
    Put(metadata, "domain", p.domain);
    Put(metadata, "group", p.group);
    Put(spec, "title", p.title);
    Put(spec, "rationale", p.rationale);
    spec["severity"] = model::PolicySeverityName(p.severity);
    spec["state"] = model::PolicyStateName(p.state);
    Put(spec, "enforce_from", p.enforce_from);
    Put(spec, "properties", p.properties);
    Put(spec, "sql", p.sql_file);
    Put(spec, "query", p.sql);
    Put(spec, "message", p.message);
    Put(spec, "remediation", p.remediation);
    if (p.timeout_ms > 0) PutDuration(spec, "timeout", p.timeout_ms / 1000);
    PutExtensions(spec, p.extensions);
    return Document("Policy", std::move(metadata), std::move(spec));
}

// True when a YAML 1.1 or 1.2 reader would resolve the plain scalar `s` to something other than a
// string: the implicit types of YAML 1.1 (https://yaml.org/type/: bool, null, int, float,
// timestamp, merge, value; what PyYAML and ajv-cli's reader use) and of the 1.2 core schema
// (0o17, 1e3, .inf). Such strings are written quoted so that every reader gets them back as text.
bool ReadAsOtherType(const std::string& s) {
    static const std::regex kTypes[] = {
            // bool (1.1) and null
            std::regex(R"(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)"),
            std::regex(R"(~|null|Null|NULL|)"),
            // int: binary, octal (1.1 and 1.2), decimal, hexadecimal, sexagesimal
            std::regex(R"([-+]?0b[0-1_]+|[-+]?0[0-7_]+|0o[0-7]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)"),
            std::regex(R"([-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)"),
            // float: 1.1 (a dot required), 1.2 core (1e3), sexagesimal, infinity, not-a-number
            std::regex(R"([-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+]?[0-9]+)?)"),
            std::regex(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"),
            std::regex(R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*)"),
            std::regex(R"([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))"),
            // timestamp: a date, or a date and time with optional fraction and zone
            std::regex(R"([0-9]{4}-[0-9]{2}-[0-9]{2})"),
            std::regex(R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?)"
                       R"(([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)"),
            // merge key and value key
            std::regex(R"(<<|=)"),
    };
    return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const std::regex& r) { return std::regex_match(s, r); });
}

void EmitYaml(YAML::Emitter& out, const Json& j) {
    switch (j.type()) {
        case Json::value_t::object:
            out << YAML::BeginMap;
            for (const auto& [k, v] : j.items()) {
                out << YAML::Key << k << YAML::Value;
                EmitYaml(out, v);
            }
            out << YAML::EndMap;
            break;
        case Json::value_t::array:
            out << YAML::BeginSeq;
            for (const auto& v : j) EmitYaml(out, v);
            out << YAML::EndSeq;
            break;
        case Json::value_t::string: {
            const std::string& s = j.get_ref<const std::string&>();
            // A literal block keeps exactly one final newline (clip chomping): other multi-line
            // strings are double-quoted so that they read back unchanged.
            bool literal_ok = s.size() > 1 && s.back() == '\n' && s[s.size() - 2] != '\n' && s.front() != ' ' &&
                              s.front() != '\n' && s.find('\r') == std::string::npos;
            if (s.find('\n') != std::string::npos && literal_ok) {
                out << YAML::Literal << s;
            } else if (s.find('\n') != std::string::npos) {
                out << YAML::DoubleQuoted << s;
            } else {
                // Quote strings YAML would read as another type (numbers, booleans, null) or that
                // hold indicators a plain scalar cannot.
                YAML::Node probe;
                try {
                    probe = YAML::Load(s);
                } catch (const YAML::Exception&) {
                    probe = YAML::Node();  // not YAML on its own (e.g. "a: b: c"): quote it
                }
                bool plain_ok = !s.empty() && probe.IsScalar() && probe.Scalar() == s &&
                                std::string("-?:,[]{}#&*!|>'\"%@`").find(s.front()) == std::string::npos &&
                                s.find(": ") == std::string::npos && s.find(" #") == std::string::npos &&
                                s.back() != ':' && s.front() != ' ' && s.back() != ' ';
                bool numeric = s.find_first_not_of("0123456789.-+eE_xo") == std::string::npos;
                if (plain_ok && !ReadAsOtherType(s) && !numeric) out << s;
                else out << YAML::DoubleQuoted << s;
            }
            break;
        }
        case Json::value_t::boolean: out << (j.get<bool>() ? "true" : "false"); break;
        case Json::value_t::null: out << YAML::Null; break;
        default: out << j.dump(); break;
    }
}

}  // namespace

std::string EncodeJson(const Entity& entity) {
    return std::visit([](const auto& e) { return Encode(e).dump(); }, entity);
}

std::string JsonToYaml(std::string_view json) {
    Json j = Json::parse(json, nullptr, false);
    if (j.is_discarded()) return std::string(json);
    YAML::Emitter out;
    out.SetIndent(2);
    EmitYaml(out, j);
    return std::string(out.c_str()) + "\n";
}

}  // namespace tessera::spec
