// Export formats that are not a standard's document: JSON Schema, SQL DDL, dbt YAML, Markdown.

#include <sstream>

#include "model/address.h"
#include "spec/descriptor.h"
#include "spec/internal/converters.h"

namespace tessera::spec::internal {
namespace {

std::string Yaml(const OrderedJson& j) {
    return JsonToYaml(j.dump());
}

std::string PostgresType(const std::string& duck) {
    if (duck == "DOUBLE")
        return "DOUBLE PRECISION";
    if (duck == "FLOAT")
        return "REAL";
    if (duck == "TINYINT")
        return "SMALLINT";
    if (duck == "HUGEINT" || duck == "UBIGINT")
        return "NUMERIC(39,0)";
    if (duck == "UINTEGER")
        return "BIGINT";
    if (duck == "USMALLINT" || duck == "UTINYINT")
        return "INTEGER";
    if (duck == "BLOB")
        return "BYTEA";
    if (duck == "JSON")
        return "JSONB";
    if (duck == "TIMESTAMP WITH TIME ZONE")
        return "TIMESTAMPTZ";
    if (duck.rfind("TIMESTAMP", 0) == 0)
        return "TIMESTAMP";
    if (duck.find('[') != std::string::npos)
        return PostgresType(duck.substr(0, duck.find('['))) + "[]";
    if (duck.rfind("STRUCT", 0) == 0 || duck.rfind("MAP", 0) == 0)
        return "JSONB";
    return duck;
}

}  // namespace

std::string JsonSchemaOf(const model::DataProduct& p) {
    OrderedJson root;
    root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
    root["$id"] = model::Address{p.domain, p.name, ""}.ToUrn();
    root["title"] = p.title.empty() ? p.FullName() : p.title;
    if (!p.description.empty())
        root["description"] = p.description;
    OrderedJson defs = OrderedJson::object();
    for (const auto& port : p.outputs) {
        OrderedJson obj;
        obj["type"] = "object";
        if (!port.description.empty())
            obj["description"] = port.description;
        OrderedJson props = OrderedJson::object();
        OrderedJson required = OrderedJson::array();
        for (const auto& c : port.columns) {
            auto [type, format] = JsonSchemaType(c.type);
            OrderedJson s;
            if (c.required || c.primary_key)
                s["type"] = type;
            else
                s["type"] = {type, "null"};
            if (!format.empty())
                s["format"] = format;
            if (!c.title.empty())
                s["title"] = c.title;
            if (!c.description.empty())
                s["description"] = c.description;
            if (!c.accepted_values.empty()) {
                OrderedJson values = OrderedJson::array();
                for (const auto& v : c.accepted_values) {
                    if (type == "integer" || type == "number") {
                        try {
                            values.push_back(type == "integer" ? OrderedJson(std::stoll(v))
                                                               : OrderedJson(std::stod(v)));
                            continue;
                        } catch (const std::exception&) {
                        }
                    }
                    values.push_back(v);
                }
                if (!(c.required || c.primary_key))
                    values.push_back(nullptr);
                s["enum"] = values;
            }
            if (c.min)
                s["minimum"] = *c.min;
            if (c.max)
                s["maximum"] = *c.max;
            if (!c.examples.empty())
                s["examples"] = c.examples;
            s["x-duckdb-type"] = c.type;
            props[c.name] = s;
            if (c.required || c.primary_key)
                required.push_back(c.name);
        }
        obj["properties"] = props;
        if (!required.empty())
            obj["required"] = required;
        obj["additionalProperties"] = false;
        defs[port.name] = obj;
    }
    if (p.outputs.size() == 1) {
        OrderedJson only = defs[p.outputs.front().name];
        for (auto it = only.begin(); it != only.end(); ++it)
            root[it.key()] = it.value();
    } else {
        root["$defs"] = defs;
        OrderedJson any = OrderedJson::array();
        for (const auto& port : p.outputs)
            any.push_back({{"$ref", "#/$defs/" + port.name}});
        root["oneOf"] = any;
    }
    return root.dump(2) + "\n";
}

std::string SqlDdlOf(const model::DataProduct& p, SqlDialect dialect) {
    std::ostringstream out;
    std::string dialect_name = dialect == SqlDialect::kPostgres ? "PostgreSQL" : "DuckDB";
    out << "-- " << p.FullName() << " " << p.version << ": tables of its output ports ("
        << dialect_name << ")\n";
    out << "CREATE SCHEMA IF NOT EXISTS " << SqlIdentifier(p.domain) << ";\n";
    for (const auto& port : p.outputs) {
        std::string table =
                SqlIdentifier(p.domain) + "." +
                SqlIdentifier(p.outputs.size() == 1 ? p.name : p.name + "__" + port.name);
        out << "\nCREATE TABLE " << table << " (\n";
        std::vector<std::string> keys;
        for (size_t i = 0; i < port.columns.size(); ++i) {
            const auto& c = port.columns[i];
            std::string type = dialect == SqlDialect::kPostgres ? PostgresType(c.type) : c.type;
            out << "    " << SqlIdentifier(c.name) << " " << type;
            if (c.required || c.primary_key)
                out << " NOT NULL";
            if (c.unique && !c.primary_key)
                out << " UNIQUE";
            if (!c.accepted_values.empty()) {
                out << " CHECK (" << SqlIdentifier(c.name) << " IN (";
                for (size_t k = 0; k < c.accepted_values.size(); ++k) {
                    out << (k ? ", " : "") << SqlLiteral(c.accepted_values[k]);
                }
                out << "))";
            }
            if (c.min || c.max) {
                out << " CHECK (";
                if (c.min)
                    out << SqlIdentifier(c.name) << " >= " << OrderedJson(*c.min).dump();
                if (c.min && c.max)
                    out << " AND ";
                if (c.max)
                    out << SqlIdentifier(c.name) << " <= " << OrderedJson(*c.max).dump();
                out << ")";
            }
            if (c.primary_key)
                keys.push_back(SqlIdentifier(c.name));
            bool last = i + 1 == port.columns.size() && keys.empty();
            out << (last ? "\n" : ",\n");
        }
        if (!keys.empty()) {
            out << "    PRIMARY KEY (";
            for (size_t k = 0; k < keys.size(); ++k)
                out << (k ? ", " : "") << keys[k];
            out << ")\n";
        }
        out << ");\n";
        std::string desc = port.description.empty() ? p.description : port.description;
        if (!desc.empty())
            out << "COMMENT ON TABLE " << table << " IS " << SqlLiteral(desc) << ";\n";
        for (const auto& c : port.columns) {
            if (!c.description.empty()) {
                out << "COMMENT ON COLUMN " << table << "." << SqlIdentifier(c.name) << " IS "
                    << SqlLiteral(c.description) << ";\n";
            }
        }
    }
    return out.str();
}

std::string DbtYamlOf(const model::DataProduct& p) {
    OrderedJson root;
    root["version"] = 2;
    OrderedJson models = OrderedJson::array();
    for (const auto& port : p.outputs) {
        OrderedJson m;
        m["name"] = p.outputs.size() == 1 ? p.name : p.name + "__" + port.name;
        std::string desc = port.description.empty() ? p.description : port.description;
        if (!desc.empty())
            m["description"] = desc;
        m["access"] = "public";
        m["group"] = p.owner;
        m["config"] = {{"contract", {{"enforced", true}}}, {"materialized", "table"}};
        if (!p.tags.empty())
            m["config"]["tags"] = p.tags;
        OrderedJson cols = OrderedJson::array();
        for (const auto& c : port.columns) {
            OrderedJson col;
            col["name"] = c.name;
            col["data_type"] = c.type;
            if (!c.description.empty())
                col["description"] = c.description;
            OrderedJson constraints = OrderedJson::array();
            if (c.required || c.primary_key)
                constraints.push_back({{"type", "not_null"}});
            if (c.primary_key)
                constraints.push_back({{"type", "primary_key"}});
            else if (c.unique)
                constraints.push_back({{"type", "unique"}});
            if (!constraints.empty())
                col["constraints"] = constraints;
            OrderedJson tests = OrderedJson::array();
            if (!c.accepted_values.empty())
                tests.push_back({{"accepted_values", {{"values", c.accepted_values}}}});
            if (!tests.empty())
                col["data_tests"] = tests;
            if (c.classification != model::Classification::kUnset) {
                col["meta"] = {{"classification", model::ClassificationName(c.classification)}};
            }
            cols.push_back(col);
        }
        m["columns"] = cols;
        models.push_back(m);
    }
    root["models"] = models;
    OrderedJson groups = OrderedJson::array();
    groups.push_back({{"name", p.owner}, {"owner", {{"name", p.owner}}}});
    root["groups"] = groups;
    // Inputs that read files are dbt sources.
    OrderedJson sources = OrderedJson::array();
    for (const auto& in : p.inputs) {
        if (in.IsProduct())
            continue;
        sources.push_back(
                {{"name", in.source},
                 {"tables",
                  OrderedJson::array({{{"name", in.name},
                                       {"meta",
                                        {{"path", in.path},
                                         {"format", model::DataFormatName(in.format)}}}}})}});
    }
    if (!sources.empty())
        root["sources"] = sources;
    return "# dbt schema YAML for " + p.FullName() + " (exported by tessera)\n" + Yaml(root);
}

std::string MarkdownOf(const model::DataProduct& p, const model::Team* owner) {
    std::ostringstream out;
    auto cell = [](std::string s) {
        for (size_t i = s.find('|'); i != std::string::npos; i = s.find('|', i + 2))
            s.replace(i, 1, "\\|");
        for (char& c : s) {
            if (c == '\n')
                c = ' ';
        }
        return s;
    };
    out << "# " << (p.title.empty() ? p.FullName() : p.title) << "\n\n";
    out << "`" << p.FullName() << "` version " << p.version << " · "
        << model::ProductKindName(p.kind) << " · " << model::LifecycleStatusName(p.status)
        << " · owned by " << (owner && !owner->title.empty() ? owner->title : p.owner) << "\n\n";
    if (!p.description.empty())
        out << p.description << "\n\n";
    if (!p.tags.empty()) {
        out << "Tags:";
        for (const auto& t : p.tags)
            out << " `" << t << "`";
        out << "\n\n";
    }
    if (!p.inputs.empty()) {
        out << "## Inputs\n\n";
        for (const auto& in : p.inputs) {
            out << "- `" << in.name << "`: "
                << (in.IsProduct() ? "product `" + in.product +
                                             (in.port.empty() ? "" : "." + in.port) + "`"
                                   : "files `" + in.path + "` from " + in.source)
                << "\n";
        }
        out << "\n";
    }
    for (const auto& port : p.outputs) {
        out << "## Output port `" << port.name << "`\n\n";
        if (!port.description.empty())
            out << port.description << "\n\n";
        out << "| column | type | required | unique | classification | description |\n";
        out << "|---|---|---|---|---|---|\n";
        for (const auto& c : port.columns) {
            out << "| `" << c.name << "`" << (c.primary_key ? " (key)" : "") << " | " << c.type
                << " | " << (c.required || c.primary_key ? "yes" : "") << " | "
                << (c.unique || c.primary_key ? "yes" : "") << " | "
                << model::ClassificationName(c.classification)
                << (c.mask != model::Mask::kNone
                            ? " (mask " + std::string(model::MaskName(c.mask)) + ")"
                            : "")
                << " | " << cell(c.description) << " |\n";
        }
        out << "\n";
        if (!port.quality.empty()) {
            out << "Quality checks:\n\n";
            for (const auto& q : port.quality) {
                out << "- `" << q.name << "` (" << model::CheckTypeName(q.type) << ", "
                    << model::SeverityName(q.severity) << ")"
                    << (q.description.empty() ? "" : ": " + cell(q.description)) << "\n";
            }
            out << "\n";
        }
        if (port.sla.freshness_seconds || port.sla.retention_seconds ||
            !port.sla.availability.empty()) {
            out << "SLA:";
            if (port.sla.freshness_seconds)
                out << " freshness " << port.sla.freshness_seconds / 3600 << " h;";
            if (port.sla.retention_seconds)
                out << " retention " << port.sla.retention_seconds / 86400 << " d;";
            if (!port.sla.availability.empty())
                out << " availability " << port.sla.availability << ";";
            out << "\n\n";
        }
    }
    return out.str();
}

}  // namespace tessera::spec::internal
