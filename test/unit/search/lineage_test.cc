#include "search/lineage.h"

#include <gtest/gtest.h>

#include "engine/sql_parser.h"

namespace tessera::search {
namespace {

// "name <- kind: input.column, …" per output column, or "name <- unknown: reason".
std::vector<std::string> Trace(const std::string& sql, const InputSchemas& inputs) {
    auto tree = engine::ParseTree(sql);
    EXPECT_TRUE(tree.ok()) << tree.status().ToString();
    auto lineage = ColumnLineage(*tree, inputs);
    EXPECT_TRUE(lineage.ok()) << lineage.status().ToString();
    std::vector<std::string> out;
    if (!lineage.ok()) return out;
    for (const auto& c : lineage->columns) {
        std::string line = c.name + " <- " + std::string(LineageKindName(c.kind));
        if (c.kind == LineageKind::kUnknown) {
            line += ": " + c.reason;
        } else {
            std::string sep = ": ";
            for (const auto& s : c.sources) {
                line += sep + s.input + "." + s.column;
                sep = ", ";
            }
        }
        out.push_back(line);
    }
    return out;
}

const InputSchemas kInputs = {
        {"orders", std::vector<std::string>{"order_id", "customer_id", "amount", "ordered_at"}},
        {"customers", std::vector<std::string>{"customer_id", "email", "country"}},
        {"raw", std::nullopt},
};

using Lines = std::vector<std::string>;

TEST(ColumnLineage, FollowsProjectionsAliasesAndExpressions) {
    EXPECT_EQ(Trace("select order_id, amount * 1.2 as gross, 'eur' as currency, cast(ordered_at as date) as day from orders",
                    kInputs),
              (Lines{"order_id <- direct: orders.order_id", "gross <- derived: orders.amount", "currency <- constant",
                     "day <- derived: orders.ordered_at"}));
}

TEST(ColumnLineage, FollowsJoinsByTableAlias) {
    EXPECT_EQ(Trace("select o.order_id, c.country, coalesce(c.email, o.customer_id::varchar) as contact "
                    "from orders o join customers c on c.customer_id = o.customer_id",
                    kInputs),
              (Lines{"order_id <- direct: orders.order_id", "country <- direct: customers.country",
                     "contact <- derived: customers.email, orders.customer_id"}));
}

TEST(ColumnLineage, FollowsCtesSubqueriesAndAggregates) {
    EXPECT_EQ(Trace("with per_customer as (select customer_id, sum(amount) as total, count(*) as n from orders group by 1) "
                    "select p.customer_id, p.total, p.n, (select max(amount) from orders) as biggest "
                    "from (select * from per_customer) p",
                    kInputs),
              (Lines{"customer_id <- direct: orders.customer_id", "total <- aggregate: orders.amount", "n <- constant",
                     "biggest <- aggregate: orders.amount"}));
}

TEST(ColumnLineage, FollowsWindowFunctions) {
    EXPECT_EQ(Trace("select order_id, rank() over (partition by customer_id order by amount desc) as r from orders", kInputs),
              (Lines{"order_id <- direct: orders.order_id", "r <- window: orders.amount, orders.customer_id"}));
}

TEST(ColumnLineage, ExpandsStarWithExcludeAndColumns) {
    EXPECT_EQ(Trace("select * exclude (email) from customers", kInputs),
              (Lines{"customer_id <- direct: customers.customer_id", "country <- direct: customers.country"}));
    EXPECT_EQ(Trace("select c.*, o.amount from customers c join orders o using (customer_id)", kInputs).size(), 4u);
    EXPECT_EQ(Trace("select columns('_id$') from orders", kInputs),
              (Lines{"order_id <- direct: orders.order_id", "customer_id <- direct: orders.customer_id"}));
}

TEST(ColumnLineage, MergesTheSidesOfAUnion) {
    EXPECT_EQ(Trace("select customer_id, amount from orders union all select customer_id, 0 from customers", kInputs),
              (Lines{"customer_id <- derived: customers.customer_id, orders.customer_id", "amount <- derived: orders.amount"}));
}

TEST(ColumnLineage, NamesSourceColumnsOfFilesButCannotExpandTheirStar) {
    EXPECT_EQ(Trace("select id::bigint as id from raw", kInputs), (Lines{"id <- derived: raw.id"}));
    EXPECT_EQ(Trace("select * from raw", kInputs),
              (Lines{"* <- unknown: * over raw: the columns of input raw are not declared (files)"}));
}

TEST(ColumnLineage, SaysUnknownRatherThanGuess) {
    EXPECT_EQ(Trace("select range as n from range(3)", kInputs),
              (Lines{"n <- unknown: the table function range() reads no declared input"}));
    EXPECT_EQ(Trace("select x from elsewhere", kInputs), (Lines{"x <- unknown: table elsewhere is not an input of the product"}));
    auto script = engine::ParseTree("create table t as select 1; select 2");
    ASSERT_TRUE(script.ok());
    EXPECT_EQ(ColumnLineage(*script, kInputs).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::search
