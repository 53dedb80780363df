#include "engine/internal/statement_check.h"

#include <algorithm>
#include <optional>
#include <set>

#include "common/text.h"

namespace tessera::engine::internal {
namespace {

using Json = nlohmann::json;

// Table functions a query may use: they read no files.
const std::set<std::string> kAllowedTableFunctions = {"range", "generate_series", "unnest"};
// The system views a query may read: they show only the views of the products it names.
const std::set<std::string> kReadableSystemViews = {"tables", "columns", "schemata"};
// Functions that show the host or the sandbox's configuration, or that compute a mask (a query
// calling the keyed hash could hash its guesses under the catalog's key).
const std::set<std::string> kDeniedFunctions = {"getenv", "current_setting", "tessera_mask_hash", "col_description",
                                                "obj_description", "shobj_description"};
// Prefixes of system functions and macros over DuckDB's catalog (`pg_get_viewdef`…).
const char* const kDeniedPrefixes[] = {"pg_", "duckdb_", "has_"};
// Functions whose result size one argument chooses; one call runs without interruption.
const std::set<std::string> kSizeChoosing = {"repeat", "lpad",       "rpad",         "printf",          "format",
                                             "bar",    "to_base",    "list_resize",  "array_resize",    "range",
                                             "generate_series"};
const std::set<std::string> kQueryNodes = {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE",
                                           "STATEMENT_NODE"};
const std::set<std::string> kTableRefs = {"BASE_TABLE", "JOIN",        "SUBQUERY", "TABLE_FUNCTION", "EXPRESSION_LIST",
                                          "EMPTY",      "EMPTY_FROM",  "PIVOT",    "SHOW_REF",       "COLUMN_DATA",
                                          "DELIM_GET",  "BOUND_TABLE_REF", "CTE"};

// The CTE names visible at one point of the tree: a node's own, then its parents'.
struct Scope {
    const Scope* parent = nullptr;
    std::vector<std::string> names;

