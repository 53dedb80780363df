# Failed logins cannot fill the append-only audit log, and guessing is throttled: per client
# address and reason, the first failure of a minute is audited at once and the rest as one row
# with their count; past max_failed_logins a minute the address is answered 429 with Retry-After
# (valid tokens too, until the minute is over). Before: one audit row per failed request.
source "$CASE_DIR/security_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
READER=$(tessera token create --user carl 2>/dev/null)
echo "max_failed_logins: 40" >"$WORK/server.yaml"
start_server --config "$WORK/server.yaml"
BAD="tsr_0123456789abcdef_$(printf 'x%.0s' $(seq 43))"
rows_before=$(tessera audit --action authenticate --limit 100000 2>/dev/null | grep -c denied || true)
for _ in $(seq 40); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BAD" "http://127.0.0.1:$PORT/api/v1/domains")
    [ "$code" = 401 ] || fail "a failed login answered $code, expected 401"
done
echo "40 failed logins -> 401"
answer 429 rate-limited GET /api/v1/domains "$BAD"
grep -qi '^retry-after: [0-9]' "$WORK/headers" || fail "no Retry-After"
answer 429 rate-limited GET /api/v1/domains "$READER"
alive
stop_server >/dev/null
rows=$(tessera audit --action authenticate --limit 100000 2>/dev/null | grep -c denied || true)
echo "audit rows for 42 refused logins (2 reasons: the first and a count each): $((rows - rows_before))"
[ "$((rows - rows_before))" -le 4 ] || { tessera audit --action authenticate; fail "failed logins are audited one row each"; }
tessera audit --action authenticate 2>/dev/null | grep -q '39 more of' || { tessera audit --action authenticate; fail "no aggregated row with the count"; }
