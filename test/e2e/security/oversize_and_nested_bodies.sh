# Bodies are bounded before they are parsed, and only known callers get to send one:
#   - a 632-byte YAML alias bomb (before: the server grew past 6 GB) is refused, located, at the
#     node limit of the decoder (100,000 values, aliases expanded);
#   - nesting deeper than 64 levels is refused;
#   - a body without valid credentials is refused (401) before it is read;
#   - a body over max_body_bytes is refused (413) whatever its framing (Content-Length or chunked);
#   - a compressed body is refused (415): the server would inflate it without a bound.
source "$CASE_DIR/security_lib.inc"
tessera apply "$SOURCE_DIR/examples/ecommerce" -q
tessera role grant e2e admin -q
READER=$(tessera token create --user carl 2>/dev/null)
echo "max_body_bytes: 100000" >"$WORK/server.yaml"
start_server --config "$WORK/server.yaml"

cat >"$WORK/bomb.yaml" <<'YAML'
apiVersion: tessera/v1
kind: Domain
metadata: {name: bomb, owner: team/x}
spec:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
YAML
answer 400 invalid-descriptor POST '/api/v1/apply?dry_run=true' "$READER" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/bomb.yaml"
grep -o '"text": "request:[0-9]*:[0-9]*: error: expected at most 100000 values in a text (aliases expanded)' "$WORK/body" \
    || { cat "$WORK/body"; fail "the alias bomb was not refused at the node limit"; }
alive

{ printf 'apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: deep, owner: team/x}\nspec: {x: '
  for _ in $(seq 200); do printf '['; done; for _ in $(seq 200); do printf ']'; done; printf '}\n'; } >"$WORK/deep.yaml"
answer 400 invalid-descriptor POST '/api/v1/apply?dry_run=true' "$READER" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/deep.yaml"
grep -q 'expected at most 64 levels of nesting, found more' "$WORK/body" || { cat "$WORK/body"; fail "no depth limit"; }

# Unknown callers: refused before the body is read (the connection closes after the answer).
answer 401 unauthenticated POST '/api/v1/apply?dry_run=true' "" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/bomb.yaml"
answer 401 unauthenticated POST '/api/v1/apply?dry_run=true' "tsr_0000000000000000_$(printf 'x%.0s' $(seq 43))" \
    -H "Content-Type: application/yaml" --data-binary @"$WORK/bomb.yaml"
grep -qi '^connection: close' "$WORK/headers" || fail "the connection stays open with an unread body"

head -c 200000 /dev/zero | tr '\0' 'x' >"$WORK/big.txt"
answer 413 limit-exceeded POST /api/v1/query "$READER" -H "Content-Type: application/json" --data-binary @"$WORK/big.txt"
answer 413 limit-exceeded POST /api/v1/query "$READER" -H "Content-Type: application/json" \
    -H "Transfer-Encoding: chunked" --data-binary @"$WORK/big.txt"
answer 415 unsupported-media-type POST /api/v1/query "$READER" -H "Content-Type: application/json" \
    -H "Content-Encoding: gzip" --data-binary @"$WORK/big.txt"
alive
stop_server >/dev/null
