#!/usr/bin/env bash
# Search benchmark (make bench): a synthetic catalog of BENCH_SEARCH_PRODUCTS (default 100,000)
# products, ~1.75M columns, words drawn from a 3,000-word Zipf-like vocabulary (bench/gen_mesh.sh).
# Prints the index build (the apply that writes catalog and index in one transaction), then
# p50/p99 of 1,000 mixed queries through Tessera's search (ranking, facets, typo correction)
# and the RSS of that process, next to the same queries on a raw SQLite FTS5 table of the same
# text (bm25 ORDER BY … LIMIT 20), in this same script. Targets (issue #5): p99 < 10 ms,
# ratio <= 2, RSS < 500 MB.
# The catalog is generated and applied once into BENCH_SEARCH_CACHE (default build/bench-search-N,
# minutes at 100,000) and reused by later runs; remove that folder to measure the apply again.
set -euo pipefail
BUILD="${BUILD:-$(dirname "$0")/../build}"
N="${BENCH_SEARCH_PRODUCTS:-100000}"
cache="${BENCH_SEARCH_CACHE:-$BUILD/bench-search-$N}"
work=$(mktemp -d /tmp/tessera-search-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$cache/apply.txt" ]; then
  rm -rf "$cache"; mkdir -p "$cache"
  "$(dirname "$0")/gen_mesh.sh" "$N" "$work/mesh" 1.0.0
  du -sh "$work/mesh" | cut -f1 > "$cache/yaml_size"
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$cache/rss" "$BUILD/tessera" --catalog "$cache/home" apply -q "$work/mesh"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 )) > "$cache/apply.txt"
  rm -rf "$work/mesh"
else
  echo "reusing the catalog applied in $cache (remove it to measure the apply again)"
fi
apply_ms=$(cat "$cache/apply.txt")
cp "$cache/rss" "$work/rss"
mkdir -p "$work/home"
cp "$cache/home/catalog.db"* "$work/home/"  # the bench must not migrate or change the cache

"$BUILD/bench/search_bench" "$work/home/catalog.db" "$work/queries.txt" | tee "$work/tessera.out"

# Baseline: the same text in a bare FTS5 table, the same queries through the sqlite3 shell's timer.
t0=$(date +%s%N)
sqlite3 "$work/raw.db" "ATTACH '$work/home/catalog.db' AS cat;
  CREATE VIRTUAL TABLE raw USING fts5(name, title, columns, ports, tags, description);
  INSERT INTO raw SELECT d.name, t.title, t.columns, t.ports, t.tags, t.description
    FROM cat.search_docs d JOIN cat.search_text t ON t.id = d.id;"
t1=$(date +%s%N)
raw_build_ms=$(( (t1 - t0) / 1000000 ))
{ echo "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;"  # FTS5 at its best: memory-mapped
  echo ".timer on"; echo ".output /dev/null"
  while IFS= read -r q; do
    printf "SELECT name FROM raw WHERE raw MATCH '%s' ORDER BY bm25(raw, 10, 5, 3, 2, 2, 1) LIMIT 20;\n" "${q//\'/\'\'}"
  done < "$work/queries.txt"; } | sqlite3 "$work/raw.db" 2>&1 | grep 'Run Time' > "$work/raw.timer"
awk '{print $4 * 1000}' "$work/raw.timer" | sort -n > "$work/raw.ms"
awk '{print ($6 + $8) * 1000}' "$work/raw.timer" | sort -n > "$work/raw.cpu"
n=$(wc -l < "$work/raw.ms")
raw_p50=$(awk -v n="$n" 'NR == int((n - 1) * 0.5) + 1' "$work/raw.ms")
raw_p99=$(awk -v n="$n" 'NR == int((n - 1) * 0.99) + 1' "$work/raw.ms")
raw_cpu50=$(awk -v n="$n" 'NR == int((n - 1) * 0.5) + 1' "$work/raw.cpu")
raw_cpu99=$(awk -v n="$n" 'NR == int((n - 1) * 0.99) + 1' "$work/raw.cpu")
t_p50=$(grep 'tessera search' "$work/tessera.out" | grep -o 'p50 [0-9.]*' | cut -d' ' -f2)
t_p99=$(grep 'tessera search' "$work/tessera.out" | grep -o 'p99 [0-9.]*' | cut -d' ' -f2)
t_cpu50=$(grep 'cpu time' "$work/tessera.out" | grep -o 'p50 [0-9.]*' | cut -d' ' -f2)
t_cpu99=$(grep 'cpu time' "$work/tessera.out" | grep -o 'p99 [0-9.]*' | cut -d' ' -f2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.001) }'; }

echo
echo "search, $N products ($(cat "$cache/yaml_size") of YAML)"
printf "%-46s %10s\n" "apply (catalog + search text and feed, one txn)" "$apply_ms ms"
printf "%-46s %10s\n" "  peak RSS of that apply" "$(( $(cat "$work/rss") / 1024 )) MB"
printf "%-46s %10s\n" "  baseline: bare FTS5 table of the same text" "$raw_build_ms ms"
grep 'index load' "$work/tessera.out" || true
printf "%-46s %18s  %s\n" "query p50: tessera / raw FTS5" "$t_p50 / $raw_p50 ms" "ratio $(ratio "$t_p50" "$raw_p50")"
printf "%-46s %18s  %s\n" "query p99: tessera / raw FTS5" "$t_p99 / $raw_p99 ms" "ratio $(ratio "$t_p99" "$raw_p99")"
printf "%-46s %18s  %s\n" "cpu per query p50: tessera / raw FTS5" "$t_cpu50 / $raw_cpu50 ms" "ratio $(ratio "$t_cpu50" "$raw_cpu50")"
printf "%-46s %18s  %s\n" "cpu per query p99: tessera / raw FTS5" "$t_cpu99 / $raw_cpu99 ms" "ratio $(ratio "$t_cpu99" "$raw_cpu99")"
echo "targets: p99 < 10 ms, ratio <= 2, RSS < 500 MB"
