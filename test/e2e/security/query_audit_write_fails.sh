# docs/access.md: "a query whose audit line cannot be written fails". Over HTTP the query was
# answered anyway when its audit write failed. The audit write is made to fail for real (a trigger
# in the catalog refuses the query's row); the query must then answer no rows (503 unavailable).
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
source "$CASE_DIR/security_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
READER=$(tessera token create --user carl 2>/dev/null)
start_server
answer 200 - POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary '{"sql": "select 42 as answer"}'
grep -q '42' "$WORK/body" || fail "the query did not answer"
sqlite3 "$TESSERA_HOME/catalog.db" "CREATE TRIGGER e2e_audit_fails BEFORE INSERT ON audit_log WHEN NEW.action = 'query' \
    BEGIN SELECT RAISE(ABORT, 'disk full (e2e)'); END;"
answer 503 unavailable POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary '{"sql": "select 42 as answer"}'
grep -q '42' "$WORK/body" && fail "the result was answered without its audit line"
grep -q 'could not be recorded in the audit log' "$WORK/body" || fail "the problem does not say why"
sqlite3 "$TESSERA_HOME/catalog.db" "DROP TRIGGER e2e_audit_fails;"
stop_server >/dev/null
