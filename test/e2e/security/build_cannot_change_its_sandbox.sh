# A transform cannot widen its sandbox: no ATTACH, no INSTALL or LOAD of an extension, and the
# settings that bound it are locked before its SQL runs.
source "$CASE_DIR/build_lib.inc"
mesh_with "select 'ok' as x"
tessera -q apply mesh
tessera -q run shop.customers
attack "attach '$WORK/other.duckdb' as other;
create table result as select 'x' as x" "Permission Error: Cannot access file"
[ ! -e "$WORK/other.duckdb" ] || fail "ATTACH created a database file"
attack "install httpfs;
create table result as select 'x' as x" "Permission Error: Cannot access directory"
attack "load httpfs;
create table result as select 'x' as x" "Loading external extensions is disabled"
attack "set enable_external_access = true;
create table result as select 'x' as x" "the configuration has been locked"
attack "set allowed_directories = ['/'];
create table result as select 'x' as x" "the configuration has been locked"
attack "set memory_limit = '100GB';
create table result as select 'x' as x" "the configuration has been locked"
attack "reset lock_configuration;
create table result as select 'x' as x" "the configuration has been locked"
catalog_intact
