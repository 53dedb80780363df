# Issue 13, item 8: the owner of one domain moved another domain's team into theirs by apply (a
# team change was checked against its new domain only), then deleted it with
# `DELETE /api/v1/teams/<team>?force=true`. Now an entity whose domain changes needs the right to
# write both domains, the one it leaves and the one it joins.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
source "$CASE_DIR/security_lib.inc"
secure_mesh
sed 's/^  domain: users$/  domain: orders/' "$SOURCE_DIR/examples/ecommerce/domains/users/team.yaml" >"$WORK/moved_team.yaml"
grep -q "domain: orders" "$WORK/moved_team.yaml" || fail "the fixture did not move the team"
start_server
before=$(revision)
echo "== the owner of orders takes the users team"
http_expect 403 permission-denied POST /api/v1/apply "$ANN" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/moved_team.yaml"
grep -q "ann may not change domain users" "$WORK/body" || fail "the refusal does not name the domain left"
http_expect 403 permission-denied POST "/api/v1/apply?dry_run=true" "$ANN" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/moved_team.yaml"
echo "== and cannot delete it where it stays"
http_expect 403 permission-denied DELETE "/api/v1/teams/customer_identity?force=true" "$ANN"
[ "$(revision)" = "$before" ] || fail "a refused request changed the catalog"
http_expect 200 "" GET /api/v1/teams/customer_identity "$CARL"
grep -q '"domain": "users"' "$WORK/body" || fail "the team moved"
echo "== the remote and the local CLI take the same decision"
TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN="$ANN" expect 6 apply "$WORK/moved_team.yaml"
stop_server >/dev/null
TESSERA_USER=ann expect 6 apply "$WORK/moved_team.yaml"
TESSERA_USER=dan expect 6 apply "$WORK/moved_team.yaml"
echo "== an admin may move it"
expect 0 apply "$WORK/moved_team.yaml" -q
tessera get teams --domain orders | grep -q "customer_identity" || fail "the admin's move was not applied"
tessera audit --action authorize | grep -q "ann" || fail "the refusal is not audited"
