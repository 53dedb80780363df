# A domain developer's transform cannot write a file: not outside the home, not over its input (an
# upstream product's published snapshot), not the catalog's WAL. The build may write exactly its
# own output files.
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers shop.attack
attack "copy (select * from c) to '$WORK/stolen.csv';
create table result as select 'x' as x" "Permission Error: Cannot access file"
[ ! -e "$WORK/stolen.csv" ] || fail "the transform wrote $WORK/stolen.csv"
# Its input's file may be opened (to read): DuckDB's own check lets a write to it through, but the
# kernel (Landlock) refuses it.
attack "copy (select 'forged' as x) to '$TESSERA_HOME/data/shop/customers/current/v1/part-0.parquet';
create table result as select 'x' as x" "Permission Error: Cannot access file"
attack "copy (select 'forged' as x) to '$TESSERA_HOME/data/shop/customers/current/v1/part-0.parquet' (use_tmp_file false);
create table result as select 'x' as x" "Permission denied"
[ "$(tessera query "select count(*) from shop.customers" --format csv | tail -1)" = 2 ] || fail "customers was overwritten"
attack "copy (select 1) to '$TESSERA_HOME/catalog.db-wal';
create table result as select 'x' as x" "Permission Error: Cannot access file"
# The previous snapshot of the attacking product stays published, and the catalog is whole.
[ "$(tessera query "select x from shop.attack" --format csv | tail -1)" = ok ] || fail "the previous snapshot is gone"
catalog_intact
echo "nothing was written"
