# Golden conversions of each standard (inputs written by us, in inputs/): import writes native
# descriptors and a report; the descriptors validate, apply, and export back.
I="$CASE_DIR/inputs"
expect 0 import odcs "$I/orders.odcs.yaml" "$I/payments.odcs.yaml" --out ws
cat ws/domains/order_management/products/orders.yaml
cat ws/domains/order_management/teams/order_management.yaml
expect 0 export ws/domains/order_management/products/orders.yaml --format odcs
expect 0 export ws/domains/payments/products/card_payments.yaml --format odcs
expect 0 import dcs "$I/shipments.dcs.yaml" --domain fulfilment --out ws
cat ws/domains/fulfilment/products/shipments.yaml
expect 0 export ws/domains/fulfilment/products/shipments.yaml --format dcs
# ODPS: a new major version of a port is a new port; ports take their columns from the contracts given.
expect 0 import odps "$I/orders.odps.yaml" "$I/orders.odcs.yaml" "$I/payments.odcs.yaml" --domain analytics --out ws
grep -n "name: orders_v\|contractId\|    - name: \|^  name" ws/domains/analytics/products/order_facts.yaml
expect 0 export ws/domains/analytics/products/order_facts.yaml --format odps
# DPDS: the port lives in another file ($ref); import only.
expect 0 import dpds "$I/trips.dpd.yaml" --out ws
cat ws/domains/transport/products/trips.yaml
# dbt: public models with enforced contracts become products, versions become ports, groups teams.
expect 0 import dbt "$I/manifest.json" --out ws
cat ws/domains/shop_analytics/products/fct_orders.yaml
cat ws/domains/shop_analytics/teams/sales.yaml
expect 0 validate ws
expect 0 apply ws -m "imported from ODCS, DCS, ODPS, DPDS and dbt"
# From the catalog, with the owning team.
expect 0 export payments.card_payments --format odcs
expect 0 export fulfilment.shipments --format sql-ddl
expect 0 export fulfilment.shipments --format sql-ddl --dialect postgres
expect 0 export fulfilment.shipments --format dbt
expect 0 export fulfilment.shipments --format jsonschema
expect 0 export order_management.orders --format markdown
expect 0 export order_management.orders --format dcs --out out/orders.dcs.yaml
head -3 out/orders.dcs.yaml
# The DuckDB DDL runs in DuckDB.
tessera export order_management.orders --format sql-ddl > ddl.sql
"$(dirname "$(readlink -f "$(command -v tessera)")")/tessera-sqlrun" ddl.sql && echo "the DDL ran in DuckDB"
