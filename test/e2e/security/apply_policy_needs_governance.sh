# Issue 13, item 0: a consumer (or an anonymous caller) rewrote the mesh's policies by applying a
# `kind: Policy` document: an apply batch was authorized by the domains of its domains, teams and
# products only. Now every kind is authorized by one function (access::AuthorizeBatch) that the
# HTTP apply, the single-product routes and the local apply all call: a global policy needs
# governance, a domain's policy its owners, and apply never moves a policy to or from enforce.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
source "$CASE_DIR/security_lib.inc"
secure_mesh
policy() {  # policy NAME STATE [DOMAIN]
    cat <<YAML
apiVersion: tessera/v1
kind: Policy
metadata: {name: $1${3:+, domain: $3}}
spec:
  title: Every product is refused
  state: $2
  query: "select product from products"
  message: "{product} is refused"
YAML
}
policy nothing_passes enforce >"$WORK/enforce.yaml"
policy nothing_passes warn >"$WORK/warn.yaml"
policy orders_rule warn orders >"$WORK/orders_rule.yaml"
policy orders_rule warn users >"$WORK/orders_rule_moved.yaml"
policy users_rule warn users >"$WORK/users_rule.yaml"
start_server --allow-anonymous-read
before=$(revision)
yaml=(-H "Content-Type: application/yaml")

echo "== a global policy in state enforce, by every identity that may not write it"
http_expect 401 unauthenticated POST /api/v1/apply "" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
http_expect 401 unauthenticated POST "/api/v1/apply?dry_run=true" "" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
http_expect 403 permission-denied POST /api/v1/apply "$CARL" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
grep -q "carl may not manage policies" "$WORK/body" || fail "the refusal does not say what was missing"
http_expect 403 permission-denied POST /api/v1/apply "$DAN" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
http_expect 403 permission-denied POST /api/v1/apply "$ANN" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
echo "== governance may not jump to enforce either: that is policy enforce / propose"
http_expect 409 failed-precondition POST /api/v1/apply "$GUS" "${yaml[@]}" --data-binary @"$WORK/enforce.yaml"
grep -q "apply writes policies in state proposed or warn" "$WORK/body" || fail "no hint to the workflow"
echo "== a policy smuggled into the single-product route"
cat >"$WORK/smuggle.yaml" <<'YAML'
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: scratch, version: 1.0.0, owner: order_management}
spec:
  title: Scratch
  description: Written over HTTP by the attack suite, one row per order.
  kind: aggregate
  inputs: [{name: lines, product: orders.order_lines}]
  transform: {query: "select order_id from lines"}
  outputs:
    - name: main
      columns:
        - {name: order_id, type: BIGINT, description: The order.}
---
YAML
cat "$WORK/enforce.yaml" >>"$WORK/smuggle.yaml"
http_expect 400 invalid-argument POST /api/v1/domains/orders/products "$ANN" "${yaml[@]}" --data-binary @"$WORK/smuggle.yaml"
[ "$(revision)" = "$before" ] || fail "a refused apply changed the catalog"

echo "== what each may do: governance a global rule in warn, an owner their domain's rule"
http_expect 200 "" POST /api/v1/apply "$GUS" "${yaml[@]}" --data-binary @"$WORK/warn.yaml"
http_expect 200 "" POST /api/v1/apply "$ANN" "${yaml[@]}" --data-binary @"$WORK/orders_rule.yaml"
http_expect 403 permission-denied POST /api/v1/apply "$ANN" "${yaml[@]}" --data-binary @"$WORK/users_rule.yaml"
http_expect 403 permission-denied POST /api/v1/apply "$DAN" "${yaml[@]}" --data-binary @"$WORK/users_rule.yaml"
echo "== moving a domain's rule to another domain needs both domains"
http_expect 403 permission-denied POST /api/v1/apply "$ANN" "${yaml[@]}" --data-binary @"$WORK/orders_rule_moved.yaml"
after=$(revision)
[ "$after" = "$((before + 2))" ] || fail "expected two revisions, the catalog went from $before to $after"

echo "== the remote CLI ships policies (it sent none: 'expected one or more descriptors, found none')"
policy remote_rule warn >"$WORK/remote_rule.yaml"
TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN="$CARL" expect 6 apply "$WORK/remote_rule.yaml"
TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN="$GUS" expect 0 apply "$WORK/remote_rule.yaml"
TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN="$GUS" expect 5 apply "$WORK/enforce.yaml"
stop_server >/dev/null

echo "== the local CLI takes the same decision"
TESSERA_USER=carl expect 6 apply "$WORK/enforce.yaml"
TESSERA_USER=ann expect 6 apply "$WORK/users_rule.yaml"
TESSERA_USER=gus expect 5 apply "$WORK/enforce.yaml"
tessera policy list | grep -E '^(nothing_passes|orders_rule|remote_rule|users_rule) '
tessera policy list | grep -q '^users_rule ' && fail "a refused policy was written"
tessera policy list | grep -Eq '^nothing_passes +error +enforce' && fail "a policy was enforced by apply"
echo "== every refusal is in the audit log"
tessera audit --action authorize | grep -q "carl" || fail "carl's refusal is not audited"
tessera audit --action authorize | grep -q "policy/nothing_passes" || fail "the refused enforce is not audited"
