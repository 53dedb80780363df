# A domain developer's transform reads its declared inputs only: no server file, not the catalog
# (whose secrets hold the mask key), no undeclared file next to its sources; on a server a source
# path cannot lead out of the domain's source folder (absolute, `..`, a symbolic link), and a local
# build never reads the Tessera home.
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers
attack "select content as x from read_text('/etc/hostname')" "Permission Error: Cannot access"
attack "select content::VARCHAR as x from read_blob('$TESSERA_HOME/catalog.db')" "Permission Error: Cannot access"
attack "select file as x from glob('$WORK/mesh/*')" "Permission Error: Cannot access"
attack "select column0 as x from read_csv('$WORK/mesh/undeclared.csv', header = false)" "Permission Error: Cannot access"
attack "select email as x from read_csv('$WORK/mesh/data/*.csv')" "Permission Error: Cannot access"
attack "select email as x from read_parquet('$TESSERA_HOME/data/shop/customers/current/*/*.parquet')" "Permission Error: Cannot access"
catalog_intact

# Source paths on a server: relative to the domain's source folder <home>/sources/<domain>/,
# matched by Tessera, and never out of it (absolute, `..`, a symbolic link, another domain's).
mkdir -p "$TESSERA_HOME/sources/shop/data" "$TESSERA_HOME/sources/other"
printf 'x\nfine\n' > "$TESSERA_HOME/sources/shop/data/ok.csv"
printf 'x\nsecret\n' > "$TESSERA_HOME/sources/other/theirs.csv"
printf 'x\nsecret\n' > outside.csv
ln -s "$TESSERA_HOME/catalog.db" "$TESSERA_HOME/sources/shop/data/link.csv"
tessera role grant e2e admin -q
ADMIN=$(tessera token create --user e2e 2>/dev/null)
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
start_server
source_mesh() {
    cat > mesh/mesh.yaml <<YAML
apiVersion: tessera/v1
kind: Domain
metadata: {name: shop}
---
apiVersion: tessera/v1
kind: Team
metadata: {name: shop_team}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: attack, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: "$1"}]
  transform: {query: "select x::VARCHAR as x from raw"}
  outputs:
    - {name: result, columns: [{name: x, type: VARCHAR}]}
YAML
}
source_attack() {
    source_mesh "$1"
    tessera -q apply mesh >/dev/null || fail "apply failed"
    echo "source path: $1"
    call POST /api/v1/domains/shop/products/attack/runs "$ADMIN" --data "" >"$WORK/attack.out"
    grep -o '"status": *"[a-z]*"' "$WORK/attack.out" | head -1
    grep '"error":' "$WORK/attack.out" | head -1 | sed -e 's/^ *"error": "//' -e 's/",\{0,1\}$//' -e 's/\\"/"/g'
    grep -q "$2" "$WORK/attack.out" || fail "expected: $2"
}
source_attack data/ok.csv '"status": *"succeeded"'
source_attack /etc/hostname "is absolute"
source_attack "$WORK/outside.csv" "is absolute"
source_attack ../other/theirs.csv "leaves the domain's source folder"
source_attack data/../../../../outside.csv "leaves the domain's source folder"
source_attack data/link.csv "leads out of the domain's source folder"
source_attack "data/nothing*.csv" "no file matches"
stop_server >/dev/null
# The local CLI's user is trusted with their files, but not through a build with the catalog's.
source_mesh ../.tessera/catalog.db
tessera -q apply mesh
rc=0; tessera run shop.attack >"$WORK/attack.out" 2>&1 || rc=$?
sed -n 2p "$WORK/attack.out" | sed 's/^ *//'
[ "$rc" -eq 5 ] && grep -q "is in the Tessera home" "$WORK/attack.out" || fail "a local build read the catalog"
catalog_intact
