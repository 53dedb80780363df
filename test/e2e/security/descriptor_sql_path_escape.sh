# Issue 13, item 3: any server file was readable through a descriptor's `sql:` path (a transform's
# or a Policy's): the server resolved it on its own disk and accepted absolute paths and `..`, so a
# consumer's dry-run apply returned the file in the plan. Now descriptor files resolve inside the
# workspace root only (no absolute path, no `..` out of it, no symbolic link out of it: a located
# error), and the server never reads SQL from its disk: it comes in the request (the remote CLI
# sends each file's text with its descriptor).
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
source "$CASE_DIR/security_lib.inc"
secure_mesh
mkdir -p "$WORK/outside"
echo "select 'TOP-SECRET-MARKER' as stolen" >"$WORK/outside/secret.sql"
up="../../../../../../../../../../../../../../../..$WORK/outside/secret.sql"
product() {  # product SQL_FILE
    cat <<YAML
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: users, name: thing, version: 1.0.0, owner: customer_identity}
spec:
  title: Thing
  description: Written by the attack suite to test where SQL files are read from.
  kind: aggregate
  inputs: [{name: customers, product: users.customers}]
  transform: {sql: $1}
  outputs:
    - name: main
      columns:
        - {name: customer_id, type: BIGINT, description: The customer.}
YAML
}
policy() {  # policy SQL_FILE
    cat <<YAML
apiVersion: tessera/v1
kind: Policy
metadata: {name: peek}
spec:
  title: Reads a file of the server
  state: warn
  sql: $1
  message: "{stolen}"
YAML
}
not_leaked() { ! grep -q TOP-SECRET-MARKER "$WORK/body" || fail "the server returned the file's content"; }

echo "== the workspace (the current folder): SQL files inside it only"
mkdir -p ws/domains/users/products ws/domains/users/sql
cd ws
echo "select customer_id from customers" >domains/users/sql/thing.sql
product ../sql/thing.sql >domains/users/products/thing.yaml
TESSERA_USER=dan expect 0 apply . --dry-run -q
product "$WORK/outside/secret.sql" >domains/users/products/thing.yaml
expect 2 validate . 2>&1 | tee "$WORK/out"
grep -q "thing.yaml:9:.*spec.transform.sql: expected a path relative to the descriptor's folder, found the absolute path" "$WORK/out" \
    || fail "an absolute path is not refused at its file:line:col"
product ../../../../outside/secret.sql >domains/users/products/thing.yaml
expect 2 validate . 2>&1 | tee "$WORK/out"
grep -q "leads out of the workspace root" "$WORK/out" || fail "a path out of the workspace is not refused"
ln -s "$WORK/outside/secret.sql" domains/users/sql/link.sql
product ../sql/link.sql >domains/users/products/thing.yaml
expect 2 validate domains/users/products/thing.yaml 2>&1 | tee "$WORK/out"
grep -q "is a symbolic link (or passes through one) that leads out of the workspace root" "$WORK/out" \
    || fail "a symbolic link out of the workspace is not refused"
cd "$WORK"

start_server --allow-anonymous-read
echo "== raw YAML: a consumer's and an anonymous caller's dry run name a file of the server"
policy "$up" >"$WORK/peek.yaml"
http_expect 400 invalid-descriptor POST "/api/v1/apply?dry_run=true" "$CARL" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/peek.yaml"
not_leaked
grep -q "a descriptor sent as YAML or JSON cannot name a file" "$WORK/body" || fail "the refusal does not say how to fix it"
code=$(curl -sS -o "$WORK/body" -w '%{http_code}' -X POST -H "Content-Type: application/yaml" --data-binary @"$WORK/peek.yaml" \
    "http://127.0.0.1:$PORT/api/v1/apply?dry_run=true")
echo "> POST /api/v1/apply?dry_run=true (anonymous) -> $code"
case "$code" in 400|401) ;; *) fail "anonymous dry run: expected 400 or 401, got $code" ;; esac
not_leaked
echo "== the CLI's bundle: a file name with no attached text is not looked up on the server's disk"
python3 - "$WORK/peek.yaml" "$up" >"$WORK/bundle.json" <<'PY'
import json, sys
print(json.dumps({"files": [{"name": "policies/peek.yaml", "text": open(sys.argv[1]).read(), "attachments": {}}]}))
PY
http_expect 400 invalid-descriptor POST "/api/v1/apply?dry_run=true" "$CARL" \
    -H "Content-Type: application/vnd.tessera.files+json" --data-binary @"$WORK/bundle.json"
not_leaked
product /etc/passwd >"$WORK/thing.yaml"
python3 - "$WORK/thing.yaml" >"$WORK/bundle.json" <<'PY'
import json, sys
print(json.dumps({"files": [{"name": "thing.yaml", "text": open(sys.argv[1]).read()}]}))
PY
http_expect 400 invalid-descriptor POST /api/v1/apply "$DAN" -H "Content-Type: application/vnd.tessera.files+json" \
    --data-binary @"$WORK/bundle.json"
grep -q "expected the SQL file" "$WORK/body" || fail "the refusal does not name the missing attachment"

echo "== the remote CLI sends the SQL it read inside the workspace"
export TESSERA_SERVER="http://127.0.0.1:$PORT"
cd ws
TESSERA_TOKEN="$DAN" expect 2 apply .
product ../sql/thing.sql >domains/users/products/thing.yaml
TESSERA_TOKEN="$DAN" expect 0 apply . -q
cd "$WORK"
unset TESSERA_SERVER
http_expect 200 "" GET /api/v1/domains/users/products/thing "$CARL"
grep -q '"query": "select customer_id from customers\\n"' "$WORK/body" || fail "the stored SQL is not the workspace file's"
stop_server >/dev/null
