# A catalog with no admin bound is open (every token holder may do everything): serve refuses to
# listen beyond loopback then (nothing is bound), and warns on loopback; once an admin is bound it
# serves without the warning. Only the refusal is tried on 0.0.0.0: it fails before binding.
source "$CASE_DIR/serve_lib.inc"
expect 5 serve --listen 0.0.0.0:0 --no-scheduler
start_server
stop_server
grep -o "warn: access control .* is open[^;]*" "$WORK/serve.log" | sed "s#$WORK#\$WORK#"
expect 0 role grant e2e admin
start_server
stop_server
if grep -q "is open" "$WORK/serve.log"; then fail "warned about open access after an admin was bound"; fi
echo "no warning once an admin is bound"
