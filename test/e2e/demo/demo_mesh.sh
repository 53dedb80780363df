# The demo mesh end to end on tiny data: validate, apply, build every product, query across domains.
cp -r "$SOURCE_DIR/examples/ecommerce" mesh
rm -rf mesh/data
"$(dirname "$(readlink -f "$(command -v tessera)")")/tessera-sqlrun" mesh/generate.sql --var scale=0.001 --var out=mesh/data
expect 0 validate mesh
expect 0 apply mesh -m "demo mesh"
expect 0 get domains
expect 0 get teams
expect 0 get products
# Build: every product publishes (timings vary, so only the states are compared).
tessera -q run --all || fail "run --all failed"
tessera --json run --all | grep '^    "product"\|^    "status"' | paste - -
tessera --json status | grep '^    "product"\|^    "state"' | paste - -
expect 0 query "select count(*) as order_lines, count(distinct order_id) as orders, sum(net_amount) as net
                from orders.order_facts"
expect 0 query "select c.loyalty_tier, count(distinct f.order_id) as orders, sum(f.net_amount) as revenue
                from orders.order_facts f join users.customers c using (customer_id)
                where f.is_revenue group by all order by revenue desc"
# e-mail is masked by a keyed hash (a secret of this catalog: its value differs per catalog, so only
# its shape is shown), equal in every query, so masked columns still join.
expect 0 query "select customer_id, regexp_matches(email, '^[0-9a-f]{64}$') as email_is_hashed, full_name, birth_date, city
                from users.customers order by customer_id limit 2"
first=$(tessera query "select email from users.customers order by customer_id limit 1" --format csv | tail -1)
again=$(tessera query "select email from users.customers order by customer_id limit 1" --format csv | tail -1)
[ "$first" = "$again" ] && [ ${#first} -eq 64 ] || fail "a masked hash changed between queries: $first / $again"
expect 0 query "select * from marketing.daily_revenue order by 1 limit 3" --format csv
expect 2 query "select * from read_parquet('$TESSERA_HOME/data/users/customers/customers/v1/part-0.parquet')"
# Lineage from declared inputs and from the transforms' SQL, and impact analysis.
expect 0 lineage marketing.customer_360
expect 0 lineage orders.order_facts.margin_amount
expect 0 lineage orders.order_facts.margin_amount --format dot
expect 0 lineage users.customers.email --downstream --format mermaid
expect 0 lineage traffic.web_events --downstream --depth 1 --json
expect 0 impact orders.order_lines.quantity
expect 3 lineage orders.order_facts.no_such_column
expect 3 impact orders.nothing
# Search: ranked, with facets, filters, typo tolerance and pagination.
expect 0 search "order revenue"
expect 0 search "custmer email"
expect 0 search revenue --domain marketing --limit 2
expect 0 search revenue --domain marketing --limit 2 --cursor 2 --json
expect 0 search "zzzz qqqq"
expect 2 search "!!!"
