# The routes of the web catalog over a small mesh: login settings, the caller, access requests
# from ask to grant, a product's sample (none without a grant, masked with one, clear for its
# owners), changelog, quality issues, policy results and score, scorecards and the domain map.
source "$CASE_DIR/serve_lib.inc"
# Times differ at every run, and so do hashes (under the catalog's own secret key).
web() { call "$@" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/<time>/g; s/"[0-9a-f]{64}"/"<hash>"/g'; }
mkdir -p mesh/data
printf 'order_id,amount,email,customer_id\n1,10.5,ann@example.com,7\n2,20,bob@example.com,8\n3,5,cy@example.com,7\n' > mesh/data/orders.csv
printf 'customer_id,city\n7,Paris\n8,Lyon\n' > mesh/data/customers.csv
cat > mesh/mesh.yaml <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: orders}
spec: {title: Orders, owner: orders_team}
---
apiVersion: tessera/v1
kind: Domain
metadata: {name: users}
spec: {title: Users}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: orders_team}
spec:
  domain: orders
  contact: {email: orders@example.com}
  members: [{user: ann, role: owner}]
---
apiVersion: tessera/v1
kind: Team
metadata: {name: users_team}
spec: {domain: users}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: users, name: customers, version: 1.0.0, owner: users_team}
spec:
  title: Customers
  description: One row per customer account, with the city it lives in.
  inputs: [{name: raw, source: crm, path: data/customers.csv}]
  transform: {query: "select customer_id::BIGINT as customer_id, city::VARCHAR as city from raw"}
  outputs:
    - {name: current, columns: [{name: customer_id, type: BIGINT}, {name: city, type: VARCHAR}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: order_facts, version: 1.0.0, owner: orders_team}
spec:
  title: Order facts
  description: Orders
  kind: aggregate
  inputs:
    - {name: raw, source: shop, path: data/orders.csv}
    - {name: customers, product: users.customers}
  transform: {query: "select order_id::BIGINT as order_id, amount::DOUBLE as amount, email::VARCHAR as email, customer_id::BIGINT as customer_id from raw"}
  outputs:
    - name: daily
      columns:
        - {name: order_id, type: BIGINT}
        - {name: amount, type: DOUBLE}
        - {name: email, type: VARCHAR, classification: pii, mask: hash}
        - {name: customer_id, type: BIGINT}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: returns, version: 0.1.0, owner: users_team}
spec:
  title: Returns
  description: Returned lines.
  inputs: [{name: facts, product: orders.order_facts}]
  transform: {query: "select order_id from facts where amount < 0"}
  outputs:
    - {name: main, columns: [{name: order_id, type: BIGINT}]}
---
apiVersion: tessera/v1
kind: Policy
metadata: {name: products_described}
spec:
  title: Every product has a description of at least 40 characters
  severity: error
  state: warn
  properties: [self-describing, discoverable]
  query: "select product, length(description) as length from products where length(coalesce(description, '')) < 40"
  message: 'the description has {length} characters, fewer than 40'
  remediation: Write spec.description.
YAML
tessera apply mesh -q
sed -i 's/  description: Orders$/  description: One row per order, with the amount paid and the buyer./; 0,/version: 1.0.0, owner: orders_team/s//version: 1.1.0, owner: orders_team/' mesh/mesh.yaml
tessera apply mesh -q -m "describe the order facts"
tessera run --all -q
tessera check -q >/dev/null
tessera issue open orders.order_facts --title "amounts in cents" --column amount --as carl -q
tessera role grant e2e admin -q
tessera role grant ann owner --domain orders -q
OWNER=$(tessera token create --user ann 2>/dev/null)
READER=$(tessera token create --user carl 2>/dev/null)
start_server

# Login settings need no token; the caller and what they may do.
web GET /api/v1/auth/config
web GET /api/v1/me "$READER"
web GET /api/v1/me "$OWNER"

# No grant, no rows: the sample is refused like a query.
web GET /api/v1/domains/orders/products/order_facts/sample "$READER"
# Ask, be refused, be granted.
web POST /api/v1/access-requests "$READER" -H "Content-Type: application/json" \
    --data-binary '{"product": "orders.order_facts", "reason": "weekly report", "until": "2099-12-31"}'
web POST /api/v1/access-requests "$READER" -H "Content-Type: application/json" --data-binary '{"product": "orders.order_facts"}'
web GET /api/v1/access-requests "$READER"
web GET "/api/v1/access-requests?user=ann" "$READER"
web POST /api/v1/access-requests/1/approve "$READER" --data-binary ''
web POST /api/v1/access-requests/1/deny "$OWNER" -H "Content-Type: application/json" --data-binary '{}'
web GET "/api/v1/access-requests?state=pending" "$OWNER"
web POST /api/v1/access-requests/1/approve "$OWNER" -H "Content-Type: application/json" --data-binary '{"reason": "ok for the report"}'
web POST /api/v1/access-requests/1/approve "$OWNER" --data-binary ''
web GET /api/v1/grants "$READER"
# Granted: rows, the PII column masked; the owning team reads it in clear.
web GET "/api/v1/domains/orders/products/order_facts/sample?limit=2" "$READER"
web GET "/api/v1/domains/orders/products/order_facts/sample?limit=1" "$OWNER"
# A masked value is the same in a sample and in a query (one key: the catalog's).
sampled=$(curl -sS -H "Authorization: Bearer $READER" "http://127.0.0.1:$PORT/api/v1/domains/orders/products/order_facts/sample?limit=1" | grep -o '[0-9a-f]\{64\}')
queried=$(curl -sS -H "Authorization: Bearer $READER" -H "Content-Type: application/json" "http://127.0.0.1:$PORT/api/v1/query" \
    --data-binary '{"sql": "select email from orders.order_facts order by order_id limit 1"}' | grep -o '[0-9a-f]\{64\}')
[ -n "$sampled" ] && [ "$sampled" = "$queried" ] || fail "the sample's hash ($sampled) differs from the query's ($queried)"
web GET "/api/v1/domains/orders/products/order_facts/sample?port=weekly" "$READER"
web GET "/api/v1/domains/orders/products/order_facts/sample?limit=500" "$READER"
web GET /api/v1/domains/orders/products/order_factz/sample "$READER"

# The product page: changelog, quality issues, policy results and score.
web GET /api/v1/domains/orders/products/order_facts/history "$READER"
web GET /api/v1/domains/orders/products/order_facts/issues "$READER"
web GET "/api/v1/domains/orders/products/order_facts/issues?state=closed" "$READER"
web GET /api/v1/domains/orders/products/returns/governance "$READER"
web GET /api/v1/domains/orders/products/nothing/governance "$READER"

# The mesh: scores now and their recorded trend, the domain map with its ownership gaps.
web GET "/api/v1/scorecards?scope=mesh&history=5" "$READER"
web GET "/api/v1/scorecards?scope=product&domain=orders" "$READER"
web GET "/api/v1/scorecards?scope=product&history=3" "$READER"
web GET /api/v1/map "$READER"
web GET "/api/v1/map?domain=orders&limit=1" "$READER"
web GET "/api/v1/map?domain=shipping" "$READER"
stop_server
