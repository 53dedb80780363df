# Breaking changes: plan and apply compare a product's new output port with the published one.
# Compatible changes pass; a breaking change without a major version fails plan and is refused by
# apply (exit 5, nothing written), with every consumer listed (transitively, with owners and
# whether its SQL uses the column); with a major version it is applied and still listed.
mkdir -p mesh/data
printf 'id,email,city\n1,ann@example.com,Paris\n2,bob@example.com,Lyon\n' > mesh/data/customers.csv
cat > mesh/mesh.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: analytics}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: cities, owner: analytics}
spec:
  inputs: [{name: c, product: shop.customers}]
  transform: {query: "select city, count(*)::BIGINT as customers from c group by city"}
  outputs:
    - {name: by_city, columns: [{name: city, type: VARCHAR}, {name: customers, type: BIGINT}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: mailing, owner: analytics}
spec:
  inputs: [{name: c, product: shop.customers}]
  transform: {query: "select email from c"}
  outputs:
    - {name: list, columns: [{name: email, type: VARCHAR}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: board, owner: shop_team}
spec:
  inputs: [{name: b, product: shop.cities}]
  outputs:
    - {name: view, columns: [{name: city, type: VARCHAR}, {name: customers, type: BIGINT}]}
YAML
# customers VERSION: writes shop.customers with the columns and extras given on stdin.
customers() {
    { cat <<YAML
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: customers, owner: shop_team, version: $1}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select id::INTEGER as customer_id, email::VARCHAR as email, city::VARCHAR as city from raw"}
  outputs:
    - name: current
YAML
      cat; } > mesh/customers.yaml
}
customers 1.0.0 <<'YAML'
      columns:
        - {name: customer_id, type: INTEGER, required: true}
        - {name: email, type: VARCHAR}
        - {name: city, type: VARCHAR, accepted_values: [Paris, Lyon]}
      quality: [{name: enough, type: row_count, min: 1}]
      sla: {freshness: 24h}
YAML
expect 0 apply mesh -m "first version"
# Compatible: a widened type, a new column, more accepted values, a stricter SLA and a new check.
customers 1.1.0 <<'YAML'
      columns:
        - {name: customer_id, type: BIGINT, required: true}
        - {name: email, type: VARCHAR}
        - {name: city, type: VARCHAR, accepted_values: [Paris, Lyon, Nice]}
        - {name: zip, type: VARCHAR}
      quality: [{name: enough, type: row_count, min: 1}, {name: some_email, sql: "select * from current where email is null", max_rows: 5}]
      sla: {freshness: 12h}
YAML
expect 0 plan mesh
expect 0 apply mesh -m "compatible additions"
# Breaking, at version 1.2.0: a removed column, a narrowed type, a column made unique, tightened
# accepted values, a removed quality check and a looser SLA.
customers 1.2.0 <<'YAML'
      columns:
        - {name: customer_id, type: INTEGER, required: true}
        - {name: email, type: VARCHAR, unique: true}
        - {name: zip, type: VARCHAR, accepted_values: ["75001"]}
      quality: [{name: some_email, sql: "select * from current where email is null", max_rows: 5}]
      sla: {freshness: 48h}
YAML
expect 5 plan mesh
expect 5 apply mesh -m "breaking without a major version"
expect 5 --quiet apply mesh --dry-run
run history shop.customers
expect 0 get products
tessera --json plan mesh 2>/dev/null | grep '"rule"' || true
# A major version: applied, and the breaking changes are still listed.
sed -i 's/version: 1.2.0/version: 2.0.0/' mesh/customers.yaml
expect 0 plan mesh
expect 0 apply mesh -m "2.0: city goes away"
expect 0 get products
expect 0 plan mesh
