# A result that is not valid UTF-8 never aborts anything (issue 13, item 5): DuckDB lets a VARCHAR
# hold any bytes (printf('%c', 233) is the single byte 0xE9); every format replaces each invalid
# sequence with U+FFFD, through the CLI and over HTTP, and the server keeps serving.
source "$CASE_DIR/mesh.inc"
sql="select printf('%c', 233) as c, 'ok' as d"
fffd=$'\xef\xbf\xbd'
for format in json csv table; do
    tessera query "$sql" --as carl --format "$format" >"$WORK/q.out" 2>&1 || fail "--format $format failed: $(cat "$WORK/q.out")"
    echo "cli $format: $(grep -c "$fffd" "$WORK/q.out") line(s) with U+FFFD"
done
tessera query "$sql" --as carl --format json

source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
CARL=$(tessera token create --user carl --as root 2>/dev/null)
start_server
for format in jsonl csv table; do
    body=$(printf '{"sql": "%s", "format": "%s"}' "$sql" "$format")
    call POST /api/v1/query "$CARL" -H 'Content-Type: application/json' -d "$body" >/dev/null
    grep -q "$fffd" "$WORK/body" || fail "HTTP $format: no U+FFFD in $(cat "$WORK/body")"
    echo "http $format: U+FFFD"
done
# Invalid bytes inside nested values too.
call POST /api/v1/query "$CARL" -H 'Content-Type: application/json' -d "{\"sql\": \"select [printf('%c', 233)] as l, {'k': printf('%c', 255)} as s\"}"
call GET /healthz
stop_server
