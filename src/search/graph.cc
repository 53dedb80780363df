#include "search/graph.h"

#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "search/lineage.h"

namespace tessera::search {
namespace {

// Per product: its declaration and, computed once, its column lineage.
class MeshView {
public:
    MeshView(catalog::Catalog& catalog, const ParseFn& parse) : catalog_(catalog), parse_(parse) {}

    Result<const model::DataProduct*> Product(const std::string& name) {
        auto it = products_.find(name);
        if (it != products_.end()) return &it->second;
        TESSERA_ASSIGN_OR_RETURN(auto found, catalog_.Find(name));
        if (!std::holds_alternative<model::DataProduct>(found.entity)) {
            return InvalidArgument("\"" + name + "\" is not a data product");
        }
        return &products_.emplace(name, std::get<model::DataProduct>(std::move(found.entity))).first->second;
    }

    // The column lineage of a product's transform; an error status when it cannot be traced.
    Result<const QueryLineage*> Columns(const std::string& name) {
        if (auto it = lineage_.find(name); it != lineage_.end()) return &it->second;
        TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* p, Product(name));
        InputSchemas inputs;
        for (const auto& in : p->inputs) {
            if (!in.IsProduct()) {
                inputs[in.name] = std::nullopt;
                continue;
            }
            auto up = Product(in.product);
            if (!up.ok()) {
                inputs[in.name] = std::nullopt;
                continue;
            }
            const model::OutputPort* port = &(*up)->outputs.front();
            for (const auto& o : (*up)->outputs) {
                if (o.name == in.port) port = &o;
            }
            std::vector<std::string> cols;
            for (const auto& c : port->columns) cols.push_back(c.name);
            inputs[in.name] = cols;
        }
        std::string sql = p->transform.sql.empty() && !p->inputs.empty() ? "select * from " + p->inputs.front().name
                                                                         : p->transform.sql;
        TESSERA_ASSIGN_OR_RETURN(std::string tree, parse_(sql));
        TESSERA_ASSIGN_OR_RETURN(QueryLineage lineage, ColumnLineage(tree, inputs));
        return &lineage_.emplace(name, std::move(lineage)).first->second;
    }

    // The node an input of `p` names: the upstream product, or the source.
    static std::string InputNode(const model::DataProduct& p, const std::string& input) {
        for (const auto& in : p.inputs) {
            if (in.name == input) return in.IsProduct() ? in.product : "source:" + (in.source.empty() ? in.name : in.source);
        }
        return "source:" + input;
    }

    catalog::Catalog& catalog() { return catalog_; }

private:
    catalog::Catalog& catalog_;
    const ParseFn& parse_;
    std::map<std::string, model::DataProduct> products_;
    std::map<std::string, QueryLineage> lineage_;
};

// Splits "domain.product.column" into product and column (column empty for a product).
std::pair<std::string, std::string> SplitTarget(const std::string& target) {
    auto first = target.find('.');
    auto second = first == std::string::npos ? std::string::npos : target.find('.', first + 1);
    if (second == std::string::npos) return {target, ""};
    return {target.substr(0, second), target.substr(second + 1)};
}

}  // namespace

Result<LineageGraph> BuildLineage(catalog::Catalog& catalog, const LineageRequest& request, const ParseFn& parse) {
    MeshView mesh(catalog, parse);
    auto [product, column] = SplitTarget(request.target);
    TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* root, mesh.Product(product));
    LineageGraph g;
    g.root = request.target;
    g.direction = request.direction;
    g.column_level = !column.empty();
    if (!column.empty()) {
        bool declared = false;
        for (const auto& o : root->outputs) {
            for (const auto& c : o.columns) declared |= text::Lower(c.name) == text::Lower(column);
        }
        if (!declared) return NotFound("data product " + product + " has no column \"" + column + "\"");
    }
    std::set<std::string> seen{request.target};
    std::vector<std::pair<std::string, int>> frontier{{request.target, 0}};
    TESSERA_ASSIGN_OR_RETURN(auto deps, catalog.Dependencies());
    while (!frontier.empty()) {
        auto [node, level] = frontier.back();
        frontier.pop_back();
        if (request.depth > 0 && level >= request.depth) continue;
        auto add = [&](const std::string& from, const std::string& to, const std::string& kind) {
            g.edges.push_back({from, to, kind});
            const std::string& next = request.direction == Direction::kUpstream ? from : to;
            if (seen.insert(next).second && next.rfind("source:", 0) != 0) frontier.push_back({next, level + 1});
        };
        auto [p, col] = SplitTarget(node);
        if (!g.column_level) {
            if (request.direction == Direction::kUpstream) {
                TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* prod, mesh.Product(p));
                for (const auto& in : prod->inputs) add(MeshView::InputNode(*prod, in.name), p, "input");
            } else {
                for (const auto& d : deps) {
                    if (d.upstream == p) add(p, d.product, "input");
                }
            }
            continue;
        }
        if (request.direction == Direction::kUpstream) {
            TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* prod, mesh.Product(p));
            auto lineage = mesh.Columns(p);
            if (!lineage.ok()) {
                g.unknown.push_back(node + ": " + lineage.status().message());
                continue;
            }
            bool found = false;
            for (const auto& c : (*lineage)->columns) {
                if (text::Lower(c.name) != text::Lower(col)) continue;
                found = true;
                if (c.kind == LineageKind::kUnknown) g.unknown.push_back(node + ": " + c.reason);
                for (const auto& s : c.sources) {
                    add(MeshView::InputNode(*prod, s.input) + "." + s.column, node, std::string(LineageKindName(c.kind)));
                }
            }
            if (!found) g.unknown.push_back(node + ": the transform produces no column of this name");
        } else {
            for (const auto& d : deps) {
                if (d.upstream != p) continue;
                TESSERA_ASSIGN_OR_RETURN(const model::DataProduct* reader, mesh.Product(d.product));
                auto lineage = mesh.Columns(d.product);
                if (!lineage.ok()) {
                    g.unknown.push_back(d.product + ": " + lineage.status().message());
                    continue;
                }
                for (const auto& c : (*lineage)->columns) {
                    if (c.kind == LineageKind::kUnknown) g.unknown.push_back(d.product + "." + c.name + ": " + c.reason);
                    for (const auto& s : c.sources) {
                        if (MeshView::InputNode(*reader, s.input) == p && text::Lower(s.column) == text::Lower(col)) {
                            add(node, d.product + "." + c.name, std::string(LineageKindName(c.kind)));
                        }
                    }
                }
            }
        }
    }
    std::sort(g.unknown.begin(), g.unknown.end());
    g.unknown.erase(std::unique(g.unknown.begin(), g.unknown.end()), g.unknown.end());
    return g;
}