    bool Sees(const std::string& name) const {
        for (const Scope* s = this; s != nullptr; s = s->parent) {
            if (std::find(s->names.begin(), s->names.end(), name) != s->names.end()) return true;
        }
        return false;
    }
};

std::string StringField(const Json& node, const char* key) {
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

bool LooksLikeFile(const std::string& name) {
    return name.find_first_of("/\\*?:") != std::string::npos || name.find('.') != std::string::npos;
}

class Checker {
public:
    explicit Checker(const StatementLimits& limits) : limits_(limits) {}

    // A statement (`{"node": …}`) seen from `outer`.
    Status Statement(const Json& statement, const Scope* outer) {
        if (!statement.is_object() || !statement.contains("node")) return InvalidArgument("not a query");
        return Node(statement["node"], outer);
    }

    std::vector<TableName> TakeNames() { return std::move(names_); }

private:
    // A query node: its WITH makes a scope for itself and everything below it.
    Status Node(const Json& node, const Scope* outer) {
        if (!node.is_object()) return InvalidArgument("not a query");
        std::string type = StringField(node, "type");
        if (!kQueryNodes.count(type)) return InvalidArgument("queries of the form " + type + " are not supported");
        Scope scope{outer, {}};
        if (auto ctes = node.find("cte_map"); ctes != node.end() && ctes->is_object() && ctes->contains("map")) {
            for (const auto& entry : (*ctes)["map"]) {
                std::string name = text::Lower(StringField(entry, "key"));
                if (!entry.contains("value") || !entry["value"].is_object() || !entry["value"].contains("query")) {
                    return InvalidArgument("the CTE " + name + " has no query");
                }
                // Its body sees the CTEs defined before it, not itself (a recursive one sees
                // itself in its recursive arm: RECURSIVE_CTE_NODE below).
                TESSERA_RETURN_IF_ERROR(Statement(entry["value"]["query"], &scope));
                scope.names.push_back(name);
            }
        }
        if (type == "SELECT_NODE") {
            if (auto list = node.find("select_list"); list != node.end() && list->is_array() &&
                                                     list->size() > limits_.max_select_items) {
                return Status(StatusCode::kResourceExhausted,
                              "the query selects " + std::to_string(list->size()) + " expressions in one SELECT; at most " +
                                      std::to_string(limits_.max_select_items) + " are allowed");
            }
        }
        if (type == "RECURSIVE_CTE_NODE" || type == "CTE_NODE") {
            // The anchor (`left`, or a CTE_NODE's `query`) does not see the CTE; the rest does.
            Scope self{&scope, {text::Lower(StringField(node, "cte_name"))}};
            for (const auto& [key, value] : node.items()) {
                if (key == "cte_map" || !value.is_structured()) continue;
                bool anchor = key == "left" || key == "query";
                TESSERA_RETURN_IF_ERROR(Walk(value, anchor ? &scope : &self));
            }
            return Status::Ok();
        }
        for (const auto& [key, value] : node.items()) {
            if (key == "cte_map" || !value.is_structured()) continue;
            TESSERA_RETURN_IF_ERROR(Walk(value, &scope));
        }
        return Status::Ok();
    }

    // Anything below a query node: expressions, table references, nested query nodes, lists.
    Status Walk(const Json& v, const Scope* scope) {
        if (v.is_array()) {
            for (const auto& item : v) TESSERA_RETURN_IF_ERROR(Walk(item, scope));
            return Status::Ok();
        }
        if (!v.is_object()) return Status::Ok();
        if (v.contains("class")) return Expression(v, scope);
        std::string type = StringField(v, "type");
        if (kQueryNodes.count(type)) return Node(v, scope);
        if (kTableRefs.count(type)) return TableRef(v, type, scope);
        if (v.contains("node") && v["node"].is_object()) return Statement(v, scope);
        return Children(v, scope);
    }

    Status Children(const Json& v, const Scope* scope) {
        for (const auto& [key, value] : v.items()) {
            if (value.is_structured()) TESSERA_RETURN_IF_ERROR(Walk(value, scope));
        }
        return Status::Ok();
    }

    Status TableRef(const Json& ref, const std::string& type, const Scope* scope) {
        if (type == "BASE_TABLE") return BaseTable(ref, scope);
        if (type == "TABLE_FUNCTION") {
            std::string fn;
            if (ref.contains("function") && ref["function"].is_object()) {
                fn = text::Lower(StringField(ref["function"], "function_name"));
                if (!StringField(ref["function"], "schema").empty() || !StringField(ref["function"], "catalog").empty()) {
                    return InvalidArgument("the table function " + fn + "() cannot be named with a schema in queries");
                }
            }
            if (!kAllowedTableFunctions.count(fn)) {
                return InvalidArgument("the table function " + fn +
                                       "() is not allowed in queries: read data products by their names (domain.product)");
            }
            // Its arguments may hold subqueries; the function itself is checked as a table source.
            for (const auto& [key, value] : ref.items()) {
                if (!value.is_structured()) continue;
                if (key == "function") TESSERA_RETURN_IF_ERROR(Children(value, scope));
                else TESSERA_RETURN_IF_ERROR(Walk(value, scope));
            }
            return Status::Ok();
        }
        if (type == "SHOW_REF") {
            return InvalidArgument("DESCRIBE and SUMMARIZE are not available in queries: `tessera describe` shows a product");
        }
        if (type == "COLUMN_DATA" || type == "DELIM_GET" || type == "BOUND_TABLE_REF" || type == "CTE") {
            return InvalidArgument("the FROM item " + type + " is not allowed in queries");
        }
        return Children(ref, scope);  // JOIN, SUBQUERY, EXPRESSION_LIST, EMPTY, PIVOT
    }

    Status BaseTable(const Json& ref, const Scope* scope) {
        std::string raw_schema = StringField(ref, "schema_name"), raw_table = StringField(ref, "table_name");
        std::string schema = text::Lower(raw_schema), table = text::Lower(raw_table);
        if (!StringField(ref, "catalog_name").empty()) {
            return InvalidArgument("\"" + StringField(ref, "catalog_name") + "." + raw_schema + "." + raw_table +
                                   "\": name data products as domain.product, without a catalog");
        }
        if (auto at = ref.find("at_clause"); at != ref.end() && !at->is_null()) {
            return InvalidArgument("AT (…) is not supported: name an older snapshot as domain.product@v3");
        }
        if (schema.empty()) {
            if (scope != nullptr && scope->Sees(table)) return Status::Ok();
            if (LooksLikeFile(raw_table)) {
                return InvalidArgument("\"" + raw_table +
                                       "\": files cannot be read by their path in queries; name data products as "
                                       "domain.product");
            }
            return InvalidArgument("unknown table \"" + raw_table + "\": name data products as domain.product");
        }
        if (schema == "information_schema" || schema == "pg_catalog" || schema == "main" || schema == "system" ||
            schema == "temp") {
            // What the query's own views look like, and no more: the definitions of the views
            // would show where the files are and how each column is masked.
            if (schema == "information_schema" && kReadableSystemViews.count(table)) return Status::Ok();
            return InvalidArgument(raw_schema + "." + raw_table + " is not readable in queries (" +
                                   "information_schema.tables, .columns and .schemata are); " +
                                   "`tessera describe` shows a product");
        }
        TableName name{schema, table};
        if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(std::move(name));
        return Status::Ok();
    }

    Status Expression(const Json& e, const Scope* scope) {
        std::string cls = StringField(e, "class");
        if (cls == "FUNCTION") TESSERA_RETURN_IF_ERROR(Function(e));
        return Children(e, scope);  // a SUBQUERY's `subquery` is a statement: Walk finds its node
    }

    Status Function(const Json& e) {
        std::string fn = text::Lower(StringField(e, "function_name"));
        // DuckDB's parser spells some of its own rewrites `main.list_value`, `main.struct_pack`.
        std::string schema = text::Lower(StringField(e, "schema")), catalog = text::Lower(StringField(e, "catalog"));
        if ((!schema.empty() && schema != "main") || (!catalog.empty() && catalog != "system")) {
            return InvalidArgument("the function " + StringField(e, "schema") + "." + fn +
                                   "() is not allowed in queries: call functions by their plain names");
        }
        bool denied = kDeniedFunctions.count(fn) > 0;
        for (const char* prefix : kDeniedPrefixes) denied = denied || fn.rfind(prefix, 0) == 0;
        if (denied) return InvalidArgument("the function " + fn + "() is not allowed in queries");
        if (kSizeChoosing.count(fn)) return SizeChoosing(fn, e);
        return Status::Ok();
    }

    // A constant whole number (possibly cast), or nothing.
    static std::optional<int64_t> IntegerConstant(const Json& e) {
        if (!e.is_object()) return std::nullopt;
        std::string cls = StringField(e, "class");
        if (cls == "CAST" && e.contains("child")) return IntegerConstant(e["child"]);
        if (cls != "CONSTANT" || !e.contains("value") || !e["value"].is_object()) return std::nullopt;
        const Json& v = e["value"];
        if (v.value("is_null", false) || !v.contains("value") || !v["value"].is_number_integer()) return std::nullopt;
        return v["value"].get<int64_t>();
    }

    static bool HoldsSizeChoosing(const Json& v) {
        if (v.is_array()) return std::any_of(v.begin(), v.end(), [](const Json& x) { return HoldsSizeChoosing(x); });
        if (!v.is_object()) return false;
        if (StringField(v, "class") == "FUNCTION" && kSizeChoosing.count(text::Lower(StringField(v, "function_name")))) {
            return true;
        }
        for (const auto& [key, value] : v.items()) {
            if (value.is_structured() && HoldsSizeChoosing(value)) return true;
        }
        return false;
    }

    Status SizeChoosing(const std::string& fn, const Json& e) {
        const Json empty = Json::array();
        const Json& args = e.contains("children") && e["children"].is_array() ? e["children"] : empty;
        const std::string limit = std::to_string(limits_.max_built_size);
        auto refuse = [&](const std::string& why) {
            return Status(StatusCode::kResourceExhausted,
                          fn + "(): " + why + " (a value built in one call cannot be interrupted or bounded in memory)");
        };
        auto small = [&](size_t i, const char* what) -> Status {
            if (i >= args.size()) return Status::Ok();
            auto n = IntegerConstant(args[i]);
            if (!n || *n < 0 || *n > limits_.max_built_size) {
                return refuse(std::string("the ") + what + " must be a whole-number constant from 0 to " + limit);
            }
            return Status::Ok();
        };
        for (const auto& a : args) {
            if (HoldsSizeChoosing(a)) return refuse("its arguments cannot call repeat, lpad, rpad, printf, format, bar, "
                                                    "to_base, list_resize, array_resize, range or generate_series");
        }
        if (fn == "repeat") return small(1, "count");
        if (fn == "lpad" || fn == "rpad") return small(1, "length");
        if (fn == "bar") return small(3, "width");
        if (fn == "to_base") return small(2, "minimum length");
        if (fn == "list_resize" || fn == "array_resize") return small(1, "size");
        if (fn == "range" || fn == "generate_series") {
            std::vector<int64_t> n;
            for (const auto& a : args) {
                auto v = IntegerConstant(a);
                if (!v) return refuse("as a list, its bounds must be whole-number constants");
                n.push_back(*v);
            }
            int64_t start = n.size() >= 2 ? n[0] : 0, stop = n.empty() ? 0 : (n.size() >= 2 ? n[1] : n[0]);
            int64_t step = n.size() >= 3 ? n[2] : 1;
            if (step == 0) return Status::Ok();  // DuckDB refuses it
            long double count = (static_cast<long double>(stop) - start) / step;
            if (count > static_cast<long double>(limits_.max_built_size) * 100) {
                return refuse("a list of at most " + std::to_string(limits_.max_built_size * 100) + " items");
            }
            return Status::Ok();
        }
        // printf, format: a constant format whose widths and precisions stay small.
        if (args.empty() || StringField(args[0], "class") != "CONSTANT" || !args[0].contains("value") ||
            !args[0]["value"].contains("value") || !args[0]["value"]["value"].is_string()) {
            return refuse("the format must be a constant string");
        }
        std::string format = args[0]["value"]["value"].get<std::string>();
        if (format.find('*') != std::string::npos) return refuse("widths given as arguments (*) are not allowed");
        std::string run;
        for (size_t i = 0; i <= format.size(); ++i) {
            if (i < format.size() && format[i] >= '0' && format[i] <= '9') {
                run += format[i];
                continue;
            }
            if (!run.empty()) {
                if (run.size() > 9 || std::stoll(run) > limits_.max_built_size) {
                    return refuse("widths and precisions must be at most " + limit);
                }
            }
            run.clear();
        }
        return Status::Ok();
    }

    const StatementLimits& limits_;
    std::vector<TableName> names_;
};

}  // namespace

Result<std::vector<TableName>> CheckStatement(const nlohmann::json& statement, const StatementLimits& limits) {
    Checker checker(limits);
    TESSERA_RETURN_IF_ERROR(checker.Statement(statement, nullptr));
    return checker.TakeNames();
}

}  // namespace tessera::engine::internal
