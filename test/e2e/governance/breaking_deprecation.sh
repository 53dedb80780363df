# Deprecation: a port (or column) marked deprecated shows in describe, get and search, warns the
# plans of the products that read it, cannot be removed before its sunset (even in a major
# version), and after the sunset goes away as a breaking change with a major version.
mkdir -p mesh/data
printf 'id,email,city\n1,ann@example.com,Paris\n' > mesh/data/customers.csv
cat > mesh/teams.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
YAML
# customers VERSION LEGACY_EXTRA CITY_EXTRA [no-legacy]
customers() {
    cat > mesh/customers.yaml <<YAML
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: customers, owner: shop_team, version: $1}
spec:
  description: Customers of the shop, one row each.
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "create table current as select id::BIGINT as id, city::VARCHAR as city from raw; create table legacy as select id::BIGINT as id from raw"}
  outputs:
    - name: current
      columns: [{name: id, type: BIGINT}, {name: city, type: VARCHAR$3}]
YAML
    if [ "${4:-}" != no-legacy ]; then
        cat >> mesh/customers.yaml <<YAML
    - name: legacy
      columns: [{name: id, type: BIGINT}]$2
YAML
    fi
}
reader() {
    cat > mesh/report.yaml <<YAML
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: report, owner: shop_team}
spec:
  inputs: [{name: c, product: shop.customers.$1}]
  outputs: [{name: main, columns: [{name: id, type: BIGINT}]}]
YAML
}
customers 1.0.0 "" ""
reader legacy
expect 0 apply mesh
customers 1.1.0 "
      deprecated: {since: 1.1.0, sunset: \"2999-12-31\", reason: one port is enough, replacement: shop.customers.current}" ", deprecated: {sunset: \"2999-06-30\"}"
# Deprecating is compatible; the reader's plan is warned.
expect 0 plan mesh
expect 0 apply mesh -m "legacy port and city column deprecated"
expect 0 describe shop.customers
expect 0 get products
expect 0 search customers
# The sunset is far away: removing the port is refused, even in a major version.
customers 2.0.0 "" ", deprecated: {sunset: \"2999-06-30\"}" no-legacy
reader current
expect 5 plan mesh
expect 5 apply mesh
run history shop.customers
# As of a day after the sunset ($TESSERA_TODAY, as for policies), the same batch is allowed.
TESSERA_TODAY=3000-01-01 expect 0 --quiet plan mesh
# A column deprecated until 2999 cannot go either.
customers 2.0.0 "
      deprecated: {since: 1.1.0, sunset: \"2999-12-31\"}" ""
sed -i 's/{name: city, type: VARCHAR}//; s/, ]/]/' mesh/customers.yaml
expect 5 plan mesh
# The owners move the sunset to a day that has passed (a warning), then remove the port: allowed
# as a breaking change, with a major version only.
customers 1.2.0 "
      deprecated: {since: 1.1.0, sunset: \"2020-01-01\", replacement: shop.customers.current}" ", deprecated: {sunset: \"2999-06-30\"}"
reader legacy
expect 0 apply mesh -m "legacy goes now"
customers 1.3.0 "" ", deprecated: {sunset: \"2999-06-30\"}" no-legacy
reader current
expect 5 plan mesh
sed -i 's/version: 1.3.0/version: 2.0.0/' mesh/customers.yaml
expect 0 apply mesh -m "2.0: legacy removed"
expect 0 get products
# A sunset that is not a date is an error at its line and column.
customers 2.0.0 "" ", deprecated: {sunset: \"2999-02-30\", since: soon}" no-legacy
expect 2 validate mesh