std::string RenderTree(const LineageGraph& g) {
    bool up = g.direction == Direction::kUpstream;
    std::multimap<std::string, const LineageEdge*> children;
    for (const auto& e : g.edges) children.emplace(up ? e.to : e.from, &e);
    std::ostringstream out;
    out << g.root << (up ? "  (upstream)" : "  (downstream)") << "\n";
    std::set<std::string> printed;
    std::function<void(const std::string&, const std::string&)> walk = [&](const std::string& node, const std::string& indent) {
        auto range = children.equal_range(node);
        std::vector<const LineageEdge*> list;
        for (auto it = range.first; it != range.second; ++it) list.push_back(it->second);
        for (size_t i = 0; i < list.size(); ++i) {
            bool last = i + 1 == list.size();
            const std::string& next = up ? list[i]->from : list[i]->to;
            out << indent << (last ? "└─ " : "├─ ") << next;
            if (list[i]->kind != "input") out << "  [" << list[i]->kind << "]";
            if (!printed.insert(next).second && children.count(next)) {
                out << "  (see above)\n";
                continue;
            }
            out << "\n";
            walk(next, indent + (last ? "   " : "│  "));
        }
    };
    walk(g.root, "");
    if (g.edges.empty()) out << "(nothing " << (up ? "upstream" : "downstream") << ")\n";
    for (const auto& u : g.unknown) out << "unknown: " << u << "\n";
    return out.str();
}

std::string RenderJson(const LineageGraph& g) {
    nlohmann::ordered_json j;
    j["root"] = g.root;
    j["direction"] = g.direction == Direction::kUpstream ? "upstream" : "downstream";
    j["level"] = g.column_level ? "column" : "product";
    std::set<std::string> nodes{g.root};
    j["edges"] = nlohmann::ordered_json::array();
    for (const auto& e : g.edges) {
        j["edges"].push_back({{"from", e.from}, {"to", e.to}, {"kind", e.kind}});
        nodes.insert(e.from);
        nodes.insert(e.to);
    }
    j["nodes"] = nodes;
    j["unknown"] = g.unknown;
    return j.dump(2) + "\n";
}

std::string RenderDot(const LineageGraph& g) {
    std::ostringstream out;
    out << "digraph lineage {\n  rankdir=LR;\n  node [shape=box];\n  \"" << g.root << "\" [style=bold];\n";
    for (const auto& e : g.edges) {
        out << "  \"" << e.from << "\" -> \"" << e.to << "\"";
        if (e.kind != "input") out << " [label=\"" << e.kind << "\"]";
        out << ";\n";
    }
    out << "}\n";
    return out.str();
}

std::string RenderMermaid(const LineageGraph& g) {
    std::map<std::string, std::string> ids;
    auto id = [&](const std::string& node) {
        auto [it, inserted] = ids.emplace(node, "n" + std::to_string(ids.size()));
        return it->second;
    };
    std::ostringstream out;
    out << "graph LR\n";
    std::set<std::string> declared;
    auto declare = [&](const std::string& node) {
        if (declared.insert(node).second) out << "  " << id(node) << "[\"" << node << "\"]\n";
    };
    declare(g.root);
    for (const auto& e : g.edges) {
        declare(e.from);
        declare(e.to);
        out << "  " << id(e.from) << " -->" << (e.kind == "input" ? "" : "|" + e.kind + "|") << " " << id(e.to) << "\n";
    }
    return out.str();
}

}  // namespace tessera::search
