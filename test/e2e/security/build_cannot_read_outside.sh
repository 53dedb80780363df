# A domain developer's transform reads its declared inputs only: no server file, not the catalog
# (whose secrets hold the mask key), no undeclared file next to its sources, and a source path
# cannot lead out of the descriptor's folder (absolute, `..`, a symbolic link).
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers
attack "select content as x from read_text('/etc/hostname')"
attack "select content::VARCHAR as x from read_blob('$TESSERA_HOME/catalog.db')"
attack "select file as x from glob('$WORK/mesh/*')"
attack "select column0 as x from read_csv('$WORK/mesh/undeclared.csv', header = false)"
attack "select email as x from read_csv('$WORK/mesh/data/*.csv')"
attack "select email as x from read_parquet('$TESSERA_HOME/data/shop/customers/current/*/*.parquet')"
catalog_intact

# Source paths: the glob is matched by Tessera, inside the descriptor's folder, never out of it.
printf 'x\nsecret\n' > outside.csv
ln -s "$TESSERA_HOME/catalog.db" mesh/data/link.csv
source_attack() {
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
    tessera -q apply mesh >/dev/null || fail "apply failed"
    local rc=0
    tessera run shop.attack >"$WORK/attack.out" 2>&1 || rc=$?
    echo "source path: $1"
    sed -n 2p "$WORK/attack.out" | sed 's/^ *//'
    [ "$rc" -eq 5 ] || fail "expected exit 5, got $rc"
}
source_attack /etc/hostname
source_attack ../outside.csv
source_attack data/link.csv
source_attack "data/nothing*.csv"
catalog_intact
