# Slow clients cannot starve the server. Twenty connections that each dribble a header line every
# second (before: ten of them, a line every 5 s, made /healthz time out for a minute) leave
# /healthz and the API answering; each is closed by the server with a 408 once its headers are
# late (header_timeout_s); a client past max_connections_per_client is refused with a 429.
source "$CASE_DIR/security_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
READER=$(tessera token create --user carl 2>/dev/null)
printf 'threads: 2\nheader_timeout_s: 20\nmax_connections_per_client: 23\n' >"$WORK/server.yaml"
start_server --config "$WORK/server.yaml"

# One slow client: the request line, then a header line a second, until the server hangs up;
# what the server answered is left in $WORK/slow.N.
slow_client() {
    local n="$1"
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 0
    printf 'GET /healthz HTTP/1.1\r\nHost: slow\r\n' >&3
    ( for i in $(seq 120); do printf 'X-Slow-%s: %s\r\n' "$i" "$i" >&3 2>/dev/null || exit 0; sleep 1; done ) &
    timeout 100 cat <&3 >"$WORK/slow.$n" 2>/dev/null
    kill $! 2>/dev/null
    exec 3<&-
}
pids=()
for n in $(seq 20); do slow_client "$n" & pids+=($!); done
# Wait until the server holds all twenty (the slow ones are the connections that answered nothing yet).
for _ in $(seq 100); do
    [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge 20 ] && break
    sleep 0.1
done
[ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge 20 ] || fail "the slow clients did not connect"
echo "20 slow clients connected"
alive
answer 200 - GET /api/v1/domains "$READER"
answer 200 - GET /readyz
# Three more slow clients reach the limit of 23 connections from this address: the next is refused.
for n in 21 22 23; do slow_client "$n" & pids+=($!); done
for _ in $(seq 100); do
    [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge 23 ] && break
    sleep 0.1
done
answer 429 rate-limited GET /healthz
wait "${pids[@]}"
for n in $(seq 23); do
    grep -q '^HTTP/1.1 408' "$WORK/slow.$n" || { cat "$WORK/slow.$n"; fail "slow client $n was not answered 408"; }
    grep -q 'urn:tessera:problem:request-timeout' "$WORK/slow.$n" || fail "slow client $n got no problem document"
done
echo "every slow client was closed with a 408 request-timeout"
alive
stop_server >/dev/null
