#include "search/lineage.h"

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace tessera::search {
namespace {

using Json = nlohmann::json;

// A column of a relation in scope, with where it comes from.
struct Col {
    std::string name;
    LineageKind kind = LineageKind::kDirect;
    std::set<SourceColumn> sources;
    std::string reason;
};

// A relation: its columns (or unknown, when they cannot be listed) and its alias.
struct Relation {
    std::string alias;
    std::optional<std::vector<Col>> columns;  // nullopt: columns unknown (files, table functions)
    std::string unknown_reason;
    std::string input;  // for an input table with unknown columns: references become sources
};

using Scope = std::vector<Relation>;
using Ctes = std::map<std::string, Relation>;

const std::set<std::string> kAggregates = {
        "sum", "count", "count_star", "avg", "mean", "min", "max", "median", "mode", "any_value", "first", "last",
        "arg_max", "arg_min", "argmax", "argmin", "max_by", "min_by", "string_agg", "group_concat", "list", "array_agg",
        "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "approx_count_distinct",
        "approx_quantile", "quantile", "quantile_cont", "quantile_disc", "bool_and", "bool_or", "product", "sumkahan",
        "fsum", "kurtosis", "skewness", "entropy", "histogram", "bit_and", "bit_or", "bit_xor", "corr", "covar_pop",
        "covar_samp", "regr_slope", "regr_intercept", "bitstring_agg", "favg", "fsum", "sum_no_overflow"};

LineageKind Stronger(LineageKind a, LineageKind b) {
    auto rank = [](LineageKind k) {
        switch (k) {
            case LineageKind::kConstant: return 0;
            case LineageKind::kDirect: return 1;
            case LineageKind::kDerived: return 2;
            case LineageKind::kAggregate: return 3;
            case LineageKind::kWindow: return 4;
            case LineageKind::kUnknown: return 5;
        }
        return 5;
    };
    return rank(a) >= rank(b) ? a : b;
}

class Tracer {
public:
    explicit Tracer(const InputSchemas& inputs) : inputs_(inputs) {}

    // Resolves a query node (SELECT_NODE, SET_OPERATION_NODE…) to its output columns.
    Relation Node(const Json& node, Ctes ctes) {
        AddCtes(node, &ctes);
        std::string type = node.value("type", "");
        if (type == "SET_OPERATION_NODE") {
            Relation left = Node(node["left"], ctes);
            Relation right = Node(node["right"], ctes);
            if (!left.columns || !right.columns) return Unknown("a side of " + node.value("setop_type", "UNION") + " has unknown columns");
            Relation out;
            out.columns = *left.columns;
            for (size_t i = 0; i < out.columns->size() && i < right.columns->size(); ++i) {
                Col& c = (*out.columns)[i];
                const Col& r = (*right.columns)[i];
                c.sources.insert(r.sources.begin(), r.sources.end());
                c.kind = Stronger(Stronger(c.kind, r.kind), LineageKind::kDerived);
                if (c.kind == LineageKind::kUnknown && c.reason.empty()) c.reason = r.reason;
            }
            return out;
        }
        if (type != "SELECT_NODE") return Unknown("a " + type + " is not traced");
        Scope scope;
        FromTable(node["from_table"], ctes, &scope);
        Relation out;
        out.columns = std::vector<Col>{};
        for (const auto& e : node["select_list"]) {
            if (e.value("class", "") == "STAR") {
                Star(e, scope, &*out.columns);
                continue;
            }
            Col c = Expression(e, scope, ctes);
            c.name = e.value("alias", "");
            if (c.name.empty()) c.name = DefaultName(e);
            out.columns->push_back(std::move(c));
        }
        return out;
    }

private:
    static Relation Unknown(std::string reason) {
        Relation r;
        r.unknown_reason = std::move(reason);
        return r;
    }

    void AddCtes(const Json& node, Ctes* ctes) {
        if (!node.contains("cte_map") || !node["cte_map"].contains("map")) return;
        for (const auto& entry : node["cte_map"]["map"]) {
            std::string name = text::Lower(entry.value("key", ""));
            Relation r = Node(entry["value"]["query"]["node"], *ctes);
            const auto& aliases = entry["value"]["aliases"];
            if (r.columns) {
                for (size_t i = 0; i < aliases.size() && i < r.columns->size(); ++i) (*r.columns)[i].name = aliases[i];
            }
            (*ctes)[name] = std::move(r);
        }
    }

    void FromTable(const Json& t, const Ctes& ctes, Scope* scope) {
        if (!t.is_object()) return;
        std::string type = t.value("type", "");
        std::string alias = t.value("alias", "");
        if (type == "BASE_TABLE") {
            std::string name = text::Lower(t.value("table_name", ""));
            Relation r;
            if (t.value("schema_name", "").empty() && ctes.count(name)) {
                r = ctes.at(name);
            } else if (auto it = inputs_.find(name); it != inputs_.end() && t.value("schema_name", "").empty()) {
                r.input = name;
                if (it->second) {
                    r.columns = std::vector<Col>{};
                    for (const auto& c : *it->second) r.columns->push_back({c, LineageKind::kDirect, {{name, c}}, ""});
                } else {
                    r.unknown_reason = "the columns of input " + name + " are not declared (files)";
                }
            } else {
                r.unknown_reason = "table " + name + " is not an input of the product";
            }
            r.alias = text::Lower(alias.empty() ? name : alias);
            Rename(t, &r);
            scope->push_back(std::move(r));
        } else if (type == "SUBQUERY") {
            Relation r = Node(t["subquery"]["node"], ctes);
            r.alias = text::Lower(alias);
            Rename(t, &r);
            scope->push_back(std::move(r));
        } else if (type == "JOIN") {
            FromTable(t["left"], ctes, scope);
            FromTable(t["right"], ctes, scope);
        } else if (type == "TABLE_FUNCTION") {
            Relation r = Unknown("the table function " + t["function"].value("function_name", "?") + "() reads no declared input");
            r.alias = text::Lower(alias);
            scope->push_back(std::move(r));
        }
    }

    static void Rename(const Json& t, Relation* r) {
        if (!r->columns || !t.contains("column_name_alias")) return;
        const auto& names = t["column_name_alias"];
        for (size_t i = 0; i < names.size() && i < r->columns->size(); ++i) (*r->columns)[i].name = names[i];
    }

    void Star(const Json& e, const Scope& scope, std::vector<Col>* out) {
        std::string relation = text::Lower(e.value("relation_name", ""));
        std::set<std::string> excluded;
        for (const auto& x : e["exclude_list"]) {
            if (x.is_string()) excluded.insert(text::Lower(x.get<std::string>()));
            else if (x.is_object() && x.contains("column_names")) excluded.insert(text::Lower(x["column_names"].back().get<std::string>()));
        }
        if (e.contains("qualified_exclude_list")) {
            for (const auto& x : e["qualified_exclude_list"]) {
                if (x.is_object() && x.contains("column_names")) excluded.insert(text::Lower(x["column_names"].back().get<std::string>()));
            }
        }
        std::optional<std::regex> pattern;
        if (e.value("columns", false) && e.contains("expr") && e["expr"].is_object() && e["expr"].value("class", "") == "CONSTANT") {
            pattern = std::regex(e["expr"]["value"].value("value", ".*"));
        }
        for (const auto& r : scope) {
            if (!relation.empty() && r.alias != relation) continue;
            if (!r.columns) {
                out->push_back({"*", LineageKind::kUnknown, {}, "* over " + (r.alias.empty() ? "a relation" : r.alias) +
                                                                        ": " + r.unknown_reason});
                continue;
            }
            for (const auto& c : *r.columns) {
                if (excluded.count(text::Lower(c.name))) continue;
                if (pattern && !std::regex_search(c.name, *pattern)) continue;
                out->push_back(c);
            }
        }
    }

    // Looks a column reference up in scope.
    Col Reference(const Json& names_json, const Scope& scope) {
        std::vector<std::string> names;
        for (const auto& n : names_json) names.push_back(n.get<std::string>());
        std::string column = text::Lower(names.back());
        std::string table = names.size() > 1 ? text::Lower(names[names.size() - 2]) : "";
        for (const auto& r : scope) {
            if (!table.empty() && r.alias != table) continue;
            if (r.columns) {
                for (const auto& c : *r.columns) {
                    if (text::Lower(c.name) == column) return c;
                }
            } else if (!r.input.empty() && (!table.empty() || scope.size() == 1)) {
                // An input whose columns are not declared: the reference names the source column.
                return {column, LineageKind::kDirect, {{r.input, column}}, ""};
            }
        }
        for (const auto& r : scope) {
            if ((table.empty() || r.alias == table) && !r.columns && r.input.empty()) {
                return {column, LineageKind::kUnknown, {}, r.unknown_reason};
            }
        }
        return {column, LineageKind::kUnknown, {}, "cannot tell which input " + names.back() + " comes from"};
    }

    Col Expression(const Json& e, const Scope& scope, const Ctes& ctes) {
        std::string cls = e.value("class", "");
        if (cls == "COLUMN_REF") return Reference(e["column_names"], scope);
        if (cls == "CONSTANT") return {"", LineageKind::kConstant, {}, ""};
        if (cls == "SUBQUERY") {
            Relation r = Node(e["subquery"]["node"], ctes);
            Col c{"", LineageKind::kDerived, {}, ""};
            if (!r.columns) return {"", LineageKind::kUnknown, {}, r.unknown_reason};
            for (const auto& col : *r.columns) {
                c.sources.insert(col.sources.begin(), col.sources.end());
                c.kind = Stronger(c.kind, col.kind);
            }
            if (e.contains("child") && e["child"].is_object()) Merge(&c, Expression(e["child"], scope, ctes));
            return c;
        }
        bool window = cls == "WINDOW";
        bool aggregate = cls == "FUNCTION" && kAggregates.count(text::Lower(e.value("function_name", "")));
        Col c{"", LineageKind::kConstant, {}, ""};
        Children(e, scope, ctes, &c);
        if (c.kind == LineageKind::kUnknown) return c;
        if (c.sources.empty()) {
            c.kind = LineageKind::kConstant;  // a literal, count(*), now()
        } else if (window) {
            c.kind = LineageKind::kWindow;
        } else if (aggregate) {
            c.kind = Stronger(c.kind, LineageKind::kAggregate);
        } else if (c.kind == LineageKind::kDirect) {
            c.kind = LineageKind::kDerived;
        }
        return c;
    }

    // Every expression nested in `e` (children, CASE branches, window partitions…).
    void Children(const Json& e, const Scope& scope, const Ctes& ctes, Col* into) {
        for (const auto& [key, value] : e.items()) {
            if (key == "order_bys" && e.value("class", "") == "FUNCTION") continue;  // ordered aggregates
            auto visit = [&](const Json& v) {
                if (v.is_object() && v.contains("class")) Merge(into, Expression(v, scope, ctes));
                else if (v.is_object() || v.is_array()) Children(v, scope, ctes, into);
            };
            if (value.is_array()) {
                for (const auto& v : value) visit(v);
            } else if (value.is_object()) {
                visit(value);
            }
        }
    }

    static void Merge(Col* into, const Col& c) {
        into->sources.insert(c.sources.begin(), c.sources.end());
        if (c.kind == LineageKind::kUnknown) {
            into->kind = LineageKind::kUnknown;
            if (into->reason.empty()) into->reason = c.reason;
        } else if (into->kind != LineageKind::kUnknown) {
            into->kind = Stronger(into->kind, c.kind);
        }
    }

    static std::string DefaultName(const Json& e) {
        if (e.value("class", "") == "COLUMN_REF") return e["column_names"].back();
        std::string fn = e.value("function_name", "");
        return fn.empty() ? "?" : fn + "(…)";
    }

    const InputSchemas& inputs_;
};

}  // namespace

std::string_view LineageKindName(LineageKind k) {
    switch (k) {
        case LineageKind::kDirect: return "direct";
        case LineageKind::kDerived: return "derived";
        case LineageKind::kAggregate: return "aggregate";
        case LineageKind::kWindow: return "window";
        case LineageKind::kConstant: return "constant";
        case LineageKind::kUnknown: return "unknown";
    }
    return "";
}

Result<QueryLineage> ColumnLineage(const std::string& parse_tree_json, const InputSchemas& inputs) {
    Json tree = Json::parse(parse_tree_json, nullptr, false);
    if (tree.is_discarded() || tree.value("error", true) || !tree.contains("statements") || tree["statements"].size() != 1) {
        return InvalidArgument("column lineage needs a transform that is one SELECT; " +
                               (tree.is_discarded() ? std::string("the parse tree is not JSON")
                                                    : tree.value("error_message", std::string("it has several statements"))));
    }
    InputSchemas lower;
    for (const auto& [k, v] : inputs) lower[text::Lower(k)] = v;
    Tracer tracer(lower);
    Relation r = tracer.Node(tree["statements"][0]["node"], {});
    QueryLineage out;
    if (!r.columns) {
        out.columns.push_back({"*", LineageKind::kUnknown, {}, r.unknown_reason});
        return out;
    }
    for (const auto& c : *r.columns) {
        ColumnLineageEntry e{c.name, c.kind, {c.sources.begin(), c.sources.end()}, c.reason};
        out.columns.push_back(std::move(e));
    }
    return out;
}

}  // namespace tessera::search
