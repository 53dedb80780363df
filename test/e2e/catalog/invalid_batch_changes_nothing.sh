# A batch with one invalid product is refused whole: the catalog keeps its revision and contents.
run init workspace orders
run init product orders.returns
expect 0 apply domains
tessera get products --json > before.json
run init product orders.refunds
run init product orders.exchanges
sed -i 's/owner: orders_team/owner: nobody/' domains/orders/products/exchanges.yaml
sed -i 's/^  version: 0.1.0/  version: 0.2.0/' domains/orders/products/returns.yaml
expect 2 apply domains
expect 2 plan domains
tessera get products --json > after.json
cmp before.json after.json || fail "the catalog changed"
expect 0 history orders.returns
