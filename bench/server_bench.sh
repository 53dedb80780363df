#!/usr/bin/env bash
# Server benchmark (make bench): GET of one product's JSON from `tessera serve` with wrk at 64
# connections, next to nginx serving the same JSON bytes as a static file on another 127.0.0.1
# port, in the same run (the server with 64 request threads: one per connection, as httplib
# keeps a connection on its thread while it is alive). Prints requests/s and p99 latency of each and the ratio Tessera/nginx
# (target >= 0.3, issue #4). wrk and nginx-light are Debian packages (scripts/setup-deps.sh).
#   BUILD=build  BENCH_SECONDS=10  BENCH_THREADS=2  bench/server_bench.sh
set -euo pipefail
BUILD="${BUILD:-$(dirname "$0")/../build}"
SECONDS_RUN="${BENCH_SECONDS:-10}"
THREADS="${BENCH_THREADS:-2}"
SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "server_bench: $tool is missing: run scripts/setup-deps.sh" >&2; exit 1; }
done
work=$(mktemp -d /tmp/tessera-server-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export TESSERA_HOME="$work/home" TESSERA_USER=bench
tessera() { "$BUILD/tessera" "$@"; }
tessera apply -q "$SOURCE/examples/ecommerce"
tessera role grant bench admin -q
token=$(tessera token create --user bench 2>/dev/null)
path=/api/v1/domains/orders/products/order_facts

"$BUILD/tessera" serve --listen 127.0.0.1:0 --no-scheduler --threads 64 >"$work/serve.out" 2>"$work/serve.log" &
pids+=($!)
for _ in $(seq 100); do
    port=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)$#\1#p' "$work/serve.out")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log" >&2; exit 1; }

# nginx serves the very bytes the server answers, as a static file.
mkdir -p "$work/www" "$work/nginx"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >"$work/www/order_facts.json"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; default_type application/json; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/order_facts.json" >/dev/null && break; sleep 0.1; done

# wrk --latency prints "99%  <value><unit>"; requests/s from "Requests/sec:".
measure() {
    local name="$1"; shift
    wrk -t"$THREADS" -c64 -d"${SECONDS_RUN}s" --latency "$@" >"$work/$name.txt"
    local rps p99
    rps=$(awk '/Requests\/sec:/ {print $2}' "$work/$name.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
    local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
    [ -z "$non2xx" ] || { echo "server_bench: $name answered $non2xx non-2xx responses" >&2; exit 1; }
    printf '%-8s %12s req/s   p99 %s\n' "$name" "$rps" "$p99"
    echo "$rps" >"$work/$name.rps"
}
echo "GET $path ($(wc -c <"$work/www/order_facts.json") bytes), wrk -t$THREADS -c64 -d${SECONDS_RUN}s, $(nproc) cores"
measure tessera -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path"
measure nginx "http://127.0.0.1:$nginx_port/order_facts.json"
ratio=$(python3 -c "print(f'{float(open(\"$work/tessera.rps\").read())/float(open(\"$work/nginx.rps\").read()):.2f}')")
echo "ratio tessera/nginx: $ratio (target >= 0.3)"
