# A domain developer's transform cannot write a file: not outside the home, not over another
# product's published snapshot. The build's DuckDB may write exactly its own output files.
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers shop.attack
attack "copy (select * from c) to '$WORK/stolen.csv';
create table result as select 'x' as x"
[ ! -e "$WORK/stolen.csv" ] || fail "the transform wrote $WORK/stolen.csv"
attack "copy (select 'forged' as x) to '$TESSERA_HOME/data/shop/customers/current/v1/part-0.parquet';
create table result as select 'x' as x"
[ "$(tessera query "select count(*) from shop.customers" --format csv | tail -1)" = 2 ] || fail "customers was overwritten"
attack "copy (select 1) to '$TESSERA_HOME/catalog.db-wal';
create table result as select 'x' as x"
# The previous snapshot of the attacking product stays published, and the catalog is whole.
[ "$(tessera query "select x from shop.attack" --format csv | tail -1)" = ok ] || fail "the previous snapshot is gone"
catalog_intact
echo "nothing was written"
