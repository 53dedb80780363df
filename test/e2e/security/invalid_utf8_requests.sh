# Bytes that are not UTF-8 in the path, a path parameter, the query string, a header and the body
# are refused with a problem (400/401/404), and the server stays up. Before: the 404 of
# /api/v1/nothing/%ff threw in the JSON encoder outside any handler and aborted the process.
source "$CASE_DIR/security_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
READER=$(tessera token create --user carl 2>/dev/null)
start_server

answer 404 route-not-found GET '/api/v1/nothing/%ff'
alive
answer 400 invalid-argument GET '/api/v1/domains/%ff%fe' "$READER"
answer 400 invalid-argument GET '/api/v1/products?domain=%ff' "$READER"
answer 400 invalid-argument GET '/api/v1/search?q=%ed%a0%80' "$READER"
answer 400 invalid-argument GET '/api/v1/domains?limit=%ff' "$READER"
answer 401 unauthenticated GET /api/v1/domains "" -H $'Authorization: Bearer \xff\xfe'
answer 400 invalid-argument POST /api/v1/apply "$READER" -H "Content-Type: application/yaml" -H $'If-Match: \xff'
printf 'apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: caf\xe9}\n' >"$WORK/latin1.yaml"
answer 400 invalid-descriptor POST '/api/v1/apply?dry_run=true' "$READER" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/latin1.yaml"
grep -q '"text": "request:3:21: error: expected UTF-8 text, found the byte 0xe9' "$WORK/body" \
    || { cat "$WORK/body"; fail "the descriptor error is not located at request:3:21"; }
printf '{"sql": "select \xff"}' >"$WORK/query.json"
answer 400 invalid-argument POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary @"$WORK/query.json"
printf '{"files": [{"name": "a\xff.yaml", "text": "kind: Domain"}]}' >"$WORK/files.json"
answer 400 invalid-argument POST '/api/v1/apply?dry_run=true' "$READER" \
    -H "Content-Type: application/vnd.tessera.files+json" --data-binary @"$WORK/files.json"
alive
stop_server >/dev/null
echo "the server stopped cleanly"
