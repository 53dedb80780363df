# Onboarding from data: `init product --from` infers the schema from the demo's generated source
# files (CSV, Parquet, compressed JSON lines), profiles every column and suggests checks; the
# descriptor validates, applies and builds as it is.
cp "$SOURCE_DIR/examples/ecommerce/generate.sql" .
"$(dirname "$(readlink -f "$(command -v tessera)")")/tessera-sqlrun" generate.sql --var scale=0.001 --var out=data
expect 0 init workspace shop --dir ws
expect 0 init product shop.raw_orders --from data/orders/orders.csv --dir ws --owner shop_team
cat ws/domains/shop/products/raw_orders.yaml
expect 0 init product shop.customers --from data/users/customers.parquet --dir ws --owner shop_team
grep -A14 "name: tier" ws/domains/shop/products/customers.yaml
expect 0 init product shop.events --from 'data/traffic/events/*.jsonl.zst' --dir ws --owner shop_team
grep -B1 -A3 "type: STRUCT" ws/domains/shop/products/events.yaml
expect 0 validate ws
expect 0 apply ws -m "inferred from data"
tessera -q run --all || fail "run --all failed"
expect 0 query "select count(*) as orders from shop.raw_orders"
expect 3 init product shop.nothing --from 'data/none/*.csv' --dir ws
expect 2 init product shop.unknown --from data/orders --dir ws
expect 4 init product shop.raw_orders --from data/orders/orders.csv --dir ws
