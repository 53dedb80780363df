#include "spec/internal/interop_common.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "spec/internal/duckdb_type.h"
#include "spec/internal/type_map.h"

namespace tessera::spec::internal {

std::string SnakeCase(std::string_view text) {
    std::string out;
    bool underscore = false;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        bool lower_before = i > 0 && std::islower(static_cast<unsigned char>(text[i - 1]));
        if (std::isalnum(c)) {
            if (std::isupper(c) && lower_before && !out.empty())
                underscore = true;  // camelCase
            if (underscore && !out.empty())
                out += '_';
            underscore = false;
            out += static_cast<char>(std::tolower(c));
        } else {
            underscore = true;
        }
    }
    if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0])))
        out = "n_" + out;
    if (out.size() > 63)
        out.resize(63);
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out;
}

bool IsSemver(std::string_view v) {
    size_t i = 0;
    for (int part = 0; part < 3; ++part) {
        size_t start = i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
            ++i;
        if (i == start)
            return false;
        if (i - start > 1 && v[start] == '0')
            return false;
        if (part < 2) {
            if (i >= v.size() || v[i] != '.')
                return false;
            ++i;
        }
    }
    if (i == v.size())
        return true;
    if (v[i] != '-' && v[i] != '+')
        return false;
    for (++i; i < v.size(); ++i) {
        char c = v[i];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'))
            return false;
    }
    return true;
}

OrderedJson GetExtension(const model::Extensions& ext, std::string_view key) {
    for (const auto& e : ext) {
        if (e.key == key)
            return OrderedJson::parse(e.json);
    }
    return nullptr;
}

void SetExtension(model::Extensions* ext, std::string_view key, const OrderedJson& value) {
    ext->erase(
            std::remove_if(ext->begin(), ext->end(), [&](const auto& e) { return e.key == key; }),
            ext->end());
    if (value.is_null() || (value.is_object() && value.empty()))
        return;
    ext->push_back({std::string(key), value.dump()});
}

OrderedJson ExtensionObject(const model::Extensions& ext, std::string_view key) {
    OrderedJson v = GetExtension(ext, key);
    return v.is_object() ? v : OrderedJson::object();
}

void PutPurpose(const std::string& description, OrderedJson* rest, OrderedJson* n) {
    if (rest->contains("description") && (*rest)["description"].is_object()) {
        OrderedJson d = (*rest)["description"];
        if (!description.empty())
            d["purpose"] = description;
        rest->erase("description");
        if (!d.empty())
            (*n)["description"] = d;
    } else if (!description.empty() && !rest->contains("description")) {
        (*n)["description"] = {{"purpose", description}};
    }
}

OrderedJson MembersJson(const model::Team& team) {
    OrderedJson members = OrderedJson::array();
    for (const auto& m : team.members) {
        OrderedJson j{{"username", m.user}};
        if (!m.name.empty())
            j["name"] = m.name;
        if (!m.role.empty())
            j["role"] = m.role;
        if (!m.date_in.empty())
            j["dateIn"] = m.date_in;
        if (!m.date_out.empty())
            j["dateOut"] = m.date_out;
        members.push_back(j);
    }
    return members;
}

OrderedJson TeamJson(const model::Team& team) {
    OrderedJson t{{"name", team.name}};
    if (!team.description.empty())
        t["description"] = team.description;
    if (OrderedJson members = MembersJson(team); !members.empty())
        t["members"] = members;
    return t;
}

void PutConstraints(const model::Column& c, OrderedJson* n) {
    if (c.required || c.primary_key)
        (*n)["required"] = true;
    if (c.unique)
        (*n)["unique"] = true;
    if (c.primary_key)
        (*n)["primaryKey"] = true;
    if (c.classification != model::Classification::kUnset)
        (*n)["classification"] = model::ClassificationName(c.classification);
}

void EraseRecovered(const OrderedJson& original, const OrderedJson& plain,
                    std::initializer_list<const char*> keys, OrderedJson* rest) {
    for (const char* key : keys) {
        if (rest->contains(key) && original.contains(key) && (*rest)[key] == original[key] &&
            plain.value(key, OrderedJson()) == original[key]) {
            rest->erase(key);
        }
    }
}

OrderedJson Overlay(OrderedJson rest, const OrderedJson& native) {
    if (!rest.is_object())
        rest = OrderedJson::object();
    for (auto it = native.begin(); it != native.end(); ++it) {
        if (rest.contains(it.key()))
            continue;  // the original (or "absent" null) wins
        rest[it.key()] = it.value();
    }
    for (auto it = rest.begin(); it != rest.end();) {
        if (it->is_null())
            it = rest.erase(it);
        else
            ++it;
    }
    return rest;
}

