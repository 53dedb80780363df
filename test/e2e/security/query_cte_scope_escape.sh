# A CTE defined in one scope does not make a name readable in another (issue 13, item 1): DuckDB
# binds names by scope, and so does the statement check. A file, a glob, a system view or a
# setting named where no CTE of that name is in scope is refused, through the CLI and over HTTP.
source "$CASE_DIR/mesh.inc"
# The reproductions: a CTE of the same name in an unrelated subquery.
refused 2 "select * from '$CUSTOMERS_FILE', (with \"$CUSTOMERS_FILE\" as (select 1) select 1)" "files cannot be read by their path"
refused 2 "select * from '$TESSERA_HOME/data/*/*/*/*/*.parquet', (with \"$TESSERA_HOME/data/*/*/*/*/*.parquet\" as (select 1) select 1)" "files cannot be read by their path"
refused 2 "select name, setting from pg_settings, (with pg_settings as (select 1) select 1) where name = 'allowed_directories'" 'unknown table "pg_settings"'
refused 2 "select sql from duckdb_views, (with duckdb_views as (select 1) select 1) x" 'unknown table "duckdb_views"'
# Its neighbours: a CTE of a WHERE subquery, of one UNION arm, of a lateral join, of a later CTE,
# a CTE's own name inside its body, a CTE in a scalar subquery.
refused 2 "select * from duckdb_settings where exists (with duckdb_settings as (select 1) select 1)" 'unknown table "duckdb_settings"'
refused 2 "(with x as (select 1) select * from x) union all select * from '$CUSTOMERS_FILE'" "files cannot be read by their path"
refused 2 "select * from orders.order_facts o, lateral (with \"$CUSTOMERS_FILE\" as (select 1) select 1) l, '$CUSTOMERS_FILE'" "files cannot be read by their path"
refused 2 "with a as (select * from \"$CUSTOMERS_FILE\"), \"$CUSTOMERS_FILE\" as (select 1) select * from a" "files cannot be read by their path"
refused 2 "with \"$CUSTOMERS_FILE\" as (select * from \"$CUSTOMERS_FILE\") select * from \"$CUSTOMERS_FILE\"" "files cannot be read by their path"
refused 2 "select (with x as (select 1) select 1), * from duckdb_tables" 'unknown table "duckdb_tables"'
# System views, settings, table functions, macros and time travel, however named.
refused 2 "select * from information_schema.views" "information_schema.views is not readable"
refused 2 "select * from pg_catalog.pg_settings" "pg_catalog.pg_settings is not readable"
refused 2 "select * from main.duckdb_views" "main.duckdb_views is not readable"
refused 2 "select * from system.main.duckdb_views" "without a catalog"
refused 2 "select * from memory.users.customers" "without a catalog"
refused 2 "select * from read_parquet('$CUSTOMERS_FILE')" "table function read_parquet() is not allowed"
refused 2 "select * from pragma_database_list()" "table function pragma_database_list() is not allowed"
refused 2 "select * from query_table('users.customers')" "table function query_table() is not allowed"
refused 2 "select current_setting('allowed_paths')" "function current_setting() is not allowed"
refused 2 "select pg_get_viewdef('users.customers')" "function pg_get_viewdef() is not allowed"
refused 2 "select pg_catalog.current_schemas(true)" "call functions by their plain names"
refused 2 "select * from orders.order_facts at (version => 1)" "AT (…) is not supported"
refused 2 "summarize select * from orders.order_facts" "DESCRIBE and SUMMARIZE are not available"
refused 2 "pragma show_tables" "only read queries"
refused 2 "select * from (describe orders.order_facts)" "DESCRIBE and SUMMARIZE are not available"
# The same product by name is refused by its grant; the granted one reads masked.
refused 6 "select * from users.customers, (with \"users.customers\" as (select 1) select 1)" "no grant to read users.customers"
expect 0 query "select order_id, email = 'ann@example.com' as clear from orders.order_facts order by 1" --as carl
# What stays allowed: CTEs in their own scope, recursive CTEs, CTEs seen from subqueries and
# from both arms of a UNION.
expect 0 query "with recursive n(i) as (select 1 union all select i + 1 from n where i < 3) select sum(i) as s from n" --as carl
expect 0 query "with o as (select * from orders.order_facts) select count(*) as n from (select * from o) s where exists (select 1 from o)" --as carl
expect 0 query "with o as (select order_id from orders.order_facts) select * from o union all select * from o order by 1" --as carl
expect 0 query "select * from (with o as (select order_id from orders.order_facts) select * from o) s, lateral (select s.order_id * 2 as twice) t order by 1" --as carl

# Over HTTP, the same check: the problem says why, and the audit records the refusal.
source "$SOURCE_DIR/test/e2e/server/serve_lib.inc"
CARL=$(tessera token create --user carl --as root 2>/dev/null)
start_server
# problem BODY TEXT: POST /api/v1/query as carl; prints the status and the problem type, and fails
# unless the detail says TEXT and no personal data came back.
problem() {
    call POST /api/v1/query "$CARL" -H 'Content-Type: application/json' -d "$1" | sed -n 2p
    grep -o '"type": *"[^"]*"' "$WORK/body" || true
    grep -qF -- "$2" "$WORK/body" || fail "expected \"$2\" in $(cat "$WORK/body")"
    if grep -q "Secret" "$WORK/body"; then fail "the server returned personal data"; fi
}
problem "$(printf '{"sql": "select * from %s, (with \\"%s\\" as (select 1) select 1)"}' "'$CUSTOMERS_FILE'" "$CUSTOMERS_FILE")" \
        "files cannot be read by their path"
problem '{"sql": "select name, setting from pg_settings, (with pg_settings as (select 1) select 1)"}' 'unknown table \"pg_settings\"'
problem '{"sql": "select sql from duckdb_views, (with duckdb_views as (select 1) select 1) x"}' 'unknown table \"duckdb_views\"'
stop_server
tessera audit --action query --user carl --as root --json | grep -c '"outcome": *"error"'
