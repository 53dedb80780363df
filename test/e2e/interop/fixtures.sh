# The standards' own examples (test/fixtures/standards), field by field: what import writes and what
# export gives back (the unit round trip compares them as data).
F="$SOURCE_DIR/test/fixtures/standards"
expect 0 import odcs "$F/odcs/full-example.odcs.yaml" --out ws
cat ws/domains/seller/products/my_quantum.yaml
cat ws/domains/seller/teams/my_team.yaml
expect 0 export ws/domains/seller/products/my_quantum.yaml --format odcs
expect 0 import dcs "$F/datacontract-specification/orders-latest.datacontract.yaml" --domain checkout --out ws
cat ws/domains/checkout/products/orders_latest.yaml
expect 0 export ws/domains/checkout/products/orders_latest.yaml --format dcs
expect 0 import odps "$F/odps/customer-data-product.odps.yaml" --out ws --json
expect 2 import odcs "$F/odcs/basic-four-dpo.odcs.yaml" --out ws
expect 2 import dpds "$F/dpds/minimal.dpd.json" --out ws