OrderedJson Take(OrderedJson* rest, const std::string& key) {
    if (!rest->is_object())
        return nullptr;
    auto it = rest->find(key);
    if (it == rest->end())
        return nullptr;
    OrderedJson v = std::move(*it);
    rest->erase(it);
    return v;
}

std::optional<std::vector<std::string>> StringList(const OrderedJson& v) {
    if (!v.is_array() || v.empty())
        return std::nullopt;
    std::vector<std::string> out;
    for (const auto& x : v) {
        if (!x.is_string())
            return std::nullopt;
        out.push_back(x.get<std::string>());
    }
    return out;
}

namespace {

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string DuckTypeFor(std::string_view physical, std::string_view logical) {
    std::string t = DuckTypeOf(TypeSystem::kSql, physical);
    if (t.empty()) t = DuckTypeOf(TypeSystem::kOdcsLogical, logical);
    return t.empty() ? "VARCHAR" : t;
}

std::string DcsDuckType(std::string_view type) {
    std::string t = DuckTypeOf(TypeSystem::kDcs, type);
    if (t.empty()) t = DuckTypeOf(TypeSystem::kSql, type);
    return t.empty() ? "VARCHAR" : t;
}

std::string OdcsLogicalType(std::string_view duck) { return TypeNameFor(TypeSystem::kOdcsLogical, duck); }

std::string DcsType(std::string_view duck) { return TypeNameFor(TypeSystem::kDcs, duck); }

std::pair<std::string, std::string> JsonSchemaType(std::string_view duck) {
    std::string logical = OdcsLogicalType(duck);
    std::string t(duck);
    if (logical == "integer")
        return {"integer", ""};
    if (logical == "number")
        return {"number", ""};
    if (logical == "boolean")
        return {"boolean", ""};
    if (logical == "array")
        return {"array", ""};
    if (logical == "object")
        return {"object", ""};
    if (logical == "date")
        return {"string", "date"};
    if (logical == "timestamp")
        return {"string", "date-time"};
    if (logical == "time")
        return {"string", "time"};
    if (t == "UUID")
        return {"string", "uuid"};
    return {"string", ""};
}

std::optional<int64_t> DurationSeconds(const OrderedJson& value, std::string_view unit_in) {
    std::string unit = Lower(unit_in);
    auto unit_seconds = [](const std::string& u) -> int64_t {
        if (u == "s" || u == "sec" || u == "second" || u == "seconds")
            return 1;
        if (u == "m" || u == "min" || u == "minute" || u == "minutes")
            return 60;
        if (u == "h" || u == "hr" || u == "hour" || u == "hours")
            return 3600;
        if (u == "d" || u == "day" || u == "days")
            return 86400;
        if (u == "w" || u == "week" || u == "weeks")
            return 604800;
        if (u == "mo" || u == "month" || u == "months")
            return 30 * 86400;
        if (u == "y" || u == "yr" || u == "year" || u == "years")
            return 365 * 86400;
        return 0;
    };
    if (value.is_number()) {
        int64_t u = unit_seconds(unit);
        double v = value.get<double>();
        if (u == 0 || v <= 0 || std::floor(v) != v)
            return std::nullopt;
        return static_cast<int64_t>(v) * u;
    }
    if (!value.is_string())
        return std::nullopt;
    std::string s = value.get<std::string>();
    if (!s.empty() && (s[0] == 'P' || s[0] == 'p')) {  // ISO 8601 period
        int64_t total = 0;
        bool time = false;
        std::string digits;
        for (size_t i = 1; i < s.size(); ++i) {
            char c = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
            if (c == 'T') {
                time = true;
            } else if (std::isdigit(static_cast<unsigned char>(c))) {
                digits += c;
            } else {
                if (digits.empty())
                    return std::nullopt;
                int64_t n = std::stoll(digits);
                digits.clear();
                if (c == 'Y')
                    total += n * 365 * 86400;
                else if (c == 'M')
                    total += time ? n * 60 : n * 30 * 86400;
                else if (c == 'W')
                    total += n * 604800;
                else if (c == 'D')
                    total += n * 86400;
                else if (c == 'H')
                    total += n * 3600;
                else if (c == 'S')
                    total += n;
                else
                    return std::nullopt;
            }
        }
        if (!digits.empty() || total <= 0)
            return std::nullopt;
        return total;
    }
    size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
    if (i == 0)
        return std::nullopt;
    std::string rest = s.substr(i);
    while (!rest.empty() && rest[0] == ' ')
        rest.erase(0, 1);
    int64_t u = unit_seconds(Lower(rest));
    if (u == 0)
        return std::nullopt;
    return std::stoll(s.substr(0, i)) * u;
}

namespace {

// The SQL condition a metric `value` must meet, from the rule's operator.
std::optional<std::string> Condition(const OrderedJson& rule) {
    auto num = [](const OrderedJson& v) -> std::optional<std::string> {
        if (v.is_number())
            return v.dump();
        if (v.is_string())
            return SqlLiteral(v.get<std::string>());
        if (v.is_boolean())
            return v.get<bool>() ? "true" : "false";
        return std::nullopt;
    };
    static const std::pair<const char*, const char*> kOps[] = {
            {"mustBe", "="},
            {"mustNotBe", "<>"},
            {"mustBeGreaterThan", ">"},
            {"mustBeGreaterOrEqualTo", ">="},
            {"mustBeGreaterThanOrEqualTo", ">="},
            {"mustBeLessThan", "<"},
            {"mustBeLessOrEqualTo", "<="},
            {"mustBeLessThanOrEqualTo", "<="},
    };
    for (const auto& [key, op] : kOps) {
        if (auto it = rule.find(key); it != rule.end()) {
            auto v = num(*it);
            if (!v)
                return std::nullopt;
            return std::string("value ") + op + " " + *v;
        }
    }
    for (const char* key : {"mustBeBetween", "mustNotBeBetween"}) {
        if (auto it = rule.find(key); it != rule.end() && it->is_array() && it->size() == 2) {
            auto a = num((*it)[0]), b = num((*it)[1]);
            if (!a || !b)
                return std::nullopt;
            return std::string("value ") + (key[4] == 'N' ? "not between " : "between ") + *a +
                   " and " + *b;
        }
    }
    return std::nullopt;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size())) {
        text.replace(p, from.size(), to);
    }
    return text;
}

}  // namespace

