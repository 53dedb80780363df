#!/usr/bin/env bash
# Catalog benchmark (make bench): apply of 10,000 generated products (5-30 columns each) into an
# empty catalog, and plan of one changed product against that catalog. Each figure is printed
# next to a baseline run in this same script on the same machine:
#   apply  vs  `tessera validate` of the same files (parsing and checking only: what apply adds
#              is the diff against the catalog and the transactional write)
#   apply  vs  the same canonical JSON documents inserted into a bare SQLite table by sqlite3
#   plan   vs  `tessera validate` of the same one-product file
# Targets (issue #2): apply < 10 s, plan < 0.2 s.
set -euo pipefail
TESSERA="${TESSERA:-$(dirname "$0")/../build/tessera}"
N="${BENCH_PRODUCTS:-10000}"
work=$(mktemp -d /tmp/tessera-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }'; }

"$(dirname "$0")/gen_mesh.sh" "$N" "$work/mesh" 1.0.0
echo "mesh: $N products + 20 domains + 20 teams, $(du -sh "$work/mesh" | cut -f1) of YAML"

t0=$(now); "$TESSERA" validate -q "$work/mesh"; t1=$(now)
validate_ms=$(ms "$t0" "$t1")

t0=$(now)
/usr/bin/time -f "%M" -o "$work/rss" "$TESSERA" --catalog "$work/home" apply -q "$work/mesh" -m bench
t1=$(now)
apply_ms=$(ms "$t0" "$t1")
apply_rss_mb=$(( $(cat "$work/rss") / 1024 ))

# Baseline: the same documents, already canonical JSON, into a bare table in one transaction.
sqlite3 "$work/home/catalog.db" "SELECT document FROM entities" > "$work/docs.jsonl"
t0=$(now)
{ echo "PRAGMA journal_mode=WAL; BEGIN; CREATE TABLE docs(doc TEXT);"
  sed "s/'/''/g; s/^/INSERT INTO docs VALUES ('/; s/\$/');/" "$work/docs.jsonl"
  echo "COMMIT;"; } | sqlite3 "$work/raw.db" >/dev/null
t1=$(now)
raw_ms=$(ms "$t0" "$t1")

# Plan of one changed product: change the type of one column of product 5000 (a breaking change,
# so with the major version bumped that breaking changes need).
mkdir -p "$work/one"
awk '/^apiVersion/{doc=""} {doc=doc $0 "\n"} /name: product_0500[0],/{keep=1} /^---$/{if(keep){printf "%s", doc; exit}}' \
    "$work/mesh/products_00050.yaml" | sed -e '0,/type: "[A-Z(),0-9]*"/s//type: "VARCHAR"/' -e 's/version: "1\.0\.0"/version: "2.0.0"/' | grep -v '^---$' > "$work/one/product.yaml"
best_plan=999999; best_validate=999999
for i in 1 2 3 4 5; do
    t0=$(now); "$TESSERA" --catalog "$work/home" plan "$work/one/product.yaml" > "$work/plan.out"; t1=$(now)
    p=$(ms "$t0" "$t1"); [ "$p" -lt "$best_plan" ] && best_plan=$p
    t0=$(now); "$TESSERA" validate -q "$work/one/product.yaml" 2>/dev/null || true; t1=$(now)
    v=$(ms "$t0" "$t1"); [ "$v" -lt "$best_validate" ] && best_validate=$v
done
grep -q "1 to update" "$work/plan.out" || { echo "plan did not see the change:"; cat "$work/plan.out"; exit 1; }

echo
printf "%-44s %8s  %s\n" "figure" "value" "ratio to baseline"
printf "%-44s %6s ms  %s\n" "apply $N products (empty catalog)" "$apply_ms" "target < 10000 ms"
printf "%-44s %6s ms  apply/validate = %s\n" "  baseline: validate the same files" "$validate_ms" "$(ratio "$apply_ms" "$validate_ms")"
printf "%-44s %6s ms  apply/raw = %s\n" "  baseline: raw sqlite3 insert of the JSON" "$raw_ms" "$(ratio "$apply_ms" "$raw_ms")"
printf "%-44s %6s MB\n" "  peak RSS of apply" "$apply_rss_mb"
printf "%-44s %6s ms  target < 200 ms (best of 5)\n" "plan 1 changed product vs $N" "$best_plan"
printf "%-44s %6s ms  plan/validate = %s\n" "  baseline: validate the same file" "$best_validate" "$(ratio "$best_plan" "$best_validate")"
