# A transform cannot widen its sandbox: no ATTACH, no INSTALL or LOAD of an extension, and the
# settings that bound it are locked before its SQL runs.
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers
attack "attach '$WORK/other.duckdb' as other;
create table result as select 'x' as x"
[ ! -e "$WORK/other.duckdb" ] || fail "ATTACH created a database file"
attack "install httpfs;
create table result as select 'x' as x"
attack "load parquet;
create table result as select 'x' as x"
attack "set enable_external_access = true;
create table result as select 'x' as x"
attack "set allowed_directories = ['/'];
create table result as select 'x' as x"
attack "set memory_limit = '100GB';
create table result as select 'x' as x"
attack "reset lock_configuration;
create table result as select 'x' as x"
catalog_intact