std::string SqlLiteral(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "''";
        else
            out += c;
    }
    return out + "'";
}

std::string SqlIdentifier(std::string_view name) {
    bool plain =
            !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name) {
        plain = plain && (std::islower(static_cast<unsigned char>(c)) ||
                          std::isdigit(static_cast<unsigned char>(c)) || c == '_');
    }
    if (plain)
        return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += "\"\"";
        else
            out += c;
    }
    return out + "\"";
}

std::optional<model::QualityCheck> CheckFromRule(const OrderedJson& rule,
                                                 const std::string& port,
                                                 const std::string& column,
                                                 std::string* why) {
    if (!rule.is_object()) {
        *why = "not a map";
        return std::nullopt;
    }
    std::string type = rule.value("type", "");
    std::string metric = rule.value("metric", rule.value("rule", ""));
    if (type.empty())
        type = rule.contains("query") ? "sql" : (metric.empty() ? "text" : "library");
    std::string table = SqlIdentifier(port);
    std::string col = column.empty() ? "" : SqlIdentifier(column);
    std::string metric_sql;
    std::string base_name;
    if (type == "sql") {
        std::string query = rule.value("query", "");
        if (query.empty()) {
            *why = "a sql rule without a query";
            return std::nullopt;
        }
        query = Replace(Replace(query, "${object}", table), "{object}", table);
        if (!column.empty())
            query = Replace(Replace(query, "${property}", col), "{property}", col);
        while (!query.empty() &&
               (std::isspace(static_cast<unsigned char>(query.back())) || query.back() == ';')) {
            query.pop_back();
        }
        metric_sql = query;
        base_name = column.empty() ? "sql_rule" : column + "_sql_rule";
    } else if (type == "library") {
        bool percent = rule.value("unit", "") == "percent";
        std::string total = "(select count(*) from " + table + ")";
        auto share = [&](const std::string& count) {
            return percent ? "select 100.0 * (" + count + ") / nullif(" + total + ", 0)"
                           : "select " + count;
        };
        std::string where_null = col + " is null";
        if (metric == "rowCount") {
            metric_sql = "select count(*) from " + table;
        } else if (column.empty()) {
            *why = "metric " + metric + " needs a property";
            return std::nullopt;
        } else if (metric == "nullValues" || metric == "nullCheck") {
            metric_sql = share("(select count(*) from " + table + " where " + where_null + ")");
        } else if (metric == "missingValues") {
            std::string in;
            if (auto args = rule.find("arguments");
                args != rule.end() && args->contains("missingValues")) {
                for (const auto& v : (*args)["missingValues"]) {
                    if (v.is_null())
                        continue;
                    in += (in.empty() ? "" : ", ") +
                          (v.is_string() ? SqlLiteral(v.get<std::string>()) : v.dump());
                }
            }
            metric_sql = share(
                    "(select count(*) from " + table + " where " + where_null +
                    (in.empty() ? "" : " or cast(" + col + " as varchar) in (" + in + ")") + ")");
        } else if (metric == "invalidValues" || metric == "validValues") {
            std::string in;
            if (auto args = rule.find("arguments");
                args != rule.end() && args->contains("validValues")) {
                for (const auto& v : (*args)["validValues"]) {
                    in += (in.empty() ? "" : ", ") +
                          (v.is_string() ? SqlLiteral(v.get<std::string>()) : v.dump());
                }
            }
            if (in.empty()) {
                *why = "invalidValues without arguments.validValues";
                return std::nullopt;
            }
            metric_sql = share("(select count(*) from " + table + " where " + col +
                               " is not null and " + col + " not in (" + in + "))");
        } else if (metric == "duplicateValues" || metric == "duplicateCount" ||
                   metric == "uniqueCheck") {
            metric_sql = share("(select count(" + col + ") - count(distinct " + col + ") from " +
                               table + ")");
        } else {
            *why = "unknown metric \"" + metric + "\"";
            return std::nullopt;
        }
        base_name = (column.empty() ? "" : column + "_") + SnakeCase(metric);
    } else {
        *why = "a " + type + " rule is for people or another tool";
        return std::nullopt;
    }
    auto cond = Condition(rule);
    if (!cond) {
        *why = "no mustBe… operator Tessera can evaluate";
        return std::nullopt;
    }
    model::QualityCheck q;
    q.name = rule.contains("name") && rule["name"].is_string()
                     ? SnakeCase(rule["name"].get<std::string>())
                     : "";
    if (q.name.empty())
        q.name = SnakeCase(base_name);
    q.description = rule.value("description", "");
    if (q.description.size() > 0) {
        while (!q.description.empty() && q.description.back() == '\n')
            q.description.pop_back();
    }
    q.type = model::CheckType::kSql;
    q.sql = "select * from (" + metric_sql + ") as metric(value) where not (" + *cond + ")";
    std::string severity = rule.value("severity", "error");
    q.severity = severity == "error" ? model::Severity::kError : model::Severity::kWarning;
    std::string dimension = rule.value("dimension", "");
    static const char* kDimensions[] = {"accuracy", "completeness", "conformity", "consistency",
                                        "coverage", "timeliness",   "uniqueness"};
    for (const char* d : kDimensions) {
        if (Lower(dimension) == d)
            q.dimension = d;
    }
    return q;
}

