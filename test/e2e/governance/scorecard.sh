# Scorecards per product, property and domain, recorded by each check; the trend over checks.
cp "$CASE_DIR/fixtures/mesh.yaml" .
run init workspace orders
rm -rf domains
expect 0 apply mesh.yaml policies
expect 3 scorecard
expect 0 check
expect 0 scorecard
expect 0 scorecard --domain users
expect 0 scorecard orders.order_lines --json
# users fixes its identifier type; the next check records the better score.
sed -i 's/{name: customer_id, type: VARCHAR, description: The customer.s number in the CRM., classification: internal}/{name: customer_id, type: BIGINT, description: The number of the customer in the CRM., classification: internal}/' mesh.yaml
sed -i 's/name: customers, version: 1.0.0/name: customers, version: 2.0.0/' mesh.yaml
expect 0 apply mesh.yaml
expect 0 check
expect 0 scorecard --history
expect 0 scorecard --domain users --history
expect 3 scorecard nobody.nothing
