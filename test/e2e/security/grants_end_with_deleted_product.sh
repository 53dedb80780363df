# Issue 13, item 13: grants survived deleting and re-creating a product of the same name, so an old
# (unmasked) grant read the new product. Now deleting a product ends its access in the same
# transaction: its grants are revoked and its pending requests denied, each audited; the product
# created again under the name starts with no reader. Through HTTP and through the CLI.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
source "$CASE_DIR/security_lib.inc"
secure_mesh
cat >"$WORK/scratch.yaml" <<'YAML'
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: orders, name: scratch, version: 1.0.0, owner: order_management}
spec:
  title: Scratch
  description: Written by the attack suite, one row per order with its buyer's e-mail.
  kind: aggregate
  inputs: [{name: lines, product: orders.order_lines}]
  transform: {query: "select order_id, 'x@example.org' as email from lines"}
  outputs:
    - name: main
      columns:
        - {name: order_id, type: BIGINT, description: The order.}
        - {name: email, type: VARCHAR, description: The buyer's e-mail., classification: pii, mask: hash}
YAML
grants_of() { tessera access grants --user "$1" --all --json; }
round() {  # round N: a grant (carl, unmasked) and a pending request (uma) on the product
    TESSERA_USER=ann expect 0 apply "$WORK/scratch.yaml" -q
    expect 0 access request orders.scratch --reason "weekly report" --unmasked --as carl
    expect 0 access approve "$1" --as ann
    expect 0 access request orders.scratch --reason "churn study" --as uma
}

echo "== deleted over HTTP by the domain's owner"
round 1
start_server
http_expect 200 "" DELETE "/api/v1/domains/orders/products/scratch" "$ANN"
stop_server >/dev/null
TESSERA_USER=ann expect 0 apply "$WORK/scratch.yaml" -q
grants_of carl | grep -q '"revoked_by": "ann"' || fail "the grant outlived its product"
expect 6 query "select email from orders.scratch" --as carl
tessera access list --user uma --json | grep -q '"state": "denied"' || fail "the pending request outlived its product"
tessera audit --action access.revoke | grep -q "grant 1 orders.scratch" || fail "the revocation is not audited"
tessera audit --action access.deny | grep -q "request 2 orders.scratch" || fail "the denial is not audited"

echo "== deleted with the CLI"
round 3
TESSERA_USER=ann expect 0 delete orders.scratch -q
TESSERA_USER=ann expect 0 apply "$WORK/scratch.yaml" -q
[ "$(tessera access grants --user carl --json | grep -c '"product": "orders.scratch"')" = 0 ] || fail "an active grant survived"
expect 6 query "select email from orders.scratch" --as carl
echo "== a refused delete ends nothing"
round 5
TESSERA_USER=dan expect 6 delete orders.scratch
[ "$(tessera access grants --user carl --json | grep -c '"product": "orders.scratch"')" = 1 ] || fail "a refused delete revoked"