std::string UniqueCheckName(const model::OutputPort& port, std::string name) {
    if (name.empty())
        name = "rule";
    auto taken = [&](const std::string& n) {
        return std::any_of(port.quality.begin(), port.quality.end(),
                           [&](const auto& q) { return q.name == n; });
    };
    if (!taken(name))
        return name;
    for (int i = 2;; ++i) {
        std::string n = name + "_" + std::to_string(i);
        if (!taken(n))
            return n;
    }
}

OrderedJson RuleFromCheck(const model::QualityCheck& q, const std::string& port, bool odcs_v31) {
    OrderedJson r;
    r["type"] = "sql";
    if (odcs_v31)
        r["name"] = q.name;
    if (!q.description.empty())
        r["description"] = q.description;
    if (!q.dimension.empty())
        r["dimension"] = q.dimension;
    r["severity"] = model::SeverityName(q.severity);
    std::string table = SqlIdentifier(port);
    switch (q.type) {
        case model::CheckType::kSql:
            r["query"] = "select count(*) from (" + q.sql + ") as failures";
            if (q.max_rows == 0)
                r["mustBe"] = 0;
            else
                r["mustBeLessOrEqualTo"] = q.max_rows;
            break;
        case model::CheckType::kRowCount:
            r["query"] = "select count(*) from " + table;
            if (q.min && q.max)
                r["mustBeBetween"] = {*q.min, *q.max};
            else if (q.min)
                r["mustBeGreaterOrEqualTo"] = *q.min;
            else if (q.max)
                r["mustBeLessOrEqualTo"] = *q.max;
            break;
        case model::CheckType::kFreshness:
            r["query"] = "select date_diff('second', max(" + SqlIdentifier(q.column) +
                         "), now()) from " + table;
            r["mustBeLessOrEqualTo"] = q.max_age_seconds;
            break;
    }
    return r;
}

