#pragma once

// Lineage across the mesh: products from their declared inputs, columns from their transforms'
// SQL (column lineage per product, followed through input ports into upstream products).
//
//   search::LineageRequest req{.target = "orders.order_facts.net_amount", .direction = search::Direction::kUpstream};
//   TESSERA_ASSIGN_OR_RETURN(auto graph, search::BuildLineage(catalog, req, engine::ParseTree));
//   std::cout << search::RenderTree(graph);
//
// Nodes are `domain.product` (products), `domain.product.column` (columns), and
// `source:<input>` / `source:<input>.<column>` (files a source-aligned product reads).

#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/result.h"

namespace tessera::search {

enum class Direction { kUpstream, kDownstream };

struct LineageRequest {
    std::string target;  // domain.product or domain.product.column
    Direction direction = Direction::kUpstream;
    int depth = 0;  // 0: no limit
};

struct LineageEdge {
    std::string from;  // upstream node
    std::string to;    // downstream node
    std::string kind;  // "input" for products; direct | derived | aggregate | window for columns
};

struct LineageGraph {
    std::string root;
    Direction direction = Direction::kUpstream;
    bool column_level = false;
    std::vector<LineageEdge> edges;    // in traversal order
    std::vector<std::string> unknown;  // "node: reason" where a column could not be traced
};

// Parses SQL into DuckDB's JSON parse tree (engine::ParseTree).
using ParseFn = std::function<Result<std::string>(const std::string& sql)>;

// kNotFound for an unknown product or column.
Result<LineageGraph> BuildLineage(catalog::Catalog& catalog, const LineageRequest& request, const ParseFn& parse);

std::string RenderTree(const LineageGraph& g);
std::string RenderJson(const LineageGraph& g);
std::string RenderDot(const LineageGraph& g);
std::string RenderMermaid(const LineageGraph& g);

}  // namespace tessera::search
