# The CLI's remote mode prints what local mode prints: each command runs against the catalog,
# then through `tessera serve` on the same catalog, and the two outputs (and exit codes) must be
# byte-identical. The golden keeps the remote outputs.
source "$CASE_DIR/serve_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
TOKEN=$(tessera token create --user e2e 2>/dev/null)
start_server

same() {
    local rc_local=0 rc_remote=0
    tessera "$@" >"$WORK/local.out" 2>&1 || rc_local=$?
    TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN="$TOKEN" tessera "$@" >"$WORK/remote.out" 2>&1 || rc_remote=$?
    echo "\$ tessera --server … $*"
    cat "$WORK/remote.out"
    [ "$rc_remote" -eq 0 ] || echo "[exit $rc_remote]"
    if ! diff -u "$WORK/local.out" "$WORK/remote.out" >&2 || [ "$rc_local" -ne "$rc_remote" ]; then
        fail "remote output of \`tessera $*\` differs from local (exit $rc_local vs $rc_remote)"
    fi
}

same get domains
same get products --domain orders
same get teams --json
same describe orders.order_facts
same describe orders
same describe order_management
same describe orders.order_factz
same search "order revenue" --limit 3
same search ordr --domain orders --json
same lineage marketing.customer_360
same lineage orders.order_facts.margin_amount --format mermaid
same impact orders.order_lines.quantity
same status
same runs orders.order_facts
same query "select 1 as one, 'x,y' as two, null as three"
same query "select 42 as answer" --format csv
same query "select * from read_csv('/etc/passwd')"
same plan "$SOURCE_DIR/examples/ecommerce/domains/orders"
same apply "$SOURCE_DIR/examples/ecommerce/domains/orders" --dry-run --json
same apply "$SOURCE_DIR/examples/ecommerce/domains/orders" -m "no change"
# Governance through the server as locally: a breaking change without a major version (narrowed
# types) and an enforced policy's error are refused alike, and nothing is written.
cp -r "$SOURCE_DIR/examples/ecommerce/domains/orders" "$WORK/narrowed"
sed -i 's/^          type: INTEGER$/          type: SMALLINT/' "$WORK/narrowed/products/order_lines.yaml"
same plan "$WORK/narrowed"
same apply "$WORK/narrowed" --dry-run
same apply "$WORK/narrowed" -m "narrowed"
same apply "$WORK/narrowed" --json
cp -r "$SOURCE_DIR/examples/ecommerce/domains/orders" "$WORK/sloppy"
sed -i 's/^          description: Position of the line in the order, from 1.$/          description: Position./' \
    "$WORK/sloppy/products/order_lines.yaml"
same plan "$WORK/sloppy"
same apply "$WORK/sloppy" -m "sloppy"
same apply "$WORK/sloppy" --json
same get products --domain orders
# Local-only commands say so.
TESSERA_SERVER="http://127.0.0.1:$PORT" expect 2 history orders.order_facts
# An unreachable server is exit 7 (unavailable).
TESSERA_SERVER="http://127.0.0.1:1" expect 7 get domains
# A bad token is exit 6 (denied), as locally.
TESSERA_SERVER="http://127.0.0.1:$PORT" TESSERA_TOKEN=nope expect 6 get domains
stop_server
