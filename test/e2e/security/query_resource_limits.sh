# A query cannot outgrow its limits (issue 13, items 9 and 10): the SQL's length, SELECT lists
# too wide to bind in time, values whose size the query chooses, the timeout (which covers
# parsing and checking), DuckDB's memory, the result's bytes in every format, and the row limit
# of files. Each refusal says which limit and what to do.
source "$CASE_DIR/mesh.inc"
# Too long, too wide (the 40 KB `select 1,1,…` bound for 22 s past a 1 s timeout).
refused 7 "select $(printf "'%060d', " $(seq 1100)) 1" "bytes long; at most 65536 are accepted"
refused 7 "select $(printf '1,%.0s' $(seq 20000)) 1" "selects 20001 expressions in one SELECT; at most 1024"
# Values built in one uninterruptible call.
refused 7 "select length(repeat('x', 1000000000)) as n" "repeat(): the count must be a whole-number constant from 0 to 10000"
refused 7 "select length(x) from (select repeat('x', 200000000) as x from range(20))" "repeat(): the count must be"
refused 7 "select repeat('x', (select 1000000000))" "repeat(): the count must be"
refused 7 "select repeat(repeat('x', 10000), 10000)" "its arguments cannot call repeat"
refused 7 "select lpad('x', 1000000000, 'y')" "lpad(): the length must be"
refused 7 "select printf('%0900000000d', 1)" "printf(): widths and precisions must be at most 10000"
refused 7 "select format('{:>900000000}', 1)" "format(): widths and precisions must be at most 10000"
refused 7 "select len(range(0, 1000000000)) as n" "range(): a list of at most 1000000 items"
refused 7 "select list_resize([1], 1000000000)" "list_resize(): the size must be"
# Small ones stay allowed.
expect 0 query "select lpad(order_id::VARCHAR, 5, '0') as id, repeat('*', 3) as stars, printf('%05.1f', amount) as a from orders.order_facts order by 1" --as carl
# The timeout runs from the moment the SQL arrives.
refused 7 "select count(*) from range(10000000000) a" "ran longer than 200 ms and was stopped" --timeout 0.2

# Over HTTP: the row limit of Parquet answers, the size of every format, and DuckDB's memory.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
CARL=$(tessera token create --user carl --as root 2>/dev/null)
cat >"$WORK/serve.yaml" <<'YAML'
query_max_result_bytes: 20000
query_memory_limit: 64MB
query_threads: 1
YAML
start_server --config "$WORK/serve.yaml"
q() { call POST /api/v1/query "$CARL" -H 'Content-Type: application/json' -D "$WORK/headers" -d "$1" >/dev/null
      echo "$(head -1 "$WORK/headers" | tr -d '\r') $(grep -io '^tessera-[a-z]*: [a-z0-9]*' "$WORK/headers" | tr -d '\r' | tr '\n' ' ')$(grep -o '"detail": *"[^"]*"' "$WORK/body" | cut -c1-85 | tr '\n' ' ')"; }
q '{"sql": "select range from range(100)", "format": "parquet", "max_rows": 10}'
q '{"sql": "select range from range(100)", "format": "jsonl", "max_rows": 10}'
q '{"sql": "select range, repeat('"'x'"', 100) as x from range(1000)", "format": "jsonl"}'
q '{"sql": "select range, repeat('"'x'"', 100) as x from range(1000)", "format": "csv"}'
q '{"sql": "select range, repeat('"'x'"', 100) as x from range(1000)", "format": "table"}'
q '{"sql": "select range, md5(range::VARCHAR) as x from range(100000)", "format": "parquet"}'
q '{"sql": "select count(*) from (select distinct md5(range::VARCHAR) from range(30000000))"}'
call GET /healthz
stop_server