Status CheckExport(const OrderedJson& doc,
                   const OrderedJson& rest,
                   const std::string& schema_name,
                   const std::string& ext,
                   const std::string& product) {
    TESSERA_ASSIGN_OR_RETURN(auto errors, ValidateJson(doc, schema_name));
    if (errors.empty())
        return Status::Ok();
    const std::string& first = errors.front();
    std::string top = first.substr(0, first.find_first_of(".[:"));
    std::string schema_file = schema_name.substr(schema_name.rfind('/') + 1);
    if (rest.is_object() && rest.contains(top) && !rest[top].is_null()) {
        return InvalidArgument(
                product + ": " + ext + "." + first + " (" + schema_file +
                "); the extension is copied into the export as it is: fix it in the descriptor");
    }
    return Internal("the export of " + product + " breaks " + schema_file + ": " + first);
}

void DropRecoveredFields(const OrderedJson& original, const OrderedJson& plain, OrderedJson* rest) {
    EraseRecovered(original, plain, {"version", "status", "domain", "name", "tags"}, rest);
    if (rest->contains("description") && (*rest)["description"].is_object()) (*rest)["description"].erase("purpose");
}

void ImportQualityRules(const OrderedJson& rules,
                        const std::string& at,
                        const std::string& column,
                        const char* ext,
                        model::OutputPort* port,
                        ImportResult* r,
                        const std::string& file) {
    for (size_t k = 0; k < rules.size(); ++k) {
        std::string why, where = at + ".quality[" + std::to_string(k) + "]";
        if (auto q = CheckFromRule(rules[k], port->name, column, &why)) {
            q->name = UniqueCheckName(*port, q->name);
            SetExtension(&q->extensions, ext, OrderedJson{{"imported", where}});
            Mapped(r, file, where, "outputs." + port->name + ".quality." + q->name);
            port->quality.push_back(*q);
        } else {
            Mapped(r, file, where, std::string(ext) + " only (" + why + ")");
        }
    }
}

std::string DomainSource(const std::string& from) {
    if (from == "--domain")
        return " (from --domain)";
    return " (from the document's " + from + "; --domain overrides it)";
}

void Mapped(ImportResult* r,
            const std::string& file,
            const std::string& from,
            const std::string& to) {
    r->mappings.push_back({file, from, to});
}

}  // namespace tessera::spec::internal

namespace tessera::spec::internal {

void AddBuildScaffold(model::DataProduct* p,
                      const std::string& source_in,
                      ImportResult* r,
                      const std::string& file) {
    if (p->outputs.empty() || !p->inputs.empty() || !p->transform.sql.empty())
        return;
    for (const auto& port : p->outputs) {
        if (port.columns.empty())
            return;  // the descriptor is incomplete anyway; say nothing more
    }
    std::string source = SnakeCase(source_in);
    if (source.empty())
        source = "external";
    std::string script;
    for (const auto& port : p->outputs) {
        model::InputPort in;
        in.name = port.name.size() > 55 ? port.name.substr(0, 55) : port.name;
        while (!in.name.empty() && in.name.back() == '_')
            in.name.pop_back();
        in.name += "_source";
        in.source = source;
        in.format = model::DataFormat::kParquet;
        in.path = "data/" + p->domain + "/" + p->name + "/" + port.name + "/*.parquet";
        in.description = "Where " + port.name + " is read from: point the path at the data.";
        std::string select = "select\n";
        for (size_t i = 0; i < port.columns.size(); ++i) {
            const auto& c = port.columns[i];
            select += "    cast(" + SqlIdentifier(c.name) + " as " + c.type + ") as " +
                      SqlIdentifier(c.name) + (i + 1 < port.columns.size() ? ",\n" : "\n");
        }
        select += "from " + in.name;
        if (p->outputs.size() == 1)
            script = select + "\n";
        else
            script += "create table " + SqlIdentifier(port.name) + " as\n" + select + ";\n";
        r->mappings.push_back({file, "(build)",
                               "spec.inputs." + in.name + " reads " + in.path +
                                       " (generated: point it at the data)"});
        p->inputs.push_back(std::move(in));
    }
    p->transform.sql = script;
    r->mappings.push_back(
            {file, "(build)", "spec.transform.query casts the declared columns (generated)"});
}

}  // namespace tessera::spec::internal
