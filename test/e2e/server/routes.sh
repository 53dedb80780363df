# The REST API over the demo catalog: reads, pagination, ETags, problems, writes, health.
source "$CASE_DIR/serve_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
tessera role grant ann owner --domain orders -q
OWNER=$(tessera token create --user ann 2>/dev/null)
READER=$(tessera token create --user carl 2>/dev/null)
cat >"$WORK/scratch.yaml" <<'YAML'
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: scratch, version: 1.0.0, owner: order_management}
spec:
  title: Scratch
  description: Written over HTTP by the routes test, one row per order.
  kind: aggregate
  inputs: [{name: lines, product: orders.order_lines}]
  transform: {query: "select order_id from lines"}
  outputs:
    - name: main
      columns:
        - {name: order_id, type: BIGINT, description: The order.}
YAML
start_server

call GET /healthz
call GET /api/v1/domains "" 
call GET "/api/v1/domains?limit=2" "$READER"
call GET "/api/v1/domains?limit=2&cursor=636174616c6f67" "$READER"
call GET /api/v1/domains/orders "$READER"
call GET /api/v1/domains/orders/products/order_lines/ports/lines "$READER" 
call GET /api/v1/domains/orders/products/order_factz "$READER"
call GET /api/v1/domains/orders/products/order_facts/snapshots "$READER"
call GET /api/v1/domains/orders/products/order_facts/runs "$READER"
call GET "/api/v1/impact?target=orders.order_lines.quantity" "$READER"
call GET /api/v1/nowhere "$READER"
call POST "/api/v1/apply?dry_run=true" "$READER" -H "Content-Type: application/yaml" --data-binary "kind: [broken"
call PUT /api/v1/domains/orders/products/scratch "$READER" -H "Content-Type: application/yaml" --data-binary @"$WORK/scratch.yaml"
call POST /api/v1/domains/orders/products "$OWNER" -H "Content-Type: application/yaml" --data-binary @"$WORK/scratch.yaml" \
    | sed 's/"revision": [0-9]*/"revision": N/'
call POST /api/v1/domains/orders/products "$OWNER" -H "Content-Type: application/yaml" --data-binary @"$WORK/scratch.yaml"
call PUT /api/v1/domains/orders/products/scratch "$OWNER" -H "Content-Type: application/yaml" -H 'If-Match: "1"' \
    --data-binary @"$WORK/scratch.yaml"
call DELETE /api/v1/domains/orders/products/order_lines "$OWNER"
call POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary '{"sql": "select 1 as one, null as nothing"}'
call POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary '{"sql": "select 1 as one", "format": "csv"}'
stop_server
grep -q 'access {.*"route":"/api/v1/domains","status":200' "$WORK/serve.log" || fail "no access log line"
