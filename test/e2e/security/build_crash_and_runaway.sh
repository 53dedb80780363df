# A build that crashes (SIGSEGV, abort), runs past its time limit or past its memory limit ends as
# a failed run with a clear message; the previous snapshot stays published; a `tessera serve`
# that ran it (HTTP run route) stays up and keeps answering.
source "$CASE_DIR/build_lib.inc"
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers shop.attack
still_published() {
    [ "$(tessera query "select x from shop.attack" --format csv | tail -1)" = ok ] || fail "the previous snapshot is gone"
}
first_error_line() { grep -A1 '^shop.attack  failed' "$WORK/run.out" | sed -n 2p | sed 's/^ *//'; }
run_expecting_failure() {
    local rc=0
    tessera run "$@" >"$WORK/run.out" 2>&1 || rc=$?
    echo "\$ tessera run $*"
    first_error_line
    [ "$rc" -eq 5 ] || { cat "$WORK/run.out"; fail "expected exit 5, got $rc"; }
}
TESSERA_TEST_BUILD_FAULT=segv run_expecting_failure shop.attack
grep -q "the build process crashed (signal 11, SIGSEGV)" "$WORK/run.out" || fail "no crash message"
TESSERA_TEST_BUILD_FAULT=abort run_expecting_failure shop.attack
grep -q "the build process crashed (signal 6, SIGABRT)" "$WORK/run.out" || fail "no crash message"
TESSERA_TEST_BUILD_FAULT=garbage run_expecting_failure shop.attack
grep -q "the build process answered no result" "$WORK/run.out" || fail "no message for a garbled result"
still_published

# Runaway SQL: past the time limit, past the memory limit.
mesh_with "select count(*)::VARCHAR as x from range(1000000000000) a"
tessera -q apply mesh
run_expecting_failure shop.attack --timeout 2
grep -q "the build ran past its time limit of 2 s and was stopped" "$WORK/run.out" || fail "no timeout message"
mesh_with "select length(string_agg(repeat('x', 1000) || i::VARCHAR, ','))::VARCHAR as x from range(200000) t(i)"
tessera -q apply mesh
run_expecting_failure shop.attack --memory-limit 20MB
grep -q "Out of Memory Error" "$WORK/run.out" || fail "no out-of-memory message"
still_published
[ -z "$(ls -A "$TESSERA_HOME/data/shop/attack/result" | grep -v '^v1$')" ] || fail "leftovers: $(ls -A "$TESSERA_HOME/data/shop/attack/result")"

# The same through the server's run route: the server stays up, answers /healthz and the next run.
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera role grant e2e admin -q
ADMIN=$(tessera token create --user e2e 2>/dev/null)
TESSERA_TEST_BUILD_FAULT=segv start_server
call POST /api/v1/domains/shop/products/attack/runs "$ADMIN" --data "" | grep -o '"status": *"[a-z]*"\|the build process crashed (signal 11, SIGSEGV)' | sort -u
call GET /healthz | grep -x "200 text/plain\|ok"
stop_server >/dev/null
printf 'build_timeout_s: 2\n' > "$WORK/serve.yaml"
mesh_with "select count(*)::VARCHAR as x from range(1000000000000) a"
tessera -q apply mesh
start_server --config "$WORK/serve.yaml"
call POST /api/v1/domains/shop/products/attack/runs "$ADMIN" --data "" | grep -o '"status": *"[a-z]*"\|the build ran past its time limit of 2 s' | sort -u
call GET /healthz | grep -x "200 text/plain\|ok"
call GET /api/v1/domains/shop/products/attack/snapshots "$ADMIN" | grep -o '"version": *[0-9]*'
stop_server >/dev/null
still_published
catalog_intact
