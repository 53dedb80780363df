# The PostgreSQL DDL of `tessera export --format sql-ddl --dialect postgres` runs in a real
# PostgreSQL (a throw-away cluster), and the product's real data fits it: every output port of the
# demo mesh is created from its exported DDL, then loaded with the port's rows (`tessera query
# --format json`), so types, NOT NULL, UNIQUE, CHECK and primary keys are checked against the data.
source "$SOURCE_DIR/test/e2e/pg_lib.inc"
start_pg
cp -r "$SOURCE_DIR/examples/ecommerce" mesh
rm -rf mesh/data
"$(dirname "$(readlink -f "$(command -v tessera)")")/tessera-sqlrun" mesh/generate.sql --var scale=0.001 --var out=mesh/data
tessera -q apply mesh -m "demo mesh" >/dev/null
tessera -q run --all >/dev/null || fail "run --all failed"
products=$(tessera --json get products |
           python3 -c 'import json,sys; print(" ".join(p["metadata"]["domain"]+"."+p["metadata"]["name"] for p in json.load(sys.stdin)))')
[ -n "$products" ] || fail "no products in the catalog"
for product in $products; do
    tessera export "$product" --format sql-ddl --dialect postgres > "ddl-$product.sql"
    pg -c "set client_min_messages = warning" -f "ddl-$product.sql" || fail "the PostgreSQL DDL of $product did not run"
done
echo "tables created in PostgreSQL:"
pg -At -c "select table_schema || '.' || table_name || ' (' || count(*) || ' columns)'
           from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')
           group by table_schema, table_name order by 1"
# Each port's rows go into its table (same name as the query address), as JSON lines read by
# jsonb_populate_record: PostgreSQL checks every type (lists become arrays), NOT NULL, UNIQUE,
# CHECK and PRIMARY KEY of the DDL against the real data.
echo "rows loaded into PostgreSQL (and the same count in Tessera):"
for table in $(pg -At -c "select table_schema || '.' || table_name from information_schema.tables
                          where table_schema not in ('pg_catalog', 'information_schema') order by 1"); do
    tessera query "select * from $table" --format json --max-rows 10000000 > rows.jsonl || fail "query of $table failed"
    pg -c "create temporary table staging (j jsonb)" \
       -c "\\copy staging from 'rows.jsonl' with (format csv, quote e'\\x01', delimiter e'\\x02')" \
       -c "insert into $table select r.* from staging, jsonb_populate_record(null::$table, j) r" ||
        fail "the rows of $table do not fit its PostgreSQL DDL"
    in_pg=$(pg -At -c "select count(*) from $table")
    in_tessera=$(tessera query "select count(*) as n from $table" --format csv | tail -1)
    [ "$in_pg" = "$in_tessera" ] || fail "$table: $in_pg rows in PostgreSQL, $in_tessera in Tessera"
    echo "$table: $in_pg"
done
