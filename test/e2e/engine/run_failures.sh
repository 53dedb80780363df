# What a domain developer sees when a build fails: a schema diff, blocked quality checks (without
# sample rows: the product has a masked column), the previous snapshot still served, downstream
# skipped, and the run history.
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
kind: DataProduct
metadata: {domain: shop, name: customers, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select id::BIGINT as customer_id, email::VARCHAR as email, city::VARCHAR as city from raw"}
  outputs:
    - name: current
      columns:
        - {name: customer_id, type: BIGINT, primary_key: true}
        - {name: email, type: VARCHAR, classification: pii, mask: redact}
        - {name: city, type: VARCHAR, accepted_values: [Paris, Lyon]}
      quality:
        - {name: at_least_two, type: row_count, min: 2}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: cities, owner: shop_team}
spec:
  inputs: [{name: c, product: shop.customers}]
  transform: {query: "select city, count(*)::BIGINT as customers from c group by city"}
  outputs:
    - {name: by_city, columns: [{name: city, type: VARCHAR}, {name: customers, type: BIGINT}]}
YAML
# Like `run`, with durations and sizes written as <n unit>: they vary from run to run.
show() { echo "\$ tessera $*"; { tessera "$@" 2>&1 || echo "[exit $?]"; } | sed -E -e 's/[0-9]+(\.[0-9]+)? (ms|s|min|h)\b/<duration>/g' -e 's/[0-9]+(\.[0-9]+)? (B|KB|MB)\b/<n \2>/g'; }
expect 0 apply mesh
expect 3 run shop.nothing
expect 2 run
show run --all
# A duplicate id and an unknown city: blocked, the previous snapshot stays, the reader is skipped.
printf '1,dup@example.com,Rome\n' >> mesh/data/customers.csv
show run --all
expect 0 query "select customer_id, email, city from shop.customers order by 1"
# The history table's widths follow its durations, so only what follows the table is compared.
echo "\$ tessera runs shop.customers"; tessera runs shop.customers | sed -n '/^run [0-9]*:/,$p'
tessera --json runs shop.customers | grep '^    "run"\|^    "status"\|^    "trigger"' | paste - - -
# The schema drifts: a column-by-column diff.
sed -i 's/city::VARCHAR as city/city::VARCHAR as town/' mesh/mesh.yaml
expect 0 apply mesh
show run shop.customers
echo "\$ tessera status"; tessera --json status | grep '^    "product"\|^    "state"' | paste - -
tessera --json snapshots shop.customers | grep '^    "port"\|^    "version"\|^    "rows"' | paste - - -
