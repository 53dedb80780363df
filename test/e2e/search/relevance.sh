# Search relevance on the demo mesh: every query of relevance.tsv must put the expected product
# first and the expected products in the first three; prints one line per query.
cp -r "$SOURCE_DIR/examples/ecommerce" mesh
tessera -q apply mesh -m "demo mesh" || fail "apply failed"
misses=0
while IFS=$'\t' read -r query first top3 correction; do
    case "$query" in '#'*|'') continue ;; esac
    tessera --json search "$query" --limit 3 > hits.json || fail "search \"$query\" failed"
    line=$(python3 - "$first" "$top3" "$correction" <<'PY'
import json, sys
first, top3, correction = sys.argv[1], sys.argv[2].split(), sys.argv[3]
r = json.load(open("hits.json"))
names = [h["product"] for h in r["hits"]]
problems = []
if first != "-" and (not names or names[0] != first):
    problems.append("first should be " + first)
problems += ["missing " + n + " from the top 3" for n in top3 if n not in names]
got = r.get("corrected", "") or "-"
if got != correction:
    problems.append("correction should be " + correction + ", is " + got)
print(("MISS  " if problems else "ok    ") + r["query"] + " -> " + ", ".join(names) +
      ("" if got == "-" else " (as \"" + got + "\")") + ("" if not problems else ": " + "; ".join(problems)))
PY
)
    echo "$line"
    case "$line" in MISS*) misses=$((misses + 1)) ;; esac
done < "$SOURCE_DIR/test/e2e/search/relevance.tsv"
[ "$misses" -eq 0 ] || fail "$misses relevance case(s) missed"
