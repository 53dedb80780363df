#!/usr/bin/env bash
# Writes a synthetic mesh of N data products (5-30 columns each, deterministic) for benchmarks
# and stress tests:   bench/gen_mesh.sh N OUTDIR [VERSION]
# Products are spread over 20 domains, 100 per file; every tenth product reads the one before it.
set -euo pipefail
n="$1"; out="$2"; version="${3:-1.0.0}"
mkdir -p "$out"
awk -v n="$n" -v out="$out" -v version="$version" '
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
# A word of a 3,000-word vocabulary, drawn so that frequencies fall off as in natural text.
function zipf() { return vocab[int(exp(rnd() * log(3000)))] }
function phrase(n,   out, k) { out = zipf(); for (k = 1; k < n; k++) out = out " " zipf(); return out }
BEGIN {
  seed = 42
  split("BIGINT VARCHAR DOUBLE TIMESTAMP DATE BOOLEAN INTEGER DECIMAL(12,2)", types, " ")
  split("customer order session product payment shipment campaign invoice refund visit", nouns, " ")
  split("amount count status region channel device created_at updated_at score total", attrs, " ")
  split("ka lo mi ne ru sa ti vo pe da fi go hu ja ke li mo nu pa qui re si tu va we xo yu ze bar cor del fen gar hol jun kel lor mar nor", syl, " ")
  for (k = 1; k <= 3000; k++) vocab[k] = syl[k % 40 + 1] syl[int(k / 40) % 40 + 1] (k > 1600 ? syl[int(k / 7) % 40 + 1] : "")
  file = out "/mesh.yaml"
  for (d = 0; d < 20; d++) {
    printf "apiVersion: tessera/v1\nkind: Domain\nmetadata: {name: domain_%02d}\nspec: {title: Domain %d, owner: team_%02d}\n---\n", d, d, d > file
    printf "apiVersion: tessera/v1\nkind: Team\nmetadata: {name: team_%02d}\nspec: {domain: domain_%02d, members: [{user: owner%d@example.com, role: owner}]}\n---\n", d, d, d > file
  }
  close(file)
  for (i = 0; i < n; i++) {
    if (i % 100 == 0) { if (i) close(file); file = sprintf("%s/products_%05d.yaml", out, i / 100) }
    d = i % 20
    printf "apiVersion: tessera/v1\nkind: DataProduct\nmetadata: {domain: domain_%02d, name: product_%05d, version: \"%s\", owner: team_%02d, tags: [%s]}\n", d, i, version, d, nouns[i % 10 + 1] > file
    printf "spec:\n  title: %s %s\n  description: Synthetic product %d about %s data, %s.\n  kind: aggregate\n", zipf(), nouns[i % 10 + 1], i, nouns[i % 10 + 1], phrase(8) > file
    if (i % 10 == 9) printf "  inputs: [{name: upstream, product: domain_%02d.product_%05d}]\n", (i - 1) % 20, i - 1 > file
    else printf "  inputs: [{name: raw, source: system_%02d, path: data/p%05d/*.parquet, format: parquet}]\n", d, i > file
    printf "  outputs:\n    - name: main\n      columns:\n" > file
    cols = 5 + int(rnd() * 26)
    for (c = 0; c < cols; c++) {
      printf "        - {name: %s_%s_%d, type: \"%s\", description: The %s of the %s %s.}\n", nouns[(i + c) % 10 + 1], attrs[c % 10 + 1], c, types[int(rnd() * 8) + 1], attrs[c % 10 + 1], nouns[(i + c) % 10 + 1], phrase(3) > file
    }
    printf "      quality: [{name: has_rows, type: row_count, min: 1}]\n      sla: {freshness: 24h}\n---\n" > file
  }
}'
