# Readers outside a product's domain team never see its data through runs and checks: samples of
# failing rows are kept only for products without masked columns (an aliased masked column was
# stored in clear) and shown only to who may read the product unmasked; run and check errors lose
# DuckDB's details (data values, SQL) and server paths for them. The team sees everything.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
mkdir -p mesh/data
printf 'id,email\n1,ann@example.com\n2,bob@example.com\n' > mesh/data/people.csv
cat > mesh/mesh.yaml <<'YAML'
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
metadata: {domain: shop, name: people, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/people.csv}]
  transform: {query: "select id::BIGINT as id, email::VARCHAR as email from raw"}
  outputs:
    - name: current
      columns:
        - {name: id, type: BIGINT}
        - {name: email, type: VARCHAR, classification: pii, mask: hash}
      quality:
        - {name: one_person, sql: "select upper(email) as contact from current where id > 1", max_rows: 0}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: plain, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/people.csv}]
  transform: {query: "select id::BIGINT as id, split_part(email, '@', 2)::VARCHAR as site from raw"}
  outputs:
    - name: current
      columns:
        - {name: id, type: BIGINT, max: 1}
        - {name: site, type: VARCHAR}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: broken, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/people.csv}]
  transform: {query: "select email::INTEGER as n from raw"}
  outputs:
    - {name: current, columns: [{name: n, type: INTEGER}]}
---
apiVersion: tessera/v1
kind: DataProduct
metadata: {domain: shop, name: nosy, owner: shop_team}
spec:
  inputs: [{name: raw, source: crm, path: data/people.csv}]
  transform: {query: "select content as n from read_text('/etc/hostname')"}
  outputs:
    - {name: current, columns: [{name: n, type: VARCHAR}]}
YAML
tessera -q apply mesh
tessera role grant e2e admin -q
tessera role grant dev developer --domain shop -q
DEV=$(tessera token create --user dev 2>/dev/null)
CARL=$(tessera token create --user carl 2>/dev/null)
GRANTED=$(tessera token create --user gina 2>/dev/null)
tessera -q access request shop.plain --reason "site report" --as gina
tessera -q access approve 1 --as dev
tessera -q run shop.people shop.plain shop.broken shop.nosy 2>/dev/null && fail "the runs should fail"
start_server --allow-anonymous-read

for who in anonymous carl gina dev; do
    case $who in anonymous) t="";; carl) t=$CARL;; gina) t=$GRANTED;; dev) t=$DEV;; esac
    call GET /api/v1/domains/shop/products/people/quality "$t" >"$WORK/people.$who"
    call GET /api/v1/domains/shop/products/plain/quality "$t" >"$WORK/plain.$who"
    call GET "/api/v1/domains/shop/products/broken/runs?checks=true" "$t" >"$WORK/broken.$who"
    call GET "/api/v1/domains/shop/products/nosy/runs" "$t" >"$WORK/nosy.$who"
    call GET "/api/v1/status?domain=shop" "$t" >"$WORK/status.$who"
done
# The masked product keeps no sample at all: its check's upper(email) would be stored in clear.
for who in anonymous carl gina dev; do
    grep -qi "example.com" "$WORK/people.$who" && fail "$who sees a masked value in people's check sample"
    grep -q '"sample": \[\]' "$WORK/people.$who" || fail "$who: people's sample is not empty"
done
echo "people: no sample kept (masked columns)"
# The product without masks: its sample goes to its team and to readers granted it, not others.
for who in anonymous carl; do
    grep -q '"sample_hidden": true' "$WORK/plain.$who" || fail "$who sees plain's sample"
    grep -q 'example.com' "$WORK/plain.$who" && fail "$who sees plain's rows"
done
for who in gina dev; do
    grep -q '"site": "example.com"' "$WORK/plain.$who" || fail "$who does not see plain's sample"
done
echo "plain: sample shown to dev and gina only"
# Errors: DuckDB's details (a data value) and server paths only for the team.
for who in anonymous carl gina; do
    for f in broken nosy status; do
        grep -q "ann@example.com\|/etc/hostname\|$WORK\|$TESSERA_HOME" "$WORK/$f.$who" && fail "$who sees details in $f: $(cat "$WORK/$f.$who")"
    done
    grep -q "Conversion Error (the details are shown to the domain's team)" "$WORK/broken.$who" || fail "$who: no summary"
    grep -q "Permission Error (the details are shown to the domain's team)" "$WORK/nosy.$who" || fail "$who: no summary"
done
grep -q "Could not convert string 'ann@example.com'" "$WORK/broken.dev" || fail "the team lost the full message"
grep -q "/etc/hostname" "$WORK/nosy.dev" || fail "the team lost the full message"
echo "errors: full for dev, without values and paths for the others"
grep -o '"error": "[^"]*' "$WORK/broken.carl" | head -1
stop_server >/dev/null
